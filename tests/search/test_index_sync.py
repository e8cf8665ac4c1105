"""The index follows the directory: publishing, unpublishing, moving and deleting an offer, and
changing a place, an organisation or a taxonomy term it uses, update the search index through
the background task (run at once in tests, after the transaction commits).

Each test runs against the database index alone and with Elasticsearch (osmem-server)
configured, where the same task also writes the engine; `find` asks the backend under test.
"""

import pytest
from wagtail.actions.unpublish_page import UnpublishPageAction

from lotse.directory.models import OfferPage
from lotse.search import analysis, service
from lotse.search.backends import database
from lotse.search.query import SearchQuery
from tests import factories

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "elasticsearch"])
def find(request, db, settings):
    """`find(**query)` -> {title: Hit} from the backend under test (empty indices at start)."""
    analysis.invalidate()
    database._cache.clear()
    database.DatabaseBackend().rebuild([])
    if request.param == "elasticsearch":
        backend = request.getfixturevalue("elasticsearch_backend")
    else:
        settings.ELASTICSEARCH_URL = ""
        backend = database.DatabaseBackend()

    def search(**params):
        params.setdefault("now", MONDAY_10)
        result = backend.search(service.prepare(SearchQuery(**params)))
        return {hit.title: hit for hit in result.hits}

    search.backend = backend
    return search


@pytest.fixture
def synced(django_capture_on_commit_callbacks):
    """Run the index tasks the block queues, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(directory, synced):
    county = factories.SocialAreaFactory(name="Landkreis", slug="landkreis", kind="county")
    areas = {
        slug: factories.SocialAreaFactory(name=name, slug=slug, parent=county)
        for slug, name in (("lahnfeld", "Lahnfeld"), ("wetzbach", "Wetzbach"))
    }
    caritas = factories.make_organisation_page(
        factories.OrganisationFactory(name="Caritas Lahnfeld", slug="caritas")
    )
    diakonie = factories.make_organisation_page(
        factories.OrganisationFactory(name="Diakonie Wetzbach", slug="diakonie")
    )
    place = factories.LocationFactory(
        organisation=caritas.organisation, town="Lahnfeld", social_area=areas["lahnfeld"]
    )
    debts = factories.TopicFactory(name="Schulden", slug="schulden")
    families = factories.TargetGroupFactory(name="Familien", slug="familien")
    with synced():
        offer = factories.make_offer(
            caritas,
            title="Schuldnerberatung",
            summary="Hilfe bei Schulden.",
            topics=[debts],
            locations=[place],
        )
        offer.target_groups.set([families])
        offer.save_revision().publish()
    return {
        "offer": OfferPage.objects.get(pk=offer.pk),
        "caritas": caritas,
        "diakonie": diakonie,
        "place": place,
        "areas": areas,
        "topic": debts,
        "group": families,
    }


def test_publishing_indexes_drafts_do_not_and_unpublishing_removes(find, world, synced):
    offer = world["offer"]
    assert set(find(q="Schuldnerberatung")) == {"Schuldnerberatung"}

    offer.title = "Mieterhilfe"
    with synced():
        offer.save_revision()  # a draft: the public still sees the published version
    assert set(find(q="Schuldnerberatung")) == {"Schuldnerberatung"}
    assert find(q="Mieterhilfe") == {}

    with synced():
        offer.get_latest_revision().publish()
    assert set(find(q="Mieterhilfe")) == {"Mieterhilfe"}
    assert find(q="Schuldnerberatung") == {}

    with synced():
        OfferPage.objects.get(pk=offer.pk).unpublish()
    assert find(q="Mieterhilfe") == {} and find() == {}

    with synced():
        OfferPage.objects.get(pk=offer.pk).save_revision().publish()
    assert set(find()) == {"Mieterhilfe"}


def test_a_new_offer_is_found_once_published(find, world, synced):
    with synced():
        draft = factories.make_offer(world["diakonie"], title="Pflegeberatung", publish=False)
    assert "Pflegeberatung" not in find()
    with synced():
        draft.save_revision().publish()
    assert find(q="Pflege")["Pflegeberatung"].organisation_name == "Diakonie Wetzbach"


def test_moving_an_offer_updates_its_url_and_organisation(find, world, synced):
    offer, diakonie = world["offer"], world["diakonie"]
    with synced():
        offer.move(diakonie, pos="last-child")
    hit = find(q="Schuldnerberatung")["Schuldnerberatung"]
    assert hit.url == OfferPage.objects.get(pk=offer.pk).url
    assert hit.url.startswith(diakonie.url)
    assert hit.organisation_name == "Diakonie Wetzbach"
    assert set(find(q="Diakonie")) == {"Schuldnerberatung"}


def test_deleting_an_offer_or_its_organisation_page_removes_it(find, world, synced):
    with synced():
        second = factories.make_offer(world["caritas"], title="Familienberatung")
        third = factories.make_offer(world["diakonie"], title="Pflegeberatung")
    assert set(find()) == {"Schuldnerberatung", "Familienberatung", "Pflegeberatung"}
    with synced():
        OfferPage.objects.get(pk=third.pk).delete()
    assert set(find()) == {"Schuldnerberatung", "Familienberatung"}
    with synced():
        world["caritas"].delete()
    assert find() == {}
    assert not OfferPage.objects.filter(pk=second.pk).exists()


def test_unpublishing_the_organisation_page_removes_its_offers(find, world, synced):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    with synced():
        UnpublishPageAction(world["caritas"], user=admin, include_descendants=True).execute()
    assert find() == {}


def test_changing_a_place_updates_area_and_town_filters(find, world, synced):
    assert set(find(areas=("lahnfeld",))) == {"Schuldnerberatung"}
    place = world["place"]
    place.town = "Wetzbach"
    place.social_area = world["areas"]["wetzbach"]
    with synced():
        place.save()
    assert find(areas=("lahnfeld",)) == {}
    assert set(find(areas=("wetzbach",))) == {"Schuldnerberatung"}


def test_renaming_the_organisation_updates_its_offers(find, world, synced):
    organisation = world["caritas"].organisation
    organisation.name = "Caritasverband Mittelhessen"
    with synced():
        organisation.save()
    hit = find(q="Caritasverband")["Schuldnerberatung"]
    assert hit.organisation_name == "Caritasverband Mittelhessen"


def test_renaming_taxonomy_terms_updates_search_and_facets(find, world, synced):
    topic, group = world["topic"], world["group"]
    assert find(q="Finanzen") == {}
    topic.name = "Finanzen"
    with synced():
        topic.save()
    assert set(find(q="Finanzen")) == {"Schuldnerberatung"}
    group.name = "Alleinerziehende"
    with synced():
        group.save()
    assert set(find(q="Alleinerziehende")) == {"Schuldnerberatung"}
    result = find.backend.search(service.prepare(SearchQuery(now=MONDAY_10)))
    labels = {value.value: value.label for value in result.facets["topic"]}
    assert labels["schulden"] == "Finanzen"
    groups = {value.value: value.label for value in result.facets["target_group"]}
    assert groups["familien"] == "Alleinerziehende"


def test_a_broader_topic_finds_offers_of_its_narrower_topics(find, world, synced):
    broader = factories.TopicFactory(name="Geld und Recht", slug="geld")
    topic = world["topic"]
    topic.parent = broader
    with synced():
        topic.save()
    assert set(find(topics=("geld",))) == {"Schuldnerberatung"}
