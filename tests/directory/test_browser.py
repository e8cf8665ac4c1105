"""Public pages in a real browser: no JavaScript needed, WCAG 2.1 AA (axe-core), print layout."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def published_offer():
    organisation_page = factories.make_organisation_page()
    organisation = organisation_page.organisation
    location = factories.LocationFactory(
        organisation=organisation, step_free_access=True, hearing_loop=True
    )
    return factories.make_offer(
        organisation_page,
        locations=[location],
        hours=[{**factories.WEEKDAY_HOURS, "location": 0}],
        phone="06441 407-0",
        easy_language_summary="Sie haben Schulden. Wir helfen Ihnen.",
    )


def axe_violations(page):
    results = Axe().run(page, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×)" for v in results.response["violations"]]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_pass_axe_without_javascript(live_server, browser, published_offer, prefix):
    organisation_page = published_offer.get_parent()
    paths = [published_offer.url, organisation_page.url, "/"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        for path in paths:
            page.goto(f"{live_server.url}{prefix}{path}")
            assert page.locator("h1").count() == 1
            # axe itself is JavaScript, so it audits the same page in a second context.
            js_context = browser.new_context()
            checked = js_context.new_page()
            checked.goto(f"{live_server.url}{prefix}{path}")
            assert axe_violations(checked) == [], path
            js_context.close()
    finally:
        context.close()


def test_offer_page_reads_fully_without_javascript(live_server, page_without_js, published_offer):
    page = page_without_js
    page.goto(live_server.url + published_offer.url)
    assert page.locator("h1").inner_text() == published_offer.title
    assert page.get_by_text("06441 407-0").is_visible()
    assert page.get_by_text("Marktplatz 1").is_visible()
    # The skip link becomes visible on keyboard focus and leads to the main content.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.get_attribute("href") == "#main"


def test_print_layout_hides_navigation_and_keeps_contact(
    live_server, page_without_js, published_offer
):
    page = page_without_js
    page.goto(live_server.url + published_offer.url)
    assert page.locator(".language-switch").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".language-switch").is_visible()
    assert not page.locator(".breadcrumbs").is_visible()
    assert page.get_by_text("06441 407-0").is_visible()


def test_axe_check_reports_real_violations(browser):
    """Guards the audit above: a page with known faults must not pass."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html><body><img src="x.png"><a href="/"></a></body></html>')
    violations = axe_violations(page)
    context.close()
    assert any(v.startswith("image-alt") for v in violations)
    assert any(v.startswith("html-has-lang") for v in violations)
