"""The Content-Security-Policy in a real browser: the admin and the public pages work under it.

Chromium reports every blocked script, style, image, frame or eval as a
`securitypolicyviolation` event and a console error; both are collected on every page.
"""

import pytest
from django.contrib.auth import get_user_model

from lotse.network.models import Membership, Organisation
from tests import factories
from tests.conftest import totp_device_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Collects violations in the page itself (added before any of the page's own scripts run).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile || ""}:${event.lineNumber || 0})`
    );
});
"""


class Watch:
    """Every CSP or Permissions-Policy complaint of a browser page, from console and events."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(LISTEN)
        page.on("console", self.on_console)

    def on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.console.append(text)

    def visit(self, url):
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return response

    def violations(self):
        events = self.page.evaluate("window.__violations || []")
        found = [*self.console, *events]
        self.console.clear()
        return found


def member(username, role, organisation, **fields):
    user = factories.UserFactory(username=username, **fields)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    totp_device_of(user)  # two-factor set up: signing in asks for a code
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def cast(directory):
    county = factories.OrganisationFactory(
        name="Sozialbüro Lahnfeld", kind=Organisation.Kind.COUNTY_DEPARTMENT
    )
    awo = factories.OrganisationFactory(name="AWO Lahnfeld")
    recipient_user = member("rita", Membership.Role.CONTACT, awo)
    recipient = factories.PersonFactory(organisation=awo, user=recipient_user, name="Rita")
    awo_page = factories.make_organisation_page(awo)
    location = factories.LocationFactory(organisation=awo)
    offer = factories.make_offer(
        awo_page,
        topics=[factories.TopicFactory(name="Schulden")],
        locations=[location],
        hours=[{**factories.WEEKDAY_HOURS, "location": 0}],
        title="Schuldnerberatung der AWO",
        handover_contact=recipient,
    )
    adviser = member("lea", Membership.Role.ADVISER, county)
    return {
        "coordinator": member("klara", Membership.Role.COORDINATOR, county),
        "adviser": adviser,
        "offer": offer,
        "location": location,
        "handover": factories.make_handover(adviser, recipient, offer=offer),
    }


def test_admin_pages_report_no_csp_violation(live_server, browser, sign_in, cast):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    watch = Watch(page)
    base = live_server.url
    seen = {}
    try:
        sign_in(page, cast["coordinator"])
        seen["sign-in (coordinator)"] = watch.violations()
        offer = cast["offer"]
        for name, path in [
            ("dashboard", "/admin/"),
            ("page explorer", f"/admin/pages/{offer.get_parent().pk}/"),
            ("offer editor", f"/admin/pages/{offer.pk}/edit/"),
            (
                "location snippet",
                f"/admin/snippets/lotse_directory/location/edit/{cast['location'].pk}/",
            ),
        ]:
            response = watch.visit(base + path)
            assert (response.status, page.url) == (200, base + path), name
            # Wagtail's own screens need inline script and style (see network/headers.py).
            assert (
                "script-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
            )
            if name == "offer editor":
                # Tabs, an inline panel's "add" (a script-built form) and the live preview.
                page.get_by_role("tab", name="Orte und Zeiten").click()
                page.locator("[id$='-ADD']").first.click()
                page.locator("[data-side-panel-toggle='preview']").click()
                page.wait_for_selector("iframe[title]", state="attached")
                page.wait_for_load_state("networkidle")
            seen[name] = watch.violations()

        context.clear_cookies()
        sign_in(page, cast["adviser"])
        seen["sign-in (adviser)"] = watch.violations()
        handover = cast["handover"]
        for name, path in [
            ("handover form", "/admin/handovers/new/"),
            ("sent handovers", "/admin/handovers/sent/"),
            ("handover detail", f"/admin/handovers/{handover.pk}/"),
            ("consent print", f"/admin/handovers/{handover.pk}/consent/"),
        ]:
            response = watch.visit(base + path)
            assert (response.status, page.url) == (200, base + path), name
            assert "no-store" in response.headers["cache-control"]
            # Lotse's own screens with a person's data keep the strict policy.
            policy = response.headers["content-security-policy"]
            assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
            seen[name] = watch.violations()
    finally:
        context.close()
    assert {name: found for name, found in seen.items() if found} == {}


def test_public_pages_report_no_csp_violation(live_server, browser, cast):
    context = browser.new_context(locale="de-DE", permissions=["geolocation"])
    context.set_geolocation({"latitude": 50.58, "longitude": 8.67})
    page = context.new_page()
    watch = Watch(page)
    seen = {}
    try:
        for name, path in [
            ("start and search", "/?q=Schulden"),
            ("offer", cast["offer"].url),
            ("english", "/en/"),
        ]:
            response = watch.visit(live_server.url + path)
            assert response.status == 200
            policy = response.headers["content-security-policy"]
            assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
            assert "geolocation=(self)" in response.headers["permissions-policy"]
            seen[name] = watch.violations()
    finally:
        context.close()
    assert {name: found for name, found in seen.items() if found} == {}
