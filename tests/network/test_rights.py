"""Memberships become the groups, page permissions and object permissions Wagtail enforces."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from guardian.models import GroupObjectPermission
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from lotse.directory.services import REVIEW_WORKFLOW_NAME
from lotse.network import rights
from lotse.network.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it: no cached roles or permissions."""
    return type(user).objects.get(pk=user.pk)


def page_permissions(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_an_organisation_gets_an_editors_group_named_after_it(directory):
    organisation = factories.OrganisationFactory(name="AWO Lahnfeld")
    group = organisation.editors_group
    assert group.name == f"Redaktion AWO Lahnfeld ({organisation.pk})"
    organisation.name = "AWO Kreisverband Lahnfeld"
    organisation.save()
    group.refresh_from_db()
    assert group.name == f"Redaktion AWO Kreisverband Lahnfeld ({organisation.pk})"


def test_editors_get_page_permissions_on_their_subtree_and_publish_only_when_trusted(directory):
    page = factories.make_organisation_page()
    organisation = page.organisation
    group = organisation.editors_group
    assert page_permissions(group, page) == {"add_page", "change_page", "lock_page"}
    assert not GroupPagePermission.objects.filter(group=group).exclude(page=page).exists()

    organisation.trusted = True
    organisation.save()
    assert page_permissions(group, page) == {"add_page", "change_page", "lock_page", "publish_page"}

    organisation.trusted = False
    organisation.save()
    assert "publish_page" not in page_permissions(group, page)


def test_adding_and_removing_a_membership_grants_and_revokes_at_once(organisation_page):
    offer = factories.make_offer(organisation_page)
    user = factories.UserFactory()
    assert not offer.permissions_for_user(fresh(user)).can_edit()

    membership = factories.MembershipFactory(
        user=user, organisation=organisation_page.organisation, role=Membership.Role.EDITOR
    )
    editor = fresh(user)
    assert offer.permissions_for_user(editor).can_edit()
    assert not offer.permissions_for_user(editor).can_publish()
    person = factories.PersonFactory(organisation=organisation_page.organisation)
    assert editor.has_perm("lotse_network.change_person", person)
    assert editor.has_perm("wagtailadmin.access_admin")

    membership.delete()
    former = fresh(user)
    assert not offer.permissions_for_user(former).can_edit()
    assert not former.has_perm("lotse_network.change_person", person)
    assert not former.has_perm("wagtailadmin.access_admin")
    assert not former.groups.exists()


def test_contacts_and_advisers_get_no_editing_group(organisation_page):
    organisation = organisation_page.organisation
    contact = factories.MembershipFactory(organisation=organisation, role="contact").user
    adviser = factories.MembershipFactory(organisation=organisation, role="adviser").user
    assert set(contact.groups.values_list("name", flat=True)) == {rights.NETWORK_GROUP}
    assert set(adviser.groups.values_list("name", flat=True)) == {
        rights.NETWORK_GROUP,
        rights.ADVICE_GROUP,
    }
    offer = factories.make_offer(organisation_page)
    assert not offer.permissions_for_user(fresh(contact)).can_edit()
    assert not offer.permissions_for_user(fresh(adviser)).can_edit()


def test_a_person_moved_to_another_organisation_changes_hands(db):
    old, new = factories.OrganisationFactory(), factories.OrganisationFactory()
    old_editor = factories.MembershipFactory(organisation=old, role="editor").user
    new_editor = factories.MembershipFactory(organisation=new, role="editor").user
    person = factories.PersonFactory(organisation=old)
    location = factories.LocationFactory(organisation=old)
    assert fresh(old_editor).has_perm("lotse_network.change_person", person)
    assert fresh(old_editor).has_perm("lotse_directory.change_location", location)

    person.organisation = new
    person.save()
    location.organisation = new
    location.save()
    assert not fresh(old_editor).has_perm("lotse_network.change_person", person)
    assert not fresh(old_editor).has_perm("lotse_directory.change_location", location)
    assert fresh(new_editor).has_perm("lotse_network.delete_person", person)
    assert fresh(new_editor).has_perm("lotse_directory.delete_location", location)


def test_coordinators_edit_the_whole_directory_and_review_partner_changes(directory):
    coordinator = factories.MembershipFactory(role=Membership.Role.COORDINATOR).user
    group = Group.objects.get(name=rights.COORDINATION_GROUP)
    assert coordinator.groups.filter(pk=group.pk).exists()
    assert page_permissions(group, directory) == {
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    }
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW_NAME)
    assert WorkflowPage.objects.get(page=directory).workflow == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [group]
    offer = factories.make_offer(factories.make_organisation_page())
    assert offer.get_workflow() == workflow
    assert offer.permissions_for_user(fresh(coordinator)).can_publish()


def test_deleting_an_organisation_deletes_its_group_and_object_permissions(db):
    organisation = factories.OrganisationFactory()
    group_id = organisation.editors_group_id
    assert GroupObjectPermission.objects.filter(group_id=group_id).exists()
    organisation.delete()
    assert not Group.objects.filter(pk=group_id).exists()
    assert not GroupObjectPermission.objects.filter(object_pk=str(organisation.pk)).exists()


def test_sync_rights_rebuilds_everything_from_memberships(organisation_page, capsys):
    organisation = organisation_page.organisation
    editor = factories.MembershipFactory(organisation=organisation, role="editor").user
    person = factories.PersonFactory(organisation=organisation)
    # A restore without signals: permissions, workflow and group memberships are gone.
    GroupPagePermission.objects.all().delete()
    GroupObjectPermission.objects.all().delete()
    Workflow.objects.all().delete()
    editor.groups.clear()
    stranger = factories.UserFactory()
    stranger.groups.add(organisation.editors_group)

    call_command("sync_rights")

    assert "1/1" in capsys.readouterr().out
    assert factories.make_offer(organisation_page).permissions_for_user(fresh(editor)).can_edit()
    assert fresh(editor).has_perm("lotse_network.change_person", person)
    assert not fresh(stranger).groups.exists(), "a user without membership keeps no rights"
    assert Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME).exists()
