"""Validation of the directory models and the offer editor's cross-check of places and hours."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from lotse.directory.fields import WeekdaysField
from lotse.directory.models import Location, OfferPage, OpeningHours, Topic
from tests import factories


def english_errors(call):
    """The message dict of the ValidationError raised by `call()`, in English."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            call()
        return {key: [str(m) for m in msgs] for key, msgs in caught.value.message_dict.items()}


def schedule(**fields):
    """Valid in-person hours at location 1 unless `fields` say otherwise (not saved)."""
    values = {
        "kind": OpeningHours.Kind.IN_PERSON,
        "location_id": 1,
        "weekdays": ["MO", "WE"],
        "opens_at": dt.time(9),
        "closes_at": dt.time(12),
    }
    values.update(fields)
    return OpeningHours(**values)


# --- OpeningHours.clean -------------------------------------------------------------------------


def test_valid_weekly_hours_pass():
    schedule().clean()


@pytest.mark.parametrize("closes_at", [dt.time(9), dt.time(8, 59)])
def test_closing_must_be_after_opening(closes_at):
    errors = english_errors(schedule(closes_at=closes_at).clean)
    assert errors == {"closes_at": ["Closing time must be after opening time."]}


@pytest.mark.parametrize("kind", ["in_person", "mobile"])
def test_hours_on_site_need_a_location(kind):
    errors = english_errors(schedule(kind=kind, location_id=None).clean)
    assert errors == {"location": ["Opening hours on site need a location."]}


@pytest.mark.parametrize("kind", ["phone", "video", "appointment"])
def test_remote_hours_need_no_location(kind):
    schedule(kind=kind, location_id=None).clean()


def test_weekdays_are_required_when_times_are_given():
    errors = english_errors(schedule(weekdays=[]).clean)
    assert errors == {"weekdays": ["Choose at least one weekday."]}


@pytest.mark.parametrize("kind", ["in_person", "phone"])
def test_times_are_required_except_for_appointments(kind):
    errors = english_errors(schedule(kind=kind, opens_at=None, closes_at=None).clean)
    assert set(errors) == {"opens_at", "closes_at"}


def test_appointment_without_times_or_weekdays_is_valid():
    OpeningHours(kind=OpeningHours.Kind.APPOINTMENT).clean()


def test_appointment_with_only_an_opening_time_needs_the_rest():
    hours = OpeningHours(kind=OpeningHours.Kind.APPOINTMENT, opens_at=dt.time(9))
    assert set(english_errors(hours.clean)) == {"closes_at", "weekdays"}


def test_monthly_hours_need_the_week_of_the_month():
    errors = english_errors(schedule(frequency="monthly").clean)
    assert errors == {"week_of_month": ["Monthly hours need the week of the month."]}


def test_monthly_hours_with_a_week_of_the_month_are_valid():
    schedule(frequency="monthly", week_of_month=-1).clean()


def test_weekly_hours_must_not_have_a_week_of_the_month():
    errors = english_errors(schedule(week_of_month=1).clean)
    assert errors == {"week_of_month": ["Only monthly hours have a week of the month."]}


def test_every_few_weeks_needs_valid_from():
    errors = english_errors(schedule(interval=2).clean)
    assert list(errors) == ["valid_from"]
    schedule(interval=2, valid_from=dt.date(2026, 7, 6)).clean()


def test_interval_is_at_least_one():
    assert english_errors(schedule(interval=0).clean) == {
        "interval": ["The interval is at least one week."]
    }


def test_validity_must_not_end_before_it_starts():
    errors = english_errors(
        schedule(valid_from=dt.date(2026, 7, 10), valid_to=dt.date(2026, 7, 9)).clean
    )
    assert errors == {"valid_to": ["The end of validity cannot be before its start."]}
    schedule(valid_from=dt.date(2026, 7, 10), valid_to=dt.date(2026, 7, 10)).clean()


def test_all_problems_are_reported_at_once():
    bad = OpeningHours(
        kind="mobile",
        opens_at=dt.time(12),
        closes_at=dt.time(9),
        frequency="monthly",
        valid_from=dt.date(2026, 7, 10),
        valid_to=dt.date(2026, 7, 1),
    )
    assert set(english_errors(bad.clean)) == {
        "closes_at",
        "weekdays",
        "location",
        "week_of_month",
        "valid_to",
    }


# --- WeekdaysField ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_weekdays_are_stored_as_hsds_byday_and_read_back_as_a_list(offer):
    hours = OpeningHours.objects.create(
        offer=offer,
        kind="phone",
        weekdays=["WE", "MO", "MO"],
        opens_at=dt.time(9),
        closes_at=dt.time(11),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT weekdays FROM {OpeningHours._meta.db_table} WHERE id = %s", [hours.pk]
        )
        assert cursor.fetchone()[0] == "MO,WE"
    assert OpeningHours.objects.get(pk=hours.pk).weekdays == ["MO", "WE"]
    assert OpeningHours.objects.filter(pk=hours.pk, weekdays="MO,WE").exists()


