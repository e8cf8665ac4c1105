"""LOTSE_BASE_TEMPLATE: the public pages sit inside a county's own base template."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, include, path, reverse

from lotse.directory.templatetags.lotse_tags import language_links
from tests import factories

pytestmark = pytest.mark.django_db

COUNTY = "county/base.html"


@pytest.fixture
def offer(db):
    factories.directory_root()
    organisation_page = factories.make_organisation_page()
    location = factories.LocationFactory(organisation=organisation_page.organisation)
    return factories.make_offer(
        organisation_page, locations=[location], hours=[{**factories.WEEKDAY_HOURS, "location": 0}]
    )


def inside_the_county_site(html):
    return (
        'id="county-header"' in html
        and 'id="county-footer"' in html
        and "lotse_directory/lotse.css" in html
        and 'hreflang="en"' in html
        and "Landkreis-Portal" in html.split("</title>")[0]
    )


def test_offer_organisation_and_directory_pages_use_the_county_base(client, offer, settings):
    settings.LOTSE_BASE_TEMPLATE = COUNTY
    for page in (offer, offer.get_parent(), offer.get_parent().get_parent()):
        html = client.get(page.url).content.decode()
        assert inside_the_county_site(html), page
        assert "skip-link" not in html  # Lotse's own base is not used
    html = client.get(offer.url).content.decode()
    assert offer.title in html
    assert '"@type"' in html  # the page's own head block (JSON-LD) is kept


def test_the_search_result_and_the_invitation_page_use_it_too(client, offer, settings):
    settings.LOTSE_BASE_TEMPLATE = COUNTY
    index = offer.get_parent().get_parent()
    assert inside_the_county_site(client.get(index.url, {"q": "Beratung"}).content.decode())
    response = client.get(reverse("network:invitation_accept", args=["unbekannt"]))
    assert response.status_code == 404
    assert 'id="county-header"' in response.content.decode()


def test_by_default_lotse_brings_its_own_base(client, offer):
    html = client.get(offer.url).content.decode()
    assert "skip-link" in html and 'id="county-header"' not in html
    assert html.count("lotse_directory/lotse.css") == 1


class WithoutLanguagePrefixes:
    from wagtail import urls as wagtail_urls

    urlpatterns = [path("", include("lotse.urls")), path("", include(wagtail_urls))]


def test_a_site_without_language_prefixes_gets_no_language_links(rf):
    request = rf.get("/hilfe/")
    clear_url_caches()
    try:
        with override_settings(ROOT_URLCONF=WithoutLanguagePrefixes):
            assert language_links({"request": request}) == []
    finally:
        clear_url_caches()
    assert [link["code"] for link in language_links({"request": request})] == ["de", "en"]
