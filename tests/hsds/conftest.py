"""HSDS fixtures: the official schemas (verbatim copies in `official/`) and a small county.

`validate(document, ref)` checks a document against an official schema, e.g.
`"compiled/service.json"`, or against a response schema inside the official OpenAPI file,
e.g. `response("/services")`. The schema files are registered under the URLs the OpenAPI file
uses for them, so its `$ref`s resolve to our copies and nothing is fetched.
"""

import datetime as dt
import json
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from lotse.directory.hsds.schemas import SPECIFICATION_URL, format_checker
from lotse.directory.models import OfferPage
from lotse.network.models import Organisation
from tests import factories

OFFICIAL = Path(__file__).resolve().parent / "official"
SCHEMA_FILES = (
    "openapi.json",
    "taxonomy.json",
    "taxonomy_term.json",
    *(
        f"compiled/{path.name}"
        for path in sorted((OFFICIAL / "schema" / "compiled").glob("*.json"))
    ),
)


def official(path):
    return json.loads((OFFICIAL / path).read_text(encoding="utf-8"))


@cache
def registry():
    resources = [
        (
            SPECIFICATION_URL + name,
            Resource.from_contents(official(f"schema/{name}"), default_specification=DRAFT202012),
        )
        for name in SCHEMA_FILES
    ]
    return Registry().with_resources(resources)


def response(path, status="200"):
    """The reference to the official OpenAPI file's schema of a GET response of `path`."""
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"openapi.json#/paths/{escaped}/get/responses/{status}/content/application~1json/schema"


@cache
def validator(ref):
    schema = {"$ref": SPECIFICATION_URL + ref}
    return jsonschema.Draft202012Validator(
        schema, registry=registry(), format_checker=format_checker()
    )


def schema_errors(document, ref):
    return [f"{error.json_path}: {error.message}" for error in validator(ref).iter_errors(document)]


def assert_valid(document, ref):
    errors = schema_errors(document, ref)
    assert not errors, f"not valid against {ref}:\n" + "\n".join(errors[:20])


PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def assert_page(body, path, item_ref):
    """A list response: the official response schema, every envelope key, every item."""
    assert set(body) == PAGE_KEYS
    assert_valid(body, response(path))
    for item in body["contents"]:
        assert_valid(item, item_ref)


def hours(kind, weekdays, opens, closes, location=None, **extra):
    values = {
        "kind": kind,
        "weekdays": weekdays,
        "opens_at": dt.time(*opens),
        "closes_at": dt.time(*closes),
        **extra,
    }
    if location is not None:
        values["location"] = location
    return values


def republish(offer):
    offer.save_revision().publish()
    return OfferPage.objects.get(pk=offer.pk)


@pytest.fixture(scope="module")
def county_once(django_db_setup, django_db_blocker):
    """`build_county()` once per module, in a transaction rolled back after the module.

    Every test runs in a savepoint of its own inside it, as usual, so tests may change data.
    """
    from django.core.cache import cache

    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        yield build_county()
        transaction.set_rollback(True)


@pytest.fixture
def county(county_once, db):
    """The county, with every object read afresh from the database."""
    return SimpleNamespace(
        **{
            name: type(value).objects.get(pk=value.pk) if isinstance(value, Model) else value
            for name, value in vars(county_once).items()
        }
    )


