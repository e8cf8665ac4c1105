"""Validation rules of the network models: what `full_clean()` accepts, fixes and rejects."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from lotse.network.models import Language, Membership, Organisation, Person, SocialArea
from tests import factories

pytestmark = pytest.mark.django_db


def errors_of(instance, **kwargs):
    """The message dict `full_clean()` raises, in English; fails if it raises nothing."""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        instance.full_clean(**kwargs)
    with translation.override("en"):
        return {
            key: [str(m) for m in messages] for key, messages in caught.value.message_dict.items()
        }


def social_area(**fields):
    fields.setdefault("name", "Lahnfeld-Nord")
    fields.setdefault("slug", "lahnfeld-nord")
    fields.setdefault("kind", SocialArea.Kind.SOCIAL_AREA)
    return SocialArea(**fields)


# --- SocialArea: postcodes ----------------------------------------------------------------------


def test_social_area_postcodes_are_normalised():
    area = social_area(postcodes="35578,35579 ")
    area.full_clean()
    assert area.postcodes == "35578, 35579"
    assert area.postcode_list == ["35578", "35579"]


def test_social_area_postcodes_drop_empty_entries_and_inner_blanks():
    area = social_area(postcodes=" 35578 ,, 35579,")
    area.full_clean()
    assert area.postcodes == "35578, 35579"


def test_social_area_without_postcodes_is_valid():
    area = social_area(postcodes="")
    area.full_clean()
    assert area.postcodes == ""
    assert area.postcode_list == []


def test_social_area_rejects_a_non_german_postcode_and_names_it():
    area = social_area(postcodes="35578, A-1010")
    errors = errors_of(area)
    assert errors == {"postcodes": ["Not a German postcode: A-1010"]}


def test_social_area_names_every_bad_postcode_but_not_the_good_ones():
    area = social_area(postcodes="35578, 3557, 355789, 3557x")
    message = errors_of(area)["postcodes"][0]
    assert message == "Not a German postcode: 3557, 355789, 3557x"
    assert "35578," not in message


def test_social_area_bad_postcode_is_named_in_german_too():
    area = social_area(postcodes="1234")
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        area.full_clean()
    assert "1234" in str(caught.value.message_dict["postcodes"][0])


# --- SocialArea: centroid -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(50.55, 8.5), (90, 180), (-90, -180), (0, 0)],
)
def test_social_area_accepts_coordinates_in_range(latitude, longitude):
    area = social_area(latitude=latitude, longitude=longitude)
    area.full_clean()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        (90.1, 8.5, "latitude", "Latitude must lie between -90 and 90 degrees."),
        (-91, 8.5, "latitude", "Latitude must lie between -90 and 90 degrees."),
        (50.5, 180.5, "longitude", "Longitude must lie between -180 and 180 degrees."),
        (50.5, -181, "longitude", "Longitude must lie between -180 and 180 degrees."),
    ],
)
def test_social_area_rejects_coordinates_out_of_range(latitude, longitude, field, message):
    area = social_area(latitude=latitude, longitude=longitude)
    assert errors_of(area)[field] == [message]


@pytest.mark.parametrize(("latitude", "longitude"), [(50.55, None), (None, 8.5)])
def test_social_area_needs_both_coordinates_or_neither(latitude, longitude):
    area = social_area(latitude=latitude, longitude=longitude)
    assert errors_of(area) == {
        NON_FIELD_ERRORS: ["Give both latitude and longitude of the centroid, or neither."]
    }


# --- Hierarchies --------------------------------------------------------------------------------

LOOP_MESSAGE = "An entry cannot be placed below itself or one of its children."


def test_organisation_cannot_be_its_own_parent():
    organisation = factories.OrganisationFactory()
    organisation.parent = organisation
    assert errors_of(organisation) == {"parent": [LOOP_MESSAGE]}


def test_organisation_cannot_be_placed_below_its_child():
    top = factories.OrganisationFactory()
    child = factories.OrganisationFactory(parent=top)
    top.parent = child
    assert errors_of(top) == {"parent": [LOOP_MESSAGE]}


def test_organisation_cannot_be_placed_below_its_grandchild():
    top = factories.OrganisationFactory()
    child = factories.OrganisationFactory(parent=top)
    grandchild = factories.OrganisationFactory(parent=child)
    top.parent = grandchild
    assert errors_of(top) == {"parent": [LOOP_MESSAGE]}


def test_organisation_may_be_moved_below_a_sibling_or_an_unrelated_organisation():
    top = factories.OrganisationFactory()
    first = factories.OrganisationFactory(parent=top)
    second = factories.OrganisationFactory(parent=top)
    second.parent = first
    second.full_clean()
    top.parent = factories.OrganisationFactory()
    top.full_clean()


def test_social_area_cannot_be_its_own_parent():
    area = factories.SocialAreaFactory()
    area.parent = area
    assert errors_of(area) == {"parent": [LOOP_MESSAGE]}


def test_social_area_cannot_be_placed_below_its_own_district():
    county = factories.SocialAreaFactory(kind=SocialArea.Kind.COUNTY)
    town = factories.SocialAreaFactory(parent=county)
    district = factories.SocialAreaFactory(parent=town, kind=SocialArea.Kind.DISTRICT)
    county.parent = district
    assert errors_of(county) == {"parent": [LOOP_MESSAGE]}
    town.parent = district
    assert errors_of(town) == {"parent": [LOOP_MESSAGE]}


def test_ancestors_are_listed_nearest_first():
    county = factories.SocialAreaFactory(kind=SocialArea.Kind.COUNTY)
    town = factories.SocialAreaFactory(parent=county)
    district = factories.SocialAreaFactory(parent=town, kind=SocialArea.Kind.DISTRICT)
    assert list(district.ancestors()) == [town, county]
    assert list(county.ancestors()) == []


def test_ancestors_stop_on_a_loop_already_in_the_database():
    first = factories.OrganisationFactory()
    second = factories.OrganisationFactory(parent=first)
    Organisation.objects.filter(pk=first.pk).update(parent=second)  # bypasses validation
    first.refresh_from_db()
    assert [o.pk for o in first.ancestors()] == [second.pk]


# --- Slugs --------------------------------------------------------------------------------------


def test_organisation_slug_is_filled_from_the_name():
    organisation = Organisation(name="Caritas Lahnfeld e.V.", kind=Organisation.Kind.OTHER)
    organisation.full_clean()
    assert organisation.slug == "caritas-lahnfeld-ev"


def test_organisation_keeps_a_given_slug():
    organisation = Organisation(name="Caritas Lahnfeld", slug="caritas", kind="other")
    organisation.full_clean()
    assert organisation.slug == "caritas"


def test_social_area_slug_is_filled_from_the_name():
    area = SocialArea(name="Lahnfeld Süd", kind=SocialArea.Kind.SOCIAL_AREA)
    area.full_clean()
    assert area.slug == "lahnfeld-sud"


# --- Person -------------------------------------------------------------------------------------


def test_person_cannot_be_their_own_deputy():
    person = factories.PersonFactory()
    person.deputy = person
    assert errors_of(person) == {"deputy": ["A person cannot be their own deputy."]}


def test_person_may_have_a_colleague_as_deputy():
    person = factories.PersonFactory()
    person.deputy = factories.PersonFactory(organisation=person.organisation)
    person.full_clean()


def test_person_receiving_handovers_needs_email_or_user():
    person = factories.PersonFactory(email="")
    assert person.accepts_handovers
    assert errors_of(person) == {
        "email": [
            "A person who receives handovers needs an e-mail address or a user account, "
            "so that they can be told a handover is waiting."
        ]
    }


def test_person_receiving_handovers_with_a_user_account_but_no_email_is_valid():
    person = factories.PersonFactory(email="", user=factories.UserFactory())
    person.full_clean()


def test_person_not_receiving_handovers_needs_no_email():
    person = factories.PersonFactory(email="", accepts_handovers=False)
    person.full_clean()


# --- Membership ---------------------------------------------------------------------------------


def test_membership_is_unique_per_user_organisation_and_role():
    membership = factories.MembershipFactory(role=Membership.Role.EDITOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, organisation=membership.organisation, role="editor"
        )


def test_membership_full_clean_reports_a_duplicate_role():
    membership = factories.MembershipFactory(role=Membership.Role.EDITOR)
    duplicate = Membership(
        user=membership.user, organisation=membership.organisation, role="editor"
    )
    assert list(errors_of(duplicate)) == [NON_FIELD_ERRORS]
    Membership(
        user=membership.user, organisation=membership.organisation, role="org_admin"
    ).full_clean()


def test_same_user_may_hold_several_roles_and_the_same_role_elsewhere():
    membership = factories.MembershipFactory(role=Membership.Role.EDITOR)
    Membership.objects.create(
        user=membership.user, organisation=membership.organisation, role="contact"
    )
    Membership.objects.create(
        user=membership.user, organisation=factories.OrganisationFactory(), role="editor"
    )
    assert Membership.objects.filter(user=membership.user).count() == 3


# --- Language -----------------------------------------------------------------------------------


def test_language_code_is_normalised_to_lower_case():
    language = Language(code=" TR ", name="Türkisch")
    language.full_clean()
    assert language.code == "tr"


def test_language_code_normalisation_catches_duplicates():
    factories.LanguageFactory(code="uk", name="Ukrainisch")
    duplicate = Language(code="UK", name="Ukrainian")
    assert list(errors_of(duplicate)) == ["code"]


def test_person_str_shows_function_when_given():
    assert str(Person(name="Erika Muster", function="Schuldnerberaterin")) == (
        "Erika Muster (Schuldnerberaterin)"
    )
    assert str(Person(name="Erika Muster")) == "Erika Muster"


@pytest.mark.django_db
def test_deputy_must_work_for_the_same_organisation():
    person = factories.PersonFactory()
    colleague = factories.PersonFactory(organisation=person.organisation)
    stranger = factories.PersonFactory()
    person.deputy = colleague
    person.full_clean()
    person.deputy = stranger
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "deputy" in error.value.message_dict
