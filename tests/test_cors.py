"""CORS: the public read-only APIs (HSDS, offer search and suggest) may be read from any origin,
without credentials; nothing that needs a login sends a CORS header (`network/cors.py`).

Through Django's test client and the full middleware stack, so the security headers of
`network/headers.py` are checked alongside.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.test import APIClient

from lotse.network.models import Membership, Organisation
from tests import factories

ORIGIN = "https://app.other-county.example"

pytestmark = pytest.mark.django_db


def cors_headers(response):
    return {name: value for name, value in response.items() if name.lower().startswith("access-")}


def preflight(client, url, headers="accept-language"):
    return client.options(
        url,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def member(username, role, organisation):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def public_urls(offer):
    topic = factories.TopicFactory()
    offer.topics.add(topic)
    offer.save_revision().publish()
    return [
        "/api/hsds/",
        "/api/hsds/services",
        f"/api/hsds/services/{offer.hsds_id}",
        "/api/hsds/organizations",
        f"/api/hsds/organizations/{offer.organisation.hsds_id}",
        "/api/hsds/taxonomies",
        "/api/hsds/taxonomy_terms",
        "/api/hsds/service_at_locations",
        "/api/v1/search/?q=Beratung",
        "/api/v1/search/suggest/?q=Be",
    ]


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
    editor = member("paula", Membership.Role.EDITOR, awo)
    handover = factories.make_handover(adviser, recipient, offer=offer)
    return adviser, editor, recipient, handover


# The public APIs


def test_public_apis_may_be_read_from_any_origin_without_credentials(public_urls, client):
    for url in public_urls:
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response, url
        assert response["Access-Control-Expose-Headers"] == "Retry-After", url
        # The security headers stay as they were.
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert "geolocation=(self)" in response["Permissions-Policy"], url
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_the_preflight_allows_reading_and_nothing_else(public_urls, client):
    for url in public_urls:
        response = preflight(client, url)
        assert response.status_code == 200, url
        assert cors_headers(response) == {
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
            "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Language, "
            "Content-Type",
            "Access-Control-Expose-Headers": "Retry-After",
            "Access-Control-Max-Age": "86400",
        }, url


def test_errors_of_the_public_apis_are_readable_across_origins(directory, client):
    for url, status in (
        ("/api/v1/search/?page_size=1000", 400),
        ("/api/v1/search/suggest/", 400),
        ("/api/hsds/services/no-such-service", 404),
        ("/api/hsds/services?page=0", 400),
    ):
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert response.status_code == status, url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response, url


@override_settings(LOTSE_RATELIMIT_HSDS="1/d")
def test_a_throttled_answer_tells_any_origin_when_to_come_back(directory, client):
    assert client.get("/api/hsds/services", HTTP_ORIGIN=ORIGIN).status_code == 200
    response = client.get("/api/hsds/services", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Expose-Headers"] == "Retry-After"
    assert int(response["Retry-After"]) > 0


def test_a_session_changes_nothing_for_the_public_apis(cast, client):
    """They sign nobody in (no credentials across origins), so a signed-in visitor gets the
    public answer with the same headers."""
    adviser, _editor, _recipient, _handover = cast
    client.force_login(adviser)
    for url in ("/api/hsds/services", "/api/v1/search/?q=Schulden"):
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response, url
        assert "default-src 'self'" in response["Content-Security-Policy"], url


# Everything that needs a login


def test_apis_that_need_a_login_send_no_cors_header(cast):
    adviser, editor, _recipient, handover = cast
    anonymous = APIClient()
    adviser_api = APIClient()
    adviser_api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(adviser)}")
    editor_api = APIClient()
    editor_api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(editor)}")
    private = {
        adviser_api: [
            "/api/v1/me/",
            "/api/v1/contacts/",
            "/api/v1/handovers/",
            f"/api/v1/handovers/{handover.pk}/",
        ],
        editor_api: ["/api/v1/partner/offers/"],
    }
    for api, urls in private.items():
        for url in urls:
            for client, expected in ((api, {200}), (anonymous, {401, 403})):
                response = client.get(url, HTTP_ORIGIN=ORIGIN)
                assert response.status_code in expected, url
                assert cors_headers(response) == {}, url
                assert "Content-Security-Policy" in response, url
                if client is api:
                    assert "no-store" in response["Cache-Control"], url
                assert cors_headers(preflight(client, url, headers="authorization")) == {}, url


def test_admin_screens_send_no_cors_header(cast, client):
    adviser, _editor, recipient, _handover = cast
    for url in ("/admin/", "/admin/login/"):
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert cors_headers(response) == {}, url
        assert cors_headers(preflight(client, url)) == {}, url
    client.force_login(adviser)
    for url in ("/admin/", f"/admin/snippets/lotse_network/person/edit/{recipient.pk}/"):
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert response.status_code in (200, 302), url
        assert cors_headers(response) == {}, url
        assert "no-store" in response["Cache-Control"], url