def build_county():
    """Two partners with three published offers, a draft, and a partner nobody sees.

    Covers what the mapping handles: broader and narrower topics, a target group, a language,
    a service area, a handover contact, free and paid offers, weekly, fortnightly, monthly and
    phone hours, accessibility features and notes.
    """
    factories.directory_root()
    area = factories.SocialAreaFactory(
        name="Landkreis Lahnfeld", slug="landkreis", kind="county", latitude=50.6, longitude=8.6
    )
    lahnfeld = factories.SocialAreaFactory(
        name="Lahnfeld",
        slug="lahnfeld",
        parent=area,
        postcodes="35578, 35579",
        latitude=50.55,
        longitude=8.5,
    )
    wetzbach = factories.SocialAreaFactory(
        name="Wetzbach",
        slug="wetzbach",
        parent=area,
        postcodes="35630",
        latitude=50.70,
        longitude=8.70,
    )
    money = factories.TopicFactory(name="Geld", slug="geld", description="Rund ums Geld.")
    debt = factories.TopicFactory(name="Schulden", slug="schulden", parent=money)
    care = factories.TopicFactory(name="Pflege", slug="pflege")
    unused = factories.TopicFactory(name="Sucht", slug="sucht")
    families = factories.TargetGroupFactory(name="Familien", slug="familien")
    turkish = factories.LanguageFactory(code="tr", name="Türkisch")
    caritas = factories.make_organisation_page(
        factories.OrganisationFactory(
            name="Caritas Lahnfeld",
            slug="caritas",
            short_name="Caritas",
            description="Beratung und Hilfe der Caritas.",
            website="https://caritas-lahnfeld.example",
            email="info@caritas-lahnfeld.example",
            phone="069 90009-100",
        )
    )
    county_office = factories.make_organisation_page(
        factories.OrganisationFactory(
            name="Kreisverwaltung Lahnfeld",
            slug="kreis",
            kind=Organisation.Kind.COUNTY_DEPARTMENT,
        )
    )
    caritas.organisation.parent = county_office.organisation
    caritas.organisation.save()
    hidden = factories.OrganisationFactory(name="Verein ohne Angebote", slug="verein")
    house = factories.LocationFactory(
        organisation=caritas.organisation,
        name="Caritas-Haus",
        street="Marktplatz 1",
        postcode="35578",
        town="Lahnfeld",
        social_area=lahnfeld,
        latitude=50.55,
        longitude=8.5,
        step_free_access=True,
        hearing_loop=True,
        accessibility_notes="Klingel am Seiteneingang.",
    )
    town_hall = factories.LocationFactory(
        organisation=county_office.organisation,
        name="Kreishaus",
        street="Am Kreishaus 3",
        postcode="35630",
        town="Wetzbach",
        social_area=wetzbach,
        latitude=50.70,
        longitude=8.70,
    )
    secret_place = factories.LocationFactory(
        organisation=caritas.organisation, name="Geheimer Ort", town="Lahnfeld"
    )
    contact = factories.PersonFactory(
        organisation=caritas.organisation, name="Erika Muster", function="Schuldnerberaterin"
    )
    debt_offer = factories.make_offer(
        caritas,
        title="Schuldnerberatung",
        summary="Hilfe bei Schulden und drohender Überschuldung.",
        description="<p>Wir beraten <b>vertraulich</b>.</p><ul><li>Haushaltsplan</li></ul>",
        topics=[debt],
        locations=[house],
        hours=[
            hours("in_person", ["MO", "TU", "FR"], (8, 30), (12, 30), 0),
            hours(
                "in_person",
                ["WE"],
                (14, 0),
                (17, 0),
                0,
                frequency="monthly",
                week_of_month=1,
                note="Offene Sprechstunde",
            ),
            hours("phone", ["TH"], (9, 0), (11, 0)),
        ],
        is_free=True,
        email="schulden@caritas-lahnfeld.example",
        phone="069 90009-101",
        website="https://caritas-lahnfeld.example/schulden",
        eligibility="Menschen mit Schulden im Landkreis.",
        how_to_apply="Rufen Sie an.",
        what_to_bring="Kontoauszüge und Mahnungen.",
        min_age=18,
        handover_contact=contact,
    )
    debt_offer.target_groups.set([families])
    debt_offer.languages.set([turkish])
    debt_offer.service_areas.set([lahnfeld])
    debt_offer = republish(debt_offer)
    care_offer = factories.make_offer(
        county_office,
        title="Pflegestützpunkt",
        summary="Beratung für pflegende Angehörige.",
        topics=[care],
        locations=[town_hall],
        hours=[
            hours(
                "in_person",
                ["TH"],
                (14, 0),
                (16, 0),
                0,
                interval=2,
                valid_from=dt.date(2026, 1, 5),
                valid_to=dt.date(2026, 12, 31),
            )
        ],
        is_free=False,
        fee_description="5 Euro je Termin",
    )
    family_offer = factories.make_offer(
        caritas,
        title="Familienberatung",
        summary="Beratung für Eltern und Kinder.",
        topics=[money],
        locations=[house, town_hall],
        hours=[hours("video", ["MO"], (9, 0), (11, 0))],
    )
    draft = factories.make_offer(
        caritas,
        title="Geheimer Entwurf",
        summary="Noch nicht veröffentlicht.",
        topics=[unused],
        locations=[secret_place],
        publish=False,
    )
    # Published offers, edited later: each has its own moment of publication.
    base = timezone.now() - dt.timedelta(days=30)
    for days, offer in enumerate((debt_offer, care_offer, family_offer)):
        OfferPage.objects.filter(pk=offer.pk).update(
            last_published_at=base + dt.timedelta(days=10 * days)
        )
    return SimpleNamespace(
        caritas=Organisation.objects.get(pk=caritas.organisation.pk),
        county_office=Organisation.objects.get(pk=county_office.organisation.pk),
        hidden=hidden,
        house=house,
        town_hall=town_hall,
        secret_place=secret_place,
        contact=contact,
        money=money,
        debt=debt,
        care=care,
        unused=unused,
        families=families,
        turkish=turkish,
        lahnfeld=lahnfeld,
        debt_offer=OfferPage.objects.get(pk=debt_offer.pk),
        care_offer=OfferPage.objects.get(pk=care_offer.pk),
        family_offer=OfferPage.objects.get(pk=family_offer.pk),
        draft=draft,
        base=base,
    )
