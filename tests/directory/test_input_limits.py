"""Bounds on what an offer or organisation may hold, through every route (issue #13).

At most `LOTSE_MAX_OPENING_HOURS_PER_OFFER` opening hours per offer and
`LOTSE_MAX_OPENING_HOURS_PER_PLACE` per place (5000 rows made a public page take 4.7 s), and
long texts at most `LOTSE_MAX_TEXT_CHARS` characters without control characters (a 50 MB
description was published): in the page editor, the snippet editor and the partner API alike.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from lotse.directory.models import OfferPage, OpeningHours
from lotse.network.models import Membership
from tests import factories
from tests.html_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chef", "chef@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def edit_form(admin_client, offer):
    url = reverse("wagtailadmin_pages:edit", args=[offer.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    data["is_free"] = "on" if offer.is_free else ""
    return url, data


def with_hours(data, count):
    """The form's data with `count` copies of its first opening-hours row."""
    first = {
        key.removeprefix("opening_hours-0-"): data.getlist(key)
        for key in list(data)
        if key.startswith("opening_hours-0-")
    }
    for number in range(1, count):
        for field, values in first.items():
            data.setlist(f"opening_hours-{number}-{field}", [] if field == "id" else values)
        data[f"opening_hours-{number}-ORDER"] = str(number + 1)
    data["opening_hours-TOTAL_FORMS"] = str(count)
    return data


def test_the_editor_refuses_more_opening_hours_than_an_offer_may_have(admin_client, offer):
    url, data = edit_form(admin_client, offer)
    response = admin_client.post(url, with_hours(data, 51))
    assert response.status_code == 200
    assert "An offer can have at most 50 opening hours (here: 51)." in response.content.decode()
    assert OpeningHours.objects.filter(offer=offer).count() == 1


def test_the_editor_refuses_too_many_opening_hours_at_one_place(admin_client, offer, settings):
    settings.LOTSE_MAX_OPENING_HOURS_PER_PLACE = 2
    place = offer.offer_locations.get().location
    url, data = edit_form(admin_client, offer)
    response = admin_client.post(url, with_hours(data, 3))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"At most 2 opening hours per place ({place}: 3)." in html.replace("&#x27;", "'")
    assert OpeningHours.objects.filter(offer=offer).count() == 1
    # Deleted rows do not count.
    data = with_hours(data, 3)
    data["opening_hours-2-DELETE"] = "1"
    assert admin_client.post(url, data).status_code == 302
    assert OpeningHours.objects.filter(offer=offer).count() == 2


def test_the_editor_accepts_as_many_as_allowed(admin_client, offer):
    url, data = edit_form(admin_client, offer)
    response = admin_client.post(url, with_hours(data, 20))
    assert response.status_code == 302, response.context["form"].errors
    assert OpeningHours.objects.filter(offer=offer).count() == 20


def draftail(text):
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }
    )


def test_the_editor_refuses_a_description_over_the_limit(admin_client, offer, settings):
    settings.LOTSE_MAX_TEXT_CHARS = 1000
    url, data = edit_form(admin_client, offer)
    data["description"] = draftail("x" * 1000)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    # Counted as stored: the HTML with its block keys.
    assert "At most 1000 characters are allowed (this text has 1030)." in (
        response.content.decode()
    )
    data["easy_language_summary"] = "Kurz\u000bund knapp."
    data["description"] = draftail("Kurz.")
    response = admin_client.post(url, data)
    assert response.status_code == 400  # the form body itself is refused
    data["easy_language_summary"] = "Kurz.\r\nUnd knapp."
    assert admin_client.post(url, data).status_code == 302
    assert ">Kurz.</p>" in OfferPage.objects.get(pk=offer.pk).description


def test_the_organisation_editor_refuses_a_description_over_the_limit(admin_client, settings):
    settings.LOTSE_MAX_TEXT_CHARS = 100
    organisation = factories.OrganisationFactory(description="Kurz.")
    url = reverse("wagtailsnippets_lotse_network_organisation:edit", args=[organisation.pk])
    response = submit(admin_client, url, {"description": "x" * 101})
    assert response.status_code == 200
    assert "At most 100 characters are allowed (this text has 101)." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.description == "Kurz."


def test_models_refuse_control_characters_in_long_texts(offer):
    from django.core.exceptions import ValidationError

    offer.eligibility = "Alle\x00"
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert set(error.value.message_dict) == {"eligibility"}
    offer.eligibility = "Alle,\tdie\nes brauchen."
    offer.full_clean()


# The partner API


@pytest.fixture
def partner(offer):
    user = factories.UserFactory(username="redaktion")
    factories.MembershipFactory(
        user=user, organisation=offer.organisation, role=Membership.Role.EDITOR
    )
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def hours_at(place, count):
    return [
        {
            "kind": "in_person",
            "location": str(place.hsds_id),
            "weekdays": ["MO"],
            "opens_at": "08:00",
            "closes_at": "09:00",
        }
        for _number in range(count)
    ]


def test_the_partner_api_refuses_too_many_opening_hours(partner, offer):
    place = offer.offer_locations.get().location
    url = f"/api/v1/partner/offers/{offer.hsds_id}/"
    revisions = offer.revisions.count()
    response = partner.patch(url, {"opening_hours": hours_at(place, 5000)}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "opening_hours": [
            "An offer can have at most 50 opening hours (here: 5000).",
            f"At most 20 opening hours per place ({place}: 5000).",
        ]
    }
    response = partner.patch(url, {"opening_hours": hours_at(place, 21)}, format="json")
    assert response.json() == {
        "opening_hours": [f"At most 20 opening hours per place ({place}: 21)."]
    }
    assert OfferPage.objects.get(pk=offer.pk).revisions.count() == revisions
    response = partner.patch(url, {"opening_hours": hours_at(place, 20)}, format="json")
    assert response.status_code == 200, response.json()
    assert len(response.json()["opening_hours"]) == 20


def test_the_partner_api_refuses_long_texts(partner, offer, settings):
    settings.LOTSE_MAX_TEXT_CHARS = 500
    url = f"/api/v1/partner/offers/{offer.hsds_id}/"
    revisions = offer.revisions.count()
    response = partner.patch(url, {"description": "<p>" + "x" * 500 + "</p>"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "description": ["At most 500 characters are allowed (this text has 507)."]
    }
    response = partner.patch(url, {"how_to_apply": "x" * 501}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["how_to_apply"]
    assert OfferPage.objects.get(pk=offer.pk).revisions.count() == revisions