def test_weekdays_field_parses_the_database_text():
    field = WeekdaysField()
    assert field.to_python("we, mo,FR") == ["MO", "WE", "FR"]
    assert field.to_python("") == []
    assert field.to_python(None) == []
    assert field.get_prep_value(["SU", "MO"]) == "MO,SU"


def test_weekdays_field_rejects_unknown_codes():
    field = WeekdaysField()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.to_python(["MO", "XX"])
    with translation.override("en"):
        assert caught.value.messages == ["Unknown weekday: XX"]


@pytest.mark.django_db  # full_clean checks the unique schedule id
def test_unknown_weekday_is_a_field_error_in_full_clean():
    hours = schedule(weekdays=["MO", "MON"])
    errors = english_errors(lambda: hours.full_clean(exclude=["offer", "location"]))
    assert errors["weekdays"] == ["Unknown weekday: MON"]


@pytest.mark.django_db  # full_clean checks the unique schedule id
def test_full_clean_sorts_weekdays():
    hours = schedule(weekdays=["FR", "MO"])
    hours.full_clean(exclude=["offer", "location"])
    assert hours.weekdays == ["MO", "FR"]


# --- Location -----------------------------------------------------------------------------------


def location(**fields):
    fields.setdefault("name", "Rathaus")
    fields.setdefault("street", "Marktplatz 1")
    fields.setdefault("postcode", "35578")
    fields.setdefault("town", "Lahnfeld")
    return Location(**fields)


@pytest.mark.django_db
def test_location_with_a_german_postcode_is_valid():
    location(organisation=factories.OrganisationFactory()).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["3557", "3557A", "ABCDE", "3557 "])
def test_location_rejects_a_postcode_that_is_not_five_digits(postcode):
    place = location(organisation=factories.OrganisationFactory(), postcode=postcode)
    assert english_errors(place.full_clean) == {
        "postcode": ["Enter a German postcode of five digits."]
    }


@pytest.mark.django_db
def test_location_needs_both_coordinates_or_neither():
    place = location(organisation=factories.OrganisationFactory(), latitude=50.5)
    assert english_errors(place.full_clean) == {
        NON_FIELD_ERRORS: ["Give both latitude and longitude, or neither."]
    }


@pytest.mark.django_db
def test_location_rejects_coordinates_out_of_range():
    place = location(organisation=factories.OrganisationFactory(), latitude=95, longitude=8)
    assert list(english_errors(place.full_clean)) == ["latitude"]


# --- Taxonomy -----------------------------------------------------------------------------------

LOOP_MESSAGE = "An entry cannot be placed below itself or one of its children."


@pytest.mark.django_db
def test_topic_cannot_be_placed_below_itself_or_its_narrower_terms():
    money = factories.TopicFactory(name="Geld")
    debt = factories.TopicFactory(name="Schulden", parent=money)
    insolvency = factories.TopicFactory(name="Insolvenz", parent=debt)
    money.parent = money
    assert english_errors(money.full_clean) == {"parent": [LOOP_MESSAGE]}
    money.parent = insolvency
    assert english_errors(money.full_clean) == {"parent": [LOOP_MESSAGE]}
    money.parent = None
    insolvency.parent = money  # up a level: no loop
    insolvency.full_clean()


@pytest.mark.django_db
def test_target_group_cannot_be_its_own_parent():
    group = factories.TargetGroupFactory()
    group.parent = group
    assert english_errors(group.full_clean) == {"parent": [LOOP_MESSAGE]}


@pytest.mark.django_db
def test_topic_slug_is_filled_from_the_name():
    topic = Topic(name="Wohnen und Miete")
    topic.full_clean()
    assert topic.slug == "wohnen-und-miete"


# --- OfferPage ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_offer_page_takes_its_organisation_from_the_parent_page(organisation_page):
    offer = factories.make_offer(organisation_page)
    assert offer.organisation == organisation_page.organisation


@pytest.mark.django_db
def test_offer_page_organisation_follows_the_tree_on_save(offer):
    owner = offer.organisation
    offer.organisation = factories.OrganisationFactory()
    offer.save()
    offer.refresh_from_db()
    assert offer.organisation == owner


@pytest.mark.django_db
def test_offer_page_valid_as_created(offer):
    offer.full_clean()


@pytest.mark.django_db
def test_offer_max_age_cannot_be_below_min_age(offer):
    offer.min_age, offer.max_age = 18, 16
    assert english_errors(offer.full_clean) == {
        "max_age": ["The maximum age cannot be below the minimum age."]
    }
    offer.max_age = 18
    offer.full_clean()


