"""Wagtail's standard page actions on Lotse's pages, through the admin's own views."""

import pytest
from django.urls import reverse

from lotse.directory.models import OfferLocation, OfferPage, OpeningHours, OrganisationPage
from lotse.network.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = factories.UserFactory(username="koordination")
    factories.MembershipFactory(
        user=user, organisation=factories.OrganisationFactory(), role=Membership.Role.COORDINATOR
    )
    client.force_login(user)
    return user


def copy(client, page, parent, slug, **extra):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": f"Kopie von {page.title}",
            "new_slug": slug,
            "new_parent_page": parent.pk,
            **extra,
        },
    )


def ids(offer):
    return (
        {offer.hsds_id}
        | set(OfferLocation.objects.filter(offer=offer).values_list("hsds_id", flat=True))
        | set(OpeningHours.objects.filter(offer=offer).values_list("hsds_id", flat=True))
    )


def test_a_copied_offer_is_a_new_service_of_the_same_organisation(client, coordinator, offer):
    response = copy(client, offer, offer.get_parent(), "kopie", publish_copies="on")
    assert response.status_code == 302
    clone = OfferPage.objects.get(slug="kopie")
    assert clone.organisation_id == offer.organisation_id
    assert clone.live and clone.offer_locations.count() == 1 and clone.opening_hours.count() == 1
    assert not ids(clone) & ids(offer)
    # Publishing the copy's latest revision keeps its own ids (the revision came from the
    # original and names the original's).
    clone.get_latest_revision().publish()
    clone = OfferPage.objects.get(pk=clone.pk)
    assert not ids(clone) & ids(offer) and len(ids(clone)) == 3
    assert ids(OfferPage.objects.get(pk=offer.pk)) == ids(offer)


def test_an_offer_copied_to_another_organisation_belongs_to_it(client, coordinator, offer):
    other = factories.make_organisation_page()
    assert copy(client, offer, other, "bei-anderen").status_code == 302
    assert OfferPage.objects.get(slug="bei-anderen").organisation_id == other.organisation_id


def test_an_organisation_page_is_not_copied(client, coordinator, offer):
    organisation_page = offer.get_parent()
    directory = organisation_page.get_parent()
    for response in (
        client.get(reverse("wagtailadmin_pages:copy", args=[organisation_page.pk])),
        copy(client, organisation_page, directory, "zweite", copy_subpages="on"),
        copy(client, directory, directory.get_parent(), "zweites-verzeichnis", copy_subpages="on"),
    ):
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("cannot be copied" in m or "nicht kopiert" in m for m in messages)
    assert OrganisationPage.objects.count() == 1 and OfferPage.objects.count() == 1


def test_moving_an_offer_to_another_organisation_changes_its_owner(client, coordinator, offer):
    other = factories.make_organisation_page()
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[offer.pk, other.pk]))
    assert response.status_code == 302
    offer = OfferPage.objects.get(pk=offer.pk)
    assert offer.get_parent().pk == other.pk and offer.organisation_id == other.organisation_id


def test_deleting_an_organisation_page_deletes_its_offers(client, coordinator, offer):
    organisation_page = offer.get_parent()
    factories.make_offer(organisation_page, title="Zweites Angebot", publish=False)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[organisation_page.pk]))
    assert response.status_code == 302
    assert not OrganisationPage.objects.exists() and not OfferPage.objects.exists()
    assert not OfferLocation.objects.exists() and not OpeningHours.objects.exists()


def test_reverting_to_an_earlier_revision_keeps_the_hsds_ids(client, coordinator, offer):
    first = offer.get_latest_revision()
    before = ids(offer)
    offer.title = "Schuldnerberatung (neu)"
    offer.save_revision().publish()
    response = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[offer.pk, first.pk]))
    assert response.status_code == 200 and "Schuldnerberatung" in response.content.decode()
    revision_page = first.as_object()
    revision_page.title = "Schuldnerberatung"
    revision_page.save_revision().publish()
    offer = OfferPage.objects.get(pk=offer.pk)
    assert offer.title == "Schuldnerberatung" and ids(offer) == before
