"""Who may do what: `lotse.network.permissions.can()` over roles × actions × own/other objects.

The tables describe least privilege: nobody outside an organisation writes to it, advisers and
handover contacts only read, editors maintain their organisation's entries, organisation
administrators additionally manage memberships, and only county coordinators add or delete
organisations or hand out the coordinator role.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm

from lotse.directory.models import Location, OfferPage
from lotse.network import permissions
from lotse.network.models import Membership, Organisation, Person
from lotse.network.permissions import ACTIONS, can, forget_roles, visible_organisations
from tests import factories

pytestmark = pytest.mark.django_db

VIEW, ADD, CHANGE, DELETE, PUBLISH, CHOOSE = ACTIONS
ALL = frozenset(ACTIONS)
READ = frozenset({VIEW, CHOOSE})
NOTHING = frozenset()
MAINTAIN = ALL  # add, change, delete and publish the organisation's entries, and read them
# Only coordinators create or delete partner organisations: deleting one cascades to its people
# and memberships. The organisation's own editors keep its record current.
OWN_ORGANISATION_RECORD = READ | {CHANGE, PUBLISH}

ROLES = (
    "superuser",
    "coordinator",
    "trusted_editor",
    "org_admin",
    "editor",
    "adviser",
    "contact",
    "no_membership",
    "anonymous",
    "inactive",
)
KINDS = ("organisation", "person", "membership", "location", "offer")

#: role -> kind -> (actions allowed on the user's own organisation's object,
#:                  actions allowed on another organisation's object)
EXPECTED = {
    "superuser": dict.fromkeys(KINDS, (ALL, ALL)),
    "coordinator": dict.fromkeys(KINDS, (ALL, ALL)),
    "org_admin": {
        "organisation": (OWN_ORGANISATION_RECORD, NOTHING),
        "person": (MAINTAIN, NOTHING),
        "membership": (MAINTAIN, NOTHING),
        "location": (MAINTAIN, NOTHING),
        "offer": (MAINTAIN - {PUBLISH, DELETE}, NOTHING),
    },
    # Partners' page changes go through the coordination's review unless they are trusted;
    # taking a live offer offline (deleting it) is such a change.
    "editor": {
        "organisation": (OWN_ORGANISATION_RECORD, NOTHING),
        "person": (MAINTAIN, NOTHING),
        "membership": (READ, NOTHING),
        "location": (MAINTAIN, NOTHING),
        "offer": (MAINTAIN - {PUBLISH, DELETE}, NOTHING),
    },
    "trusted_editor": {
        "organisation": (OWN_ORGANISATION_RECORD, NOTHING),
        "person": (MAINTAIN, NOTHING),
        "membership": (READ, NOTHING),
        "location": (MAINTAIN, NOTHING),
        "offer": (MAINTAIN, NOTHING),
    },
    # Advisers look up every partner's offers and contacts to hand cases over, but edit nothing.
    "adviser": dict.fromkeys(KINDS, (READ, READ)),
    # A handover contact sees their own organisation's data and edits nothing.
    "contact": dict.fromkeys(KINDS, (READ, NOTHING)),
    "no_membership": dict.fromkeys(KINDS, (NOTHING, NOTHING)),
    "anonymous": dict.fromkeys(KINDS, (NOTHING, NOTHING)),
    # An editor whose account was deactivated.
    "inactive": dict.fromkeys(KINDS, (NOTHING, NOTHING)),
}

MATRIX = [
    pytest.param(
        role,
        action,
        kind,
        own,
        action in EXPECTED[role][kind][0 if own else 1],
        id=f"{role}-{action}-{'own' if own else 'other'}-{kind}",
    )
    for role in ROLES
    for kind in KINDS
    for own in (True, False)
    for action in ACTIONS
]


def make_user(role, organisation):
    """A user holding `role` at `organisation` (or the special cases without a membership)."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        return factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    user = factories.UserFactory(username=f"{role}-user")
    if role == "trusted_editor":
        organisation.trusted = True
        organisation.save()
        factories.MembershipFactory(user=user, organisation=organisation, role="editor")
    elif role == "inactive":
        factories.MembershipFactory(user=user, organisation=organisation, role="editor")
        user.is_active = False
        user.save()
    elif role != "no_membership":
        factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def existing_object(kind, organisation):
    if kind == "organisation":
        return organisation
    if kind == "person":
        return factories.PersonFactory(organisation=organisation)
    if kind == "membership":
        return factories.MembershipFactory(organisation=organisation, role="contact")
    if kind == "location":
        return factories.LocationFactory(organisation=organisation)
    if kind == "offer":
        page = factories.make_organisation_page(organisation)
        return factories.make_offer(page)
    raise AssertionError(kind)


