"""Security headers: CSP and Permissions-Policy everywhere, no-store wherever personal data goes.

Through Django's test client and the full middleware stack; the browser test
(`test_browser_csp.py`) shows that the pages work under the policy.
"""

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from lotse.network.headers import ContentSecurityPolicyMiddleware, SecurityHeadersMiddleware
from lotse.network.models import Membership, Organisation
from tests import factories

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
}


def directives(response):
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def no_store(response):
    return "no-store" in response.get("Cache-Control", "") and response["Pragma"] == "no-cache"


def member(username, role, organisation):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def cast(directory):
    county = factories.OrganisationFactory(kind=Organisation.Kind.COUNTY_DEPARTMENT)
    awo = factories.OrganisationFactory(name="AWO Lahnfeld")
    recipient = factories.PersonFactory(
        organisation=awo, user=member("rita", Membership.Role.CONTACT, awo), name="Rita"
    )
    offer = factories.make_offer(
        factories.make_organisation_page(awo), title="Schuldnerberatung", handover_contact=recipient
    )
    adviser = member("lea", Membership.Role.ADVISER, county)
    handover = factories.make_handover(adviser, recipient, offer=offer)
    return adviser, recipient, offer, handover


# Content-Security-Policy and Permissions-Policy


def test_public_pages_and_apis_get_the_strict_policy(cast, client):
    _adviser, _recipient, offer, _handover = cast
    for url in ("/", "/en/", offer.url, "/api/hsds/services", "/api/v1/search/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == STRICT, url
        permissions = response["Permissions-Policy"]
        assert "geolocation=(self)" in permissions
        assert "camera=()" in permissions and "microphone=()" in permissions
        assert "payment=()" in permissions
        # Public answers to anonymous visitors may be cached.
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_wagtail_admin_pages_allow_inline_script_but_nothing_else(cast, client):
    adviser, _recipient, offer, _handover = cast
    client.force_login(adviser)
    response = client.get(f"/admin/pages/{offer.pk}/")
    assert response.status_code == 200
    policy = directives(response)
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "'nonce-" not in response["Content-Security-Policy"]  # a nonce would void it
    assert {"frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"} <= policy
    assert no_store(response)


def test_handover_screens_keep_the_strict_policy_and_are_never_stored(cast, client):
    adviser, _recipient, _offer, handover = cast
    client.force_login(adviser)
    for url in (
        "/admin/handovers/",
        "/admin/handovers/sent/",
        "/admin/handovers/new/",
        f"/admin/handovers/{handover.pk}/",
        f"/admin/handovers/{handover.pk}/consent/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == STRICT, url
        assert no_store(response), url
        assert "private" in response["Cache-Control"]


def test_the_consent_print_needs_no_inline_script_or_style(cast, client):
    adviser, _recipient, _offer, handover = cast
    client.force_login(adviser)
    html = client.get(f"/admin/handovers/{handover.pk}/consent/").content.decode()
    assert "<style" not in html and "onclick" not in html
    assert "lotse_handover/consent-print.js" in html and "lotse_handover/consent-print.css" in html


def test_a_page_its_own_site_may_frame_says_so_in_the_policy(db):
    """Wagtail's preview answers X-Frame-Options: SAMEORIGIN; frame-ancestors follows it."""

    def preview(request):
        response = HttpResponse("preview")
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    request = RequestFactory().get("/admin/pages/3/edit/preview/")
    response = ContentSecurityPolicyMiddleware(preview)(request)
    assert "frame-ancestors 'self'" in directives(response)


def test_a_template_that_uses_the_nonce_gets_it_into_the_policy(db):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"script-src 'self' 'nonce-{nonce}'" in directives(response)


@override_settings(LOTSE_CSP_REPORT_URI="https://csp.example.org/report")
def test_violations_are_reported_where_configured(directory, client):
    response = client.get("/")
    policy = directives(response)
    assert "report-uri https://csp.example.org/report" in policy
    assert "report-to lotse-csp" in policy
    assert response["Reporting-Endpoints"] == 'lotse-csp="https://csp.example.org/report"'


def test_no_report_endpoint_by_default(directory, client):
    response = client.get("/")
    assert "report-uri" not in response["Content-Security-Policy"]
    assert "Reporting-Endpoints" not in response


# Cache-Control for personal data


def test_handover_api_answers_are_never_stored(cast):
    adviser, _recipient, _offer, handover = cast
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(adviser)}")
    for url in ("/api/v1/me/", "/api/v1/handovers/", f"/api/v1/handovers/{handover.pk}/"):
        response = api.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
    assert "Mietschulden" in api.get(f"/api/v1/handovers/{handover.pk}/").content.decode()


def test_partner_api_and_admin_person_pages_are_never_stored(cast, client):
    _adviser, recipient, _offer, _handover = cast
    editor = member("paula", Membership.Role.EDITOR, recipient.organisation)
    api = APIClient()
    api.force_authenticate(editor)
    assert no_store(api.get("/api/v1/partner/offers/"))
    client.force_login(editor)
    response = client.get(f"/admin/snippets/lotse_network/person/edit/{recipient.pk}/")
    assert response.status_code == 200
    assert no_store(response)


def test_anything_a_signed_in_user_gets_is_never_stored(cast, client):
    adviser, _recipient, offer, _handover = cast
    assert not no_store(client.get(offer.url))
    client.force_login(adviser)
    # The public offer page shows an adviser the "hand over" action.
    assert no_store(client.get(offer.url))


def test_requests_with_credentials_are_never_stored_even_when_refused(db):
    request = RequestFactory().get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong")
    response = SecurityHeadersMiddleware(lambda request: HttpResponse(status=401))(request)
    assert no_store(response)