@pytest.mark.django_db
def test_offer_with_costs_needs_a_fee_description(offer):
    offer.is_free = False
    offer.fee_description = "   "
    assert english_errors(offer.full_clean) == {
        "fee_description": ["Say what the offer costs, or mark it free of charge."]
    }
    offer.fee_description = "5 € pro Termin"
    offer.full_clean()


@pytest.mark.django_db
def test_offer_handover_contact_must_work_for_the_offering_organisation(offer):
    offer.handover_contact = factories.PersonFactory()  # at another organisation
    assert english_errors(offer.full_clean) == {
        "handover_contact": [
            "The handover contact must work for the organisation that makes this offer."
        ]
    }
    offer.handover_contact = factories.PersonFactory(organisation=offer.organisation)
    offer.full_clean()


# --- the offer editor: opening hours only at the offer's locations ------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chef", "chef@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # messages below are checked in English
    profile.save()
    client.force_login(user)
    return client


def edit_form_data(admin_client, offer):
    url = reverse("wagtailadmin_pages:edit", args=[offer.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    # A ticked checkbox without a value attribute is read back as "" (unticked).
    data["is_free"] = "on" if offer.is_free else ""
    return url, data


@pytest.mark.django_db
def test_offer_editor_rejects_hours_at_a_place_the_offer_is_not_given_at(admin_client, offer):
    elsewhere = factories.LocationFactory(organisation=offer.organisation, name="Außenstelle")
    hours_before = list(OpeningHours.objects.filter(offer=offer).values())
    revisions_before = offer.revisions.count()
    url, data = edit_form_data(admin_client, offer)
    assert data["opening_hours-TOTAL_FORMS"] == "1"
    data["opening_hours-0-location"] = str(elsewhere.pk)
    data["summary"] = "Geänderte Zusammenfassung"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Add “Außenstelle, Lahnfeld” to the offer&#x27;s locations first." in html
    assert "Some opening hours name a place that is not among the locations." in html
    form = response.context["form"]
    assert form.formsets["opening_hours"].forms[0].errors["location"]
    assert form.non_field_errors()
    offer.refresh_from_db()
    assert offer.summary != "Geänderte Zusammenfassung"
    assert offer.revisions.count() == revisions_before
    assert list(OpeningHours.objects.filter(offer=offer).values()) == hours_before


@pytest.mark.django_db
def test_offer_editor_accepts_hours_once_the_place_is_added(admin_client, offer):
    elsewhere = factories.LocationFactory(organisation=offer.organisation, name="Außenstelle")
    url, data = edit_form_data(admin_client, offer)
    data.update(
        {
            "offer_locations-TOTAL_FORMS": "2",
            "offer_locations-1-location": str(elsewhere.pk),
            "offer_locations-1-note": "",
            "offer_locations-1-ORDER": "1",
            "offer_locations-1-DELETE": "",
            "opening_hours-0-location": str(elsewhere.pk),
            "summary": "Geänderte Zusammenfassung",
        }
    )
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    offer.refresh_from_db()
    assert offer.summary == "Geänderte Zusammenfassung"
    assert OpeningHours.objects.get(offer=offer).location == elsewhere


@pytest.mark.django_db
def test_offer_editor_rejects_hours_at_a_place_being_removed(admin_client, offer):
    (place,) = [ol.location for ol in offer.offer_locations.all()]
    url, data = edit_form_data(admin_client, offer)
    data["offer_locations-0-DELETE"] = "1"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].formsets["opening_hours"].forms[0].errors["location"]
    assert [ol.location for ol in OfferPage.objects.get(pk=offer.pk).offer_locations.all()] == [
        place
    ]


@pytest.mark.django_db
def test_offer_editor_rejects_a_foreign_handover_contact_on_a_new_offer(
    admin_client, organisation_page
):
    """On creation the owner is not saved yet; the rule must still use the parent page's."""
    foreign_contact = factories.PersonFactory(name="Fremde Kontaktperson")
    own_contact = factories.PersonFactory(organisation=organisation_page.organisation)
    topic = factories.TopicFactory()
    url = reverse(
        "wagtailadmin_pages:add", args=["lotse_directory", "offerpage", organisation_page.pk]
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": "Wohnberatung",
            "slug": "wohnberatung",
            "summary": "Hilfe bei Wohnungsfragen.",
            "topics": str(topic.pk),
            "is_free": "on",
            "handover_contact": str(foreign_contact.pk),
            "action-publish": "action-publish",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    with translation.override("en"):
        assert [str(e) for e in response.context["form"].errors.get("handover_contact")] == [
            "The handover contact must work for the organisation that makes this offer."
        ]
    assert not OfferPage.objects.filter(slug="wohnberatung").exists()

    data["handover_contact"] = str(own_contact.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    created = OfferPage.objects.get(slug="wohnberatung")
    assert created.organisation == organisation_page.organisation
    assert created.handover_contact == own_contact