def new_object(kind, organisation):
    """The unsaved instance an "add" check sees."""
    if kind == "organisation":
        return Organisation(name="Neue Beratung", kind="other", parent=organisation)
    if kind == "person":
        return Person(organisation=organisation, name="Neu")
    if kind == "membership":
        return Membership(
            user=factories.UserFactory(), organisation=organisation, role=Membership.Role.EDITOR
        )
    if kind == "location":
        return Location(organisation=organisation, name="Neu")
    if kind == "offer":
        return OfferPage(title="Neu", organisation=organisation)
    raise AssertionError(kind)


@pytest.mark.parametrize(("role", "action", "kind", "own", "expected"), MATRIX)
def test_permission_matrix(role, action, kind, own, expected):
    own_organisation = factories.OrganisationFactory()
    other_organisation = factories.OrganisationFactory()
    user = make_user(role, own_organisation)
    target = own_organisation if own else other_organisation
    obj = new_object(kind, target) if action == ADD else existing_object(kind, target)
    assert can(user, action, obj) is expected


def test_the_matrix_covers_every_role_kind_and_action():
    assert len(MATRIX) == len(ROLES) * len(KINDS) * 2 * len(ACTIONS)
    assert set(EXPECTED) == set(ROLES)
    assert all(set(EXPECTED[role]) == set(KINDS) for role in ROLES)


def test_none_as_user_is_anonymous():
    organisation = factories.OrganisationFactory()
    assert can(None, VIEW, organisation) is False


def test_inactive_superuser_may_do_nothing():
    root = factories.UserFactory(username="old-root", is_superuser=True, is_active=False)
    organisation = factories.OrganisationFactory()
    assert not any(can(root, action, organisation) for action in ACTIONS)


def test_org_admin_cannot_hand_out_the_coordinator_role():
    """Adding a coordinator membership would make the org admin a county coordinator."""
    organisation = factories.OrganisationFactory()
    org_admin = make_user("org_admin", organisation)
    escalation = Membership(
        user=org_admin, organisation=organisation, role=Membership.Role.COORDINATOR
    )
    assert can(org_admin, ADD, escalation) is False


def test_org_admin_cannot_change_or_delete_a_coordinator_membership():
    organisation = factories.OrganisationFactory()
    org_admin = make_user("org_admin", organisation)
    coordinator = factories.MembershipFactory(organisation=organisation, role="coordinator")
    assert can(org_admin, CHANGE, coordinator) is False
    assert can(org_admin, DELETE, coordinator) is False


def test_shared_county_data_is_read_by_advisers_and_written_only_by_coordinators():
    topic = factories.TopicFactory()
    organisation = factories.OrganisationFactory()
    adviser = make_user("adviser", organisation)
    editor = factories.UserFactory(username="plain-editor")
    factories.MembershipFactory(user=editor, organisation=organisation, role="editor")
    coordinator = make_user("coordinator", organisation)
    assert can(adviser, VIEW, topic) is True
    assert can(adviser, CHANGE, topic) is False
    assert can(editor, CHANGE, topic) is False
    assert can(editor, DELETE, topic) is False
    assert can(coordinator, DELETE, topic) is True


def test_a_coordinator_membership_anywhere_grants_county_wide_rights():
    county = factories.OrganisationFactory(name="Kreisverwaltung")
    partner = factories.OrganisationFactory()
    coordinator = make_user("coordinator", county)
    assert can(coordinator, DELETE, factories.PersonFactory(organisation=partner)) is True
    assert permissions.is_coordinator(coordinator) is True


# --- guardian object permissions ----------------------------------------------------------------


def test_guardian_grant_allows_that_object_only():
    organisation = factories.OrganisationFactory()
    granted = factories.PersonFactory(organisation=organisation)
    colleague = factories.PersonFactory(organisation=organisation)
    user = factories.UserFactory()
    assert can(user, CHANGE, granted) is False
    assign_perm("lotse_network.change_person", user, granted)
    assert can(user, CHANGE, granted) is True
    assert can(user, CHANGE, colleague) is False
    assert can(user, DELETE, granted) is False
    assert can(user, CHANGE, organisation) is False


def test_guardian_grant_does_not_extend_to_publish_choose_or_add():
    location = factories.LocationFactory()
    user = factories.UserFactory()
    for action in ("view", "change", "delete", "add"):
        assign_perm(f"lotse_directory.{action}_location", user, location)
    assert can(user, VIEW, location) is True
    assert can(user, CHANGE, location) is True
    assert can(user, DELETE, location) is True
    assert can(user, PUBLISH, location) is False
    assert can(user, CHOOSE, location) is False
    assert can(user, ADD, Location(organisation=location.organisation, name="Neu")) is False


