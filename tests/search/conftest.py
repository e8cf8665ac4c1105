"""Search fixtures: `search_backend` is the backend under test, `corpus` a small indexed county.

The behaviour suite (test_backend_behaviour.py) runs once per backend the `search_backend`
fixture yields; add a backend by adding a param to it.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from lotse.directory.models import OfferPage
from lotse.search import analysis
from lotse.search.backends import client_installed, database
from tests import factories

if not client_installed():
    # Without the `elasticsearch` extra only the database backend is tested.
    collect_ignore = ["test_elasticsearch.py"]

BERLIN = ZoneInfo("Europe/Berlin")
#: A Monday morning that is no public holiday.
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, db):
    """The backend under test, with an empty index."""
    analysis.invalidate()
    database._cache.clear()
    if request.param == "elasticsearch":
        backend = request.getfixturevalue("elasticsearch_backend")
    else:
        backend = database.DatabaseBackend()
    backend.rebuild([])
    yield backend
    analysis.invalidate()


def _hours(kind, weekdays, opens, closes, location=None):
    hours = {
        "kind": kind,
        "weekdays": weekdays,
        "opens_at": dt.time(*opens),
        "closes_at": dt.time(*closes),
    }
    if location is not None:
        hours["location"] = location
    return hours


@pytest.fixture(scope="module")
def corpus_pks(django_db_setup, django_db_blocker):
    """The corpus's page ids: built once per module, rolled back after it.

    Creating pages is what makes search tests slow, so the offers are written once in an
    outer transaction; each test runs in a savepoint of it and is rolled back as usual. Tests
    of a module that uses `corpus` see these offers from its first use on, so modules that
    need an empty directory do not use it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield {key: offer.pk for key, offer in build_corpus().items()}
        transaction.set_rollback(True)


@pytest.fixture
def corpus(search_backend, corpus_pks):
    """Six offers in two towns, indexed by the backend under test; keyed by a short name."""
    offers = {key: OfferPage.objects.get(pk=pk) for key, pk in corpus_pks.items()}
    analysis.invalidate()
    search_backend.rebuild()
    return offers


