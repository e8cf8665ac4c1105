"""Public pages: routing, content, JSON-LD, language switch and a constant query count."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from lotse.directory.models import DirectoryIndexPage, OfferPage, OrganisationPage
from tests import factories

pytestmark = pytest.mark.django_db

# Tuesday 24 November 2026, 10:00 in Berlin (09:00 UTC).
TUESDAY_MORNING = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block on the page"
    return json.loads(match.group(1))


def rich_offer(locations=1, terms=1):
    """An offer with `locations` places, two schedules each and `terms` of every taxonomy."""
    organisation_page = factories.make_organisation_page()
    organisation = organisation_page.organisation
    places = [
        factories.LocationFactory(organisation=organisation, name=f"Ort {i}")
        for i in range(locations)
    ]
    hours = []
    for i in range(locations):
        hours.append({**factories.WEEKDAY_HOURS, "location": i})
        hours.append(
            {
                "kind": "mobile",
                "location": i,
                "weekdays": ["WE"],
                "opens_at": dt.time(9),
                "closes_at": dt.time(12),
                "frequency": "monthly",
                "week_of_month": (i % 4) + 1,
            }
        )
    hours.append(
        {"kind": "phone", "weekdays": ["TH"], "opens_at": dt.time(14), "closes_at": dt.time(16)}
    )
    offer = factories.make_offer(
        organisation_page,
        topics=[factories.TopicFactory() for _ in range(terms)],
        locations=places,
        hours=hours,
        phone="06441 123-0",
        handover_contact=factories.PersonFactory(organisation=organisation),
    )
    offer.target_groups.set([factories.TargetGroupFactory() for _ in range(terms)])
    offer.languages.set(
        [factories.LanguageFactory(code=f"l{i}", name=f"Sprache {i}") for i in range(terms)]
    )
    offer.service_areas.set([factories.SocialAreaFactory() for _ in range(terms)])
    offer.save_revision().publish()
    return OfferPage.objects.get(pk=offer.pk)


def count_queries(client, url):
    client.get(url)  # warm caches that are per process, not per request (Site, ContentTypes)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_locations_schedules_and_terms(client):
    small = rich_offer(locations=1, terms=1)
    large = rich_offer(locations=10, terms=10)
    small_count = count_queries(client, small.url)
    large_count = count_queries(client, large.url)
    assert large_count == small_count
    assert small_count <= 20


class TestPageTree(WagtailTestUtils):
    def test_offers_live_below_organisation_pages_only(self, db):
        from wagtail.test.utils import WagtailPageTestCase

        case = WagtailPageTestCase()
        case.assertAllowedParentPageTypes(OfferPage, {OrganisationPage})
        case.assertAllowedParentPageTypes(OrganisationPage, {DirectoryIndexPage})
        case.assertAllowedSubpageTypes(OfferPage, set())
        case.assertAllowedSubpageTypes(OrganisationPage, {OfferPage})

    def test_offer_takes_the_organisation_of_its_parent(self, offer, organisation_page):
        assert offer.organisation_id == organisation_page.organisation_id
        assert offer.get_parent().specific == organisation_page


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_offer_page_shows_everything_a_citizen_needs(client):
    offer = rich_offer(locations=2, terms=2)
    response = client.get(offer.url, headers={"accept-language": "de"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de"' in html
    assert f'<h1 id="offer-title">{offer.title}</h1>' in html
    assert offer.organisation.name in html
    # Tuesday 10:00: the weekly hours Mo, Di, Fr 08:30–12:30 are running.
    assert "status--open" in html
    assert "12:30" in html
    for location in [ol.location for ol in offer.offer_locations.all()]:
        assert location.street in html
        assert f"{location.postcode} {location.town}" in html
    assert "06441 123-0" in html
    assert 'media="print"' in html


@time_machine.travel(dt.datetime(2026, 12, 25, 9, 0, tzinfo=dt.UTC), tick=False)
def test_offer_page_says_closed_on_a_holiday_and_when_it_opens_next(client, offer):
    html = client.get(offer.url).content.decode()
    assert "status--closed" in html
    assert "status--holiday" in html
    # Christmas Day 2026 is a Friday; the next opening is Monday 28 December.
    assert "28." in html


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_json_ld_describes_the_offer_and_its_opening_hours(client):
    offer = rich_offer(locations=1, terms=1)
    data = json_ld(client.get(offer.url).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Service"
    assert data["identifier"] == str(offer.hsds_id)
    assert data["name"] == offer.title
    assert data["provider"]["name"] == offer.organisation.name
    place = data["availableChannel"][0]["serviceLocation"]
    assert place["address"]["postalCode"] == "35578"
    hours = place["openingHoursSpecification"]
    weekly = next(h for h in hours if h["opens"] == "08:30")
    assert weekly["dayOfWeek"] == [
        "https://schema.org/Monday",
        "https://schema.org/Tuesday",
        "https://schema.org/Friday",
    ]
    assert weekly["closes"] == "12:30"
    phone = data["availableChannel"][1]["servicePhone"]
    assert phone["hoursAvailable"][0]["dayOfWeek"] == ["https://schema.org/Thursday"]


def test_json_ld_cannot_break_out_of_its_script_element(client, organisation_page):
    offer = factories.make_offer(organisation_page, summary="</script><script>alert(1)</script>")
    html = client.get(offer.url).content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["description"] == "</script><script>alert(1)</script>"


def test_english_version_lives_under_en_with_a_language_switch(client, offer):
    url = offer.url
    german = client.get(url)
    assert german.status_code == 200
    assert f'hreflang="en" href="/en{url}"' in german.content.decode()
    english = client.get(f"/en{url}")
    html = english.content.decode()
    assert english.status_code == 200
    assert '<html lang="en"' in html
    assert "Places and times" in html
    assert f'href="{url}" hreflang="de" lang="de"' in html


def test_german_is_the_default_language(client, offer):
    html = client.get(offer.url).content.decode()
    assert "Orte und Zeiten" in html
    assert "Places and times" not in html


def test_unpublished_offers_are_not_public(client, offer):
    offer.unpublish()
    assert client.get(offer.url).status_code == 404


def test_organisation_page_lists_its_live_offers(client, offer, organisation_page):
    draft = factories.make_offer(organisation_page, title="Entwurfsangebot")
    draft.unpublish()
    html = client.get(organisation_page.url).content.decode()
    assert offer.title in html
    assert offer.summary in html
    assert "Entwurfsangebot" not in html


def test_directory_index_lists_partners_by_kind(client, offer, directory):
    html = client.get(directory.url).content.decode()
    assert offer.organisation.name in html
    assert offer.organisation.get_kind_display() in html or "Wohlfahrtsverband" in html


def test_pages_work_without_javascript(client, offer):
    html = client.get(offer.url).content.decode()
    assert "<script" not in html.replace('<script type="application/ld+json">', "")


def test_moving_an_offer_to_another_partner_moves_its_ownership(offer):
    other = factories.make_organisation_page()
    offer.move(other, pos="last-child")
    offer.refresh_from_db()
    assert offer.organisation_id == other.organisation_id
    assert Page.objects.get(pk=offer.pk).get_parent().pk == other.pk
    # Publishing a revision written before the move must not hand the offer back.
    offer.get_latest_revision().publish()
    offer.refresh_from_db()
    assert offer.organisation_id == other.organisation_id
