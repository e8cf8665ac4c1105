"""Lotse inside an existing Wagtail site: the host's own groups keep what they had, and stop at
the directory.

The host groups are made as `wagtail start`'s initial data makes "Editors" and "Moderators":
page permissions on the root page plus access to the admin.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from lotse.directory.models import OfferPage
from lotse.network import rights
from lotse.network.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

HOST_GROUPS = {
    "Editors": ("add_page", "change_page", "lock_page"),
    "Moderators": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
REPORTS = ("page_types_usage", "aging_pages", "workflow", "workflow_tasks")


def host_group(name):
    """A group like Wagtail's default ones, with exactly their permissions on the root page."""
    group, _ = Group.objects.get_or_create(name=name)
    root = Page.get_first_root_node()
    GroupPagePermission.objects.filter(group=group).delete()
    for codename in HOST_GROUPS[name]:
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def host_user(name, username):
    user = factories.UserFactory(username=username)
    user.groups.add(host_group(name))
    return user


@pytest.fixture
def site():
    """A host page next to the directory, and a partner's live offer inside it."""
    directory = factories.directory_root()
    host_page = Page.get_first_root_node().add_child(
        instance=Page(title="Presse", slug="presse-host")
    )
    host_page.save_revision().publish()
    offer = factories.make_offer(factories.make_organisation_page(), title="Tafel")
    return {"directory": directory, "host_page": host_page, "offer": offer}


@pytest.mark.parametrize("group", sorted(HOST_GROUPS))
def test_host_groups_keep_their_reports(client, site, group):
    client.force_login(host_user(group, f"host-{group.lower()}"))
    # The locked pages report is for those who may unlock (Wagtail's Moderators, not Editors).
    for report in REPORTS + (("locked_pages",) if group == "Moderators" else ()):
        response = client.get(reverse(f"wagtailadmin_reports:{report}"))
        assert response.status_code == 200, report


def test_partner_editors_still_get_no_page_reports(client, site):
    editor = factories.UserFactory()
    factories.MembershipFactory(
        user=editor, organisation=site["offer"].organisation, role=Membership.Role.EDITOR
    )
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert response.status_code in (302, 403)


def test_host_editor_keeps_editing_host_pages(client, site):
    editor = host_user("Editors", "host-editor")
    page = site["host_page"]
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {"title": "Presse und Medien", "slug": page.slug},
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).get_latest_revision().content["title"] == (
        "Presse und Medien"
    )
    assert page.permissions_for_user(editor).can_add_subpage()
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[page.pk]))
    assert response.status_code in (200, 302) and "/add/" in response.get("Location", "/add/")


def test_host_moderator_keeps_publishing_moving_and_deleting_host_pages(client, site):
    moderator = host_user("Moderators", "host-moderator")
    page = site["host_page"]
    perms = page.permissions_for_user(moderator)
    assert perms.can_publish() and perms.can_unpublish() and perms.can_move()
    assert perms.can_delete() and perms.can_lock()
    client.force_login(moderator)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    assert not Page.objects.get(pk=page.pk).live
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


@pytest.mark.parametrize("group", sorted(HOST_GROUPS))
def test_host_groups_cannot_touch_partner_offers(client, site, group):
    user = host_user(group, f"host-{group.lower()}")
    offer = site["offer"]
    for page in (offer, offer.get_parent(), site["directory"]):
        perms = Page.objects.get(pk=page.pk).permissions_for_user(user)
        assert not perms.can_edit() and not perms.can_add_subpage()
        assert not perms.can_unpublish() and not perms.can_delete() and not perms.can_move()
        assert not perms.can_publish() and not perms.can_lock() and not perms.can_copy()
    client.force_login(user)
    refused = [
        ("get", reverse("wagtailadmin_pages:edit", args=[offer.pk])),
        ("post", reverse("wagtailadmin_pages:edit", args=[offer.pk])),
        ("post", reverse("wagtailadmin_pages:unpublish", args=[offer.pk])),
        ("post", reverse("wagtailadmin_pages:delete", args=[offer.pk])),
        ("get", reverse("wagtailadmin_pages:move", args=[offer.pk])),
        ("post", reverse("wagtailadmin_pages:copy", args=[offer.pk])),
        ("post", reverse("wagtailadmin_pages:lock", args=[offer.pk])),
        ("get", reverse("wagtailadmin_pages:add_subpage", args=[offer.get_parent().pk])),
    ]
    for method, url in refused:
        response = getattr(client, method)(url, {"title": "Übernommen"})
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert reverse("wagtailadmin_pages:edit", args=[offer.pk]) not in response.url
    offer = OfferPage.objects.get(pk=offer.pk)
    assert offer.live and offer.title == "Tafel" and offer.locked is False
    assert OfferPage.objects.count() == 1


def test_host_moderator_cannot_move_a_host_page_into_the_directory(site):
    moderator = host_user("Moderators", "host-moderator")
    perms = site["host_page"].permissions_for_user(moderator)
    assert not perms.can_move_to(site["offer"].get_parent())
    assert perms.can_move_to(
        Page.get_first_root_node()
        .get_children()
        .exclude(pk__in=[site["host_page"].pk, site["directory"].pk])
        .first()
        or site["host_page"].get_parent()
    )


def test_host_explorer_and_policy_leave_the_directory_out(site):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Page)
    moderator = host_user("Moderators", "host-moderator")
    editable = policy.instances_user_has_permission_for(moderator, "change")
    assert editable.filter(pk=site["host_page"].pk).exists()
    assert not editable.filter(pk__in=[site["offer"].pk, site["directory"].pk]).exists()
    assert policy.user_has_permission_for_instance(moderator, "publish", site["host_page"])
    assert not policy.user_has_permission_for_instance(moderator, "publish", site["offer"])


def test_a_host_user_given_a_lotse_role_works_in_the_directory(client, site):
    moderator = host_user("Moderators", "host-moderator")
    factories.MembershipFactory(
        user=moderator, organisation=factories.OrganisationFactory(), role="coordinator"
    )
    offer = site["offer"]
    assert Page.objects.get(pk=offer.pk).permissions_for_user(moderator).can_unpublish()
    client.force_login(moderator)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[offer.pk]))
    assert response.status_code == 302
    assert not OfferPage.objects.get(pk=offer.pk).live


@override_settings(LOTSE_GROUP_ROLES={"Moderators": "coordinator"})
def test_a_host_group_given_a_lotse_role_works_in_the_directory(client, site):
    moderator = host_user("Moderators", "host-moderator")
    assert moderator.groups.filter(name=rights.COORDINATION_GROUP).exists()
    offer = site["offer"]
    client.force_login(moderator)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[offer.pk]))
    assert response.status_code == 302
    assert not OfferPage.objects.get(pk=offer.pk).live
    moderator.groups.remove(Group.objects.get(name="Moderators"))
    assert not moderator.groups.filter(name=rights.COORDINATION_GROUP).exists()
    editors = host_user("Editors", "host-editor")
    assert not editors.groups.filter(name=rights.COORDINATION_GROUP).exists()


@override_settings(LOTSE_GROUP_ROLES={"Moderators": "editor"})
def test_group_roles_are_county_wide_roles_only(site):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="LOTSE_GROUP_ROLES"):
        host_user("Moderators", "host-moderator")
