"""The Wagtail admin screens for the network and the directory open and save."""

import pytest
from django.urls import reverse

from lotse.directory.models import Location
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "lotse_network.organisation",
        "lotse_network.person",
        "lotse_network.membership",
        "lotse_network.socialarea",
        "lotse_network.language",
        "lotse_directory.topic",
        "lotse_directory.targetgroup",
        "lotse_directory.location",
    ],
)
def test_snippet_listing_and_create_form_open(admin_client, model):
    app_label, model_name = model.split(".")
    listing = admin_client.get(reverse(f"wagtailsnippets_{app_label}_{model_name}:list"))
    assert listing.status_code == 200
    add = admin_client.get(reverse(f"wagtailsnippets_{app_label}_{model_name}:add"))
    assert add.status_code == 200


def test_menu_groups_network_and_directory(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert (
        "wagtailsnippets_lotse_network_organisation" in html
        or "/admin/snippets/lotse_network/" in html
    )
    assert "/admin/snippets/lotse_directory/location/" in html


def test_offer_edit_form_opens_with_places_and_times_tab(admin_client, offer):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[offer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "offer_locations" in html
    assert "opening_hours" in html


def test_location_with_bad_postcode_is_rejected_in_admin(admin_client):
    organisation = factories.OrganisationFactory()
    response = admin_client.post(
        reverse("wagtailsnippets_lotse_directory_location:add"),
        {
            "organisation": organisation.pk,
            "name": "Rathaus",
            "street": "Marktplatz 1",
            "postcode": "3557",
            "town": "Lahnfeld",
        },
    )
    assert response.status_code == 200
    assert "five digits" in response.content.decode() or "fünf" in response.content.decode()
    assert not Location.objects.exists()