def build_corpus():
    county = factories.SocialAreaFactory(
        name="Landkreis Lahnfeld", slug="landkreis", kind="county", latitude=50.6, longitude=8.6
    )
    lahnfeld = factories.SocialAreaFactory(
        name="Lahnfeld",
        slug="lahnfeld",
        parent=county,
        postcodes="35578, 35579",
        latitude=50.55,
        longitude=8.5,
    )
    wetzbach = factories.SocialAreaFactory(
        name="Wetzbach",
        slug="wetzbach",
        parent=county,
        postcodes="35630",
        latitude=50.70,
        longitude=8.70,
    )
    debt = factories.TopicFactory(name="Schulden", slug="schulden")
    care = factories.TopicFactory(name="Pflege", slug="pflege")
    work = factories.TopicFactory(name="Arbeit und Grundsicherung", slug="arbeit")
    age = factories.TopicFactory(name="Alter", slug="alter")
    addiction = factories.TopicFactory(name="Sucht", slug="sucht")
    families = factories.TargetGroupFactory(name="Familien", slug="familien")
    young = factories.TargetGroupFactory(name="Jugendliche", slug="jugendliche")
    turkish = factories.LanguageFactory(code="tr", name="Türkisch")
    arabic = factories.LanguageFactory(code="ar", name="Arabisch")

    caritas = factories.make_organisation_page(
        factories.OrganisationFactory(name="Caritas Lahnfeld", slug="caritas")
    )
    county_office = factories.make_organisation_page(
        factories.OrganisationFactory(name="Kreisverwaltung", slug="kreis")
    )
    in_lahnfeld = factories.LocationFactory(
        organisation=caritas.organisation,
        town="Lahnfeld",
        postcode="35578",
        social_area=lahnfeld,
        latitude=50.55,
        longitude=8.5,
        step_free_access=True,
    )
    in_wetzbach = factories.LocationFactory(
        organisation=county_office.organisation,
        town="Wetzbach",
        postcode="35630",
        social_area=wetzbach,
        latitude=50.70,
        longitude=8.70,
        step_free_access=False,
    )

    offers = {}
    offers["debt"] = factories.make_offer(
        caritas,
        title="Schuldnerberatung",
        summary="Hilfe bei Schulden und drohender Überschuldung.",
        description="<p>Wir beraten Familien vertraulich und kostenlos.</p>",
        topics=[debt],
        locations=[in_lahnfeld],
        hours=[_hours("in_person", ["MO", "TU", "FR"], (8, 30), (12, 30), 0)],
        is_free=True,
    )
    offers["care"] = factories.make_offer(
        county_office,
        title="Pflegestützpunkt Wetzbach",
        summary="Beratung für pflegende Angehörige und Menschen mit Pflegebedarf.",
        topics=[care],
        locations=[in_wetzbach],
        hours=[_hours("phone", ["WE"], (9, 0), (11, 0))],
        is_free=False,
        fee_description="5 Euro je Termin",
    )
    offers["citizen"] = factories.make_offer(
        county_office,
        title="Bürgergeld: Antrag und Beratung",
        summary="Wir helfen beim Antrag auf Bürgergeld und bei Fragen zum Bescheid.",
        topics=[work],
        locations=[in_wetzbach],
        hours=[
            _hours("in_person", ["TH"], (14, 0), (16, 0), 0),
            _hours("video", ["MO"], (9, 0), (11, 0)),
        ],
    )
    offers["pension"] = factories.make_offer(
        county_office,
        title="Altersvorsorge verstehen",
        summary="Fragen zur gesetzlichen und privaten Vorsorge im Alter.",
        topics=[age],
        locations=[in_wetzbach],
        hours=[_hours("in_person", ["SA"], (10, 0), (12, 0), 0)],
    )
    offers["addiction"] = factories.make_offer(
        caritas,
        title="Suchtberatungen für junge Menschen",
        summary="Offene Sprechstunde bei Fragen zu Alkohol und Drogen.",
        topics=[addiction],
        locations=[in_lahnfeld],
        hours=[_hours("mobile", ["MO"], (9, 0), (17, 0), 0)],
    )
    offers["family"] = factories.make_offer(
        caritas,
        title="Familienzentrum Lahnfeld",
        summary="Treffpunkt, Beratung und Kurse für Eltern und Kinder.",
        topics=[debt],
        locations=[in_lahnfeld],
        hours=[_hours("in_person", ["TU"], (14, 0), (18, 0), 0)],
    )
    offers["draft"] = factories.make_offer(
        caritas,
        title="Geheime Schuldnerberatung",
        summary="Noch nicht veröffentlicht.",
        topics=[debt],
        publish=False,
    )
    for key, target in (("debt", families), ("family", families), ("addiction", young)):
        offers[key].target_groups.set([target])
    offers["debt"].languages.set([turkish])
    offers["citizen"].languages.set([arabic, turkish])
    for key in ("debt", "citizen", "addiction", "family"):
        offers[key].save_revision().publish()
    return offers


# Elasticsearch: a real osmem-server (the OpenSearch-compatible in-memory server from PyPI)


@pytest.fixture(scope="session")
def osmem():
    """osmem-server as a subprocess on a free port for the whole session; stopped at the end."""
    from lotse.search.osmem import OsmemProcess

    if not client_installed():
        pytest.skip("the Elasticsearch client is not installed (pip install 'lotse[test]')")

    server = OsmemProcess().start()
    yield server
    server.stop()


@pytest.fixture
def elasticsearch_backend(osmem, settings):
    """The Elasticsearch backend on osmem-server, with an index alias of this test's own."""
    import uuid

    from lotse.search.backends.elasticsearch import ElasticsearchBackend
    from lotse.search.circuit import CircuitBreaker

    if osmem.paused:
        osmem.resume()
    if not osmem.answers():
        osmem.stop()
        osmem.start()
    settings.ELASTICSEARCH_URL = osmem.url
    settings.ELASTICSEARCH_COMPAT = "opensearch"
    settings.LOTSE_SEARCH_INDEX = f"test-offers-{uuid.uuid4().hex[:12]}"
    CircuitBreaker().reset()
    backend = ElasticsearchBackend()
    yield backend
    if osmem.paused:
        osmem.resume()
    if osmem.answers():
        backend.drop()
    CircuitBreaker().reset()
