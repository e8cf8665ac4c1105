"""`generate_offers` writes pages in bulk: the tree must stay as consistent as add_child's."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from wagtail.models import Page

from lotse.directory.models import OfferLocation, OfferPage, OpeningHours, OrganisationPage
from tests import factories

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_offers", *args, stdout=out)
    return out.getvalue()


def tree_is_consistent():
    assert Page.find_problems() == ([], [], [], [], [])
    for page in Page.objects.all():
        assert page.numchild == page.get_children().count(), page
    return True


@pytest.fixture
def network(directory):
    """Three partners: one with an offer already, one without places or people."""
    pages = []
    for number in range(3):
        page = factories.make_organisation_page()
        organisation = page.organisation
        if number < 2:
            factories.LocationFactory(organisation=organisation)
            factories.LocationFactory(organisation=organisation)
            factories.PersonFactory(organisation=organisation)
        pages.append(page)
    location = pages[0].organisation.locations.first()
    hours = [{**factories.WEEKDAY_HOURS, "location": 0}]
    factories.make_offer(pages[0], locations=[location], hours=hours)
    factories.TopicFactory.create_batch(3)
    factories.TargetGroupFactory.create_batch(2)
    factories.LanguageFactory(code="de", name="Deutsch")
    factories.SocialAreaFactory.create_batch(2)
    return pages


def test_creates_exactly_the_requested_offers_in_a_consistent_tree(network, client):
    existing = set(OfferPage.objects.values_list("pk", flat=True))
    output = generate("--count", "250", "--batch-size", "100", "--seed", "3")

    new = OfferPage.objects.exclude(pk__in=existing)
    assert new.count() == 250
    assert "250" in output and "/s" in output
    assert tree_is_consistent()
    assert new.live().count() == 250
    for offer in new.select_related("organisation"):
        parent = offer.get_parent().specific
        assert isinstance(parent, OrganisationPage)
        assert offer.organisation_id == parent.organisation_id
        assert offer.url_path == f"{parent.url_path}{offer.slug}/"
        assert offer.first_published_at and offer.last_published_at
        assert offer.summary and offer.description
        assert offer.topics.exists(), offer
        assert offer.opening_hours.exists(), offer
        if offer.handover_contact_id:
            assert offer.handover_contact.organisation_id == offer.organisation_id
    assert (
        Page.objects.filter(pk__in=new.values("pk"))
        .exclude(content_type__model="offerpage")
        .count()
        == 0
    )
    assert new.filter(languages__code="de").distinct().count() == 250
    assert new.exclude(target_groups=None).exists() and new.exclude(service_areas=None).exists()
    with_places = new.filter(organisation__locations__isnull=False).distinct()
    placed = OfferLocation.objects.filter(offer__in=with_places).values("offer").distinct()
    assert placed.count() == with_places.count()
    # Hours on site need a place: partners without locations only get remote hours.
    assert not OpeningHours.objects.filter(offer__in=new, kind="in_person", location=None)
    for offer in new.order_by("?")[:10]:
        response = client.get(offer.url)
        assert response.status_code == 200, offer.url


def test_editors_can_keep_adding_pages_after_a_bulk_run(network):
    generate("--count", "30")
    offer = factories.make_offer(network[1], title="Neu von Hand")
    assert offer.get_parent().pk == network[1].pk
    assert tree_is_consistent()


def test_same_seed_same_offers(network):
    def titles():
        with transaction.atomic():
            generate("--count", "40", "--seed", "11")
            result = list(OfferPage.objects.order_by("path").values_list("title", "slug"))
            transaction.set_rollback(True)
        return result

    assert titles() == titles()


@pytest.mark.parametrize("args", [["--count", "0"], ["--count", "-5"], []])
def test_rejects_a_count_that_is_not_positive(network, args):
    pages = Page.objects.count()
    with pytest.raises(CommandError):
        generate(*args)
    assert Page.objects.count() == pages


def test_needs_organisation_pages(directory):
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="load_demo"):
        generate("--count", "5")
    assert Page.objects.count() == pages
    assert not OfferPage.objects.exists()