def test_guardian_grant_on_an_offer_page():
    offer = factories.make_offer(factories.make_organisation_page())
    other = factories.make_offer(factories.make_organisation_page())
    user = factories.UserFactory()
    assign_perm("lotse_directory.change_offerpage", user, offer)
    assert can(user, CHANGE, offer) is True
    assert can(user, PUBLISH, offer) is False
    assert can(user, CHANGE, other) is False


def test_guardian_grant_is_void_for_an_inactive_user():
    person = factories.PersonFactory()
    user = factories.UserFactory()
    assign_perm("lotse_network.change_person", user, person)
    user.is_active = False
    user.save()
    assert can(user, CHANGE, person) is False


def test_global_model_permission_does_not_grant_object_access():
    from django.contrib.auth.models import Permission

    user = factories.UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_person"))
    assert can(user, CHANGE, factories.PersonFactory()) is False


# --- unknown actions ----------------------------------------------------------------------------


@pytest.mark.parametrize("user_kind", ["anonymous", "superuser"])
@pytest.mark.parametrize("action", ["edit", "VIEW", "", None])
def test_unknown_action_raises(user_kind, action):
    organisation = factories.OrganisationFactory()
    user = make_user(user_kind, organisation)
    with pytest.raises(ValueError, match="Unknown action"):
        can(user, action, organisation)


# --- visible_organisations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("superuser", "all"),
        ("coordinator", "all"),
        ("adviser", "all"),
        ("org_admin", "own"),
        ("editor", "own"),
        ("contact", "own"),
        ("no_membership", "none"),
        ("anonymous", "none"),
        ("inactive", "none"),
    ],
)
def test_visible_organisations(role, sees):
    own = factories.OrganisationFactory()
    others = factories.OrganisationFactory.create_batch(2)
    user = make_user(role, own)
    expected = {"all": {own, *others}, "own": {own}, "none": set()}[sees]
    assert set(visible_organisations(user)) == expected


def test_inactive_adviser_sees_no_organisations():
    own = factories.OrganisationFactory()
    factories.OrganisationFactory()
    user = make_user("adviser", own)
    user.is_active = False
    user.save()
    assert list(visible_organisations(user)) == []


def test_visible_organisations_of_a_user_with_several_memberships():
    first, second, third = factories.OrganisationFactory.create_batch(3)
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=first, role="editor")
    factories.MembershipFactory(user=user, organisation=second, role="contact")
    assert set(visible_organisations(user)) == {first, second}
    assert third not in visible_organisations(user)


def test_organisation_ids_filters_by_role():
    first, second = factories.OrganisationFactory.create_batch(2)
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=first, role="editor")
    factories.MembershipFactory(user=user, organisation=second, role="contact")
    assert permissions.organisation_ids(user) == {first.pk, second.pk}
    assert permissions.organisation_ids(user, {"editor", "org_admin"}) == {first.pk}
    assert permissions.organisation_ids(user, {"adviser"}) == set()


# --- the per-user role cache --------------------------------------------------------------------


def test_roles_are_cached_on_the_user_object(django_assert_num_queries):
    organisation = factories.OrganisationFactory()
    user = make_user("editor", organisation)
    with django_assert_num_queries(1):
        assert permissions.organisation_ids(user) == {organisation.pk}
    with django_assert_num_queries(0):
        assert permissions.organisation_ids(user) == {organisation.pk}
        assert permissions.is_adviser(user) is False


def test_role_changes_apply_at_once():
    """Saving or deleting a membership drops the cached roles of the user object it holds."""
    organisation = factories.OrganisationFactory()
    person = factories.PersonFactory(organisation=organisation)
    user = factories.UserFactory()
    assert can(user, CHANGE, person) is False
    membership = factories.MembershipFactory(user=user, organisation=organisation, role="editor")
    assert can(user, CHANGE, person) is True
    membership.delete()
    assert can(user, CHANGE, person) is False


def test_cache_is_per_user_object():
    organisation = factories.OrganisationFactory()
    user = make_user("editor", organisation)
    assert permissions.organisation_ids(user) == {organisation.pk}
    fresh = type(user).objects.get(pk=user.pk)
    assert not hasattr(fresh, "_lotse_roles")
    Membership.objects.filter(user=user).delete()
    assert permissions.organisation_ids(fresh) == set()
    assert permissions.organisation_ids(user) == {organisation.pk}


def test_forget_roles_without_a_cache_is_harmless():
    user = factories.UserFactory()
    forget_roles(user)
    forget_roles(AnonymousUser())
    assert permissions.organisation_ids(user) == set()
