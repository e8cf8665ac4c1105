"""The search document of an offer: the keys both backends rely on."""

import datetime as dt

import pytest

from lotse.directory.models import OfferPage
from lotse.search import documents
from lotse.search.documents import build_document, schedule_objects
from tests import factories

pytestmark = pytest.mark.django_db

STABLE_KEYS = {
    "page_id",
    "hsds_id",
    "url",
    "title",
    "summary",
    "description",
    "topics",
    "topic_slugs",
    "topic_names",
    "target_groups",
    "target_group_slugs",
    "target_group_names",
    "languages",
    "language_codes",
    "organisation",
    "areas",
    "area_slugs",
    "towns",
    "postcodes",
    "locations",
    "points",
    "is_free",
    "step_free",
    "attending",
    "schedules",
    "title_terms",
    "summary_terms",
    "body_terms",
    "words",
    "suggest",
}


@pytest.fixture
def rich_offer(organisation_page):
    county = factories.SocialAreaFactory(name="Landkreis", slug="landkreis", kind="county")
    town = factories.SocialAreaFactory(name="Lahnfeld", slug="lahnfeld", parent=county)
    quarter = factories.SocialAreaFactory(
        name="Altstadt", slug="altstadt", kind="social_area", parent=town
    )
    care = factories.TopicFactory(name="Pflege", slug="pflege")
    advice = factories.TopicFactory(name="Pflegeberatung", slug="pflegeberatung", parent=care)
    elderly = factories.TargetGroupFactory(name="Ältere Menschen", slug="aeltere")
    turkish = factories.LanguageFactory(code="tr", name="Türkisch")
    place = factories.LocationFactory(
        organisation=organisation_page.organisation,
        social_area=quarter,
        step_free_access=True,
        postcode="35578",
        town="Lahnfeld",
    )
    offer = factories.make_offer(
        organisation_page,
        topics=[advice],
        locations=[place],
        hours=[
            {**factories.WEEKDAY_HOURS, "location": 0},
            {"kind": "phone", "weekdays": ["WE"], "opens_at": dt.time(9), "closes_at": dt.time(11)},
        ],
        title="Pflegestützpunkt Lahnfeld",
        summary="Beratungen rund um die Pflege.",
        description="<p>Wir <b>beraten</b> Angehörige.</p>",
        is_free=True,
    )
    offer.target_groups.set([elderly])
    offer.languages.set([turkish])
    offer.save_revision().publish()
    return OfferPage.objects.get(pk=offer.pk)


def test_document_has_every_key_and_the_offers_facts(rich_offer):
    offer = documents.live_offers().get(pk=rich_offer.pk)
    doc = build_document(offer)
    assert set(doc) >= STABLE_KEYS
    assert doc["page_id"] == offer.pk
    assert doc["hsds_id"] == str(offer.hsds_id)
    assert doc["url"] == offer.url
    assert doc["description"].strip() == "Wir beraten Angehörige."
    assert doc["topic_slugs"] == ["pflegeberatung", "pflege"]
    assert doc["topics"] == [{"slug": "pflegeberatung", "name": "Pflegeberatung"}]
    assert doc["target_group_slugs"] == ["aeltere"]
    assert doc["language_codes"] == ["tr"]
    assert doc["organisation"]["id"] == str(offer.organisation.hsds_id)
    assert doc["area_slugs"] == ["altstadt", "lahnfeld", "landkreis"]
    assert doc["towns"] == ["Lahnfeld"] and doc["postcodes"] == ["35578"]
    assert doc["points"] == [{"lat": 50.55, "lon": 8.5}]
    assert doc["is_free"] is True and doc["step_free"] is True
    assert doc["attending"] == ["in_person", "phone"]
    assert {s["kind"] for s in doc["schedules"]} == {"in_person", "phone"}


def test_document_carries_analysed_tokens(rich_offer):
    doc = build_document(documents.live_offers().get(pk=rich_offer.pk))
    assert "pflegestutzpunkt" in doc["title_terms"].split()
    assert "pfleg" in doc["title_terms"].split()  # from the compound
    assert "berat" in doc["summary_terms"].split()  # "Beratungen"
    assert "pflegestutzpunkt" in doc["words"]
    assert doc["words"]["pflegestutzpunkt"] == "Pflegestützpunkt"


def test_service_areas_count_for_their_parts_and_wholes(organisation_page):
    town = factories.SocialAreaFactory(name="Lahnfeld", slug="lahnfeld")
    quarter = factories.SocialAreaFactory(
        name="Altstadt", slug="altstadt", kind="social_area", parent=town
    )
    offer = factories.make_offer(organisation_page)
    offer.service_areas.set([town])
    offer.save_revision().publish()
    doc = build_document(documents.live_offers().get(pk=offer.pk))
    assert set(doc["area_slugs"]) == {"lahnfeld", quarter.slug}
    assert doc["attending"] == []


def test_schedules_round_trip_to_opening_hours_objects(rich_offer):
    from django.utils import timezone

    from lotse.directory import opening_hours

    doc = build_document(documents.live_offers().get(pk=rich_offer.pk))
    objects = schedule_objects(doc["schedules"])
    # Monday 2026-11-23 10:00 local time: the weekday hours are open.
    monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=timezone.get_current_timezone())
    assert opening_hours.is_open(objects, monday) is not None
    assert opening_hours.is_open(objects, monday.replace(hour=14)) is None


def test_only_live_offers_get_documents(organisation_page):
    live = factories.make_offer(organisation_page, title="Live")
    draft = factories.make_offer(organisation_page, title="Entwurf", publish=False)
    built, gone = documents.documents_for([live.pk, draft.pk])
    assert [d["page_id"] for d in built] == [live.pk]
    assert gone == [draft.pk]
    assert [d["page_id"] for d in documents.all_documents()] == [live.pk]
