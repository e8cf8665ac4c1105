"""Turn memberships into the rights Wagtail and django-guardian enforce.

`permissions.py` decides; this module writes those decisions down where Wagtail's own views
look for them: groups, Wagtail page permissions on each organisation's page subtree, and
guardian object permissions on each organisation's snippets. Signals in `signals.py` call it
whenever an organisation, membership or owned object changes, so rights follow at once; the
`sync_rights` command rebuilds everything from scratch.
"""

from collections.abc import Callable

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm
from wagtail.models import GroupPagePermission, Page

from lotse.conf import lotse_settings

from . import permissions
from .models import Membership, Organisation, Person

#: Every network member: may open the Wagtail admin.
NETWORK_GROUP = "Netzwerk"
#: County coordinators: everything in the directory; approve partner changes.
COORDINATION_GROUP = "Koordination"
#: Advisers in the one-stop offices: read the whole network.
ADVICE_GROUP = "Beratung"

#: Page permissions of a partner's editors on their organisation page and everything below.
EDITOR_PAGE_PERMISSIONS = ("add", "change", "lock")
COORDINATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")
OBJECT_PERMISSIONS = ("view", "change", "delete")

_guarded: dict[type, Callable[[object], int | None]] = {}
_organisation_pages: list[Callable[[Organisation], list[Page]]] = []
_coordinated_pages: list[Callable[[], list[Page]]] = []
_rebuilders: list[Callable[[], object]] = []


def register_guarded(model):
    """Editors of an object's organisation get guardian view/change/delete permissions on it."""
    _guarded[model] = permissions.owner_id


def register_pages(organisation_pages, coordinated_pages):
    """Tell this module which pages an organisation owns and which ones the county coordinates."""
    _organisation_pages.append(organisation_pages)
    _coordinated_pages.append(coordinated_pages)


def register_rebuild(rebuild):
    """`rebuild()` runs at the end of `sync_all()`, e.g. to restore a review workflow."""
    _rebuilders.append(rebuild)


register_guarded(Organisation)
register_guarded(Person)


def managed_groups():
    """The groups Lotse keeps: the county-wide ones and every organisation's editors."""
    return Group.objects.filter(
        Q(name__in=(NETWORK_GROUP, COORDINATION_GROUP, ADVICE_GROUP))
        | Q(lotse_organisation__isnull=False)
    )


def _group(name, with_admin_access=False):
    group, created = Group.objects.get_or_create(name=name)
    if created and with_admin_access:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


def ensure_groups():
    """The county-wide groups exist (created on demand, so a fresh database needs no step)."""
    return {
        name: _group(name, with_admin_access=True)
        for name in (NETWORK_GROUP, COORDINATION_GROUP, ADVICE_GROUP)
    }


def coordination_group():
    return _group(COORDINATION_GROUP, with_admin_access=True)


def editors_group(organisation):
    """The organisation's editors' group, created or renamed to follow the organisation."""
    name = f"Redaktion {organisation.name[:120]} ({organisation.pk})"
    group = organisation.editors_group
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
        Organisation.objects.filter(pk=organisation.pk).update(editors_group=group)
        organisation.editors_group = group
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


@transaction.atomic
def sync_organisation(organisation):
    """Group, page and object permissions of one organisation's editors."""
    group = editors_group(organisation)
    sync_object(organisation)
    sync_organisation_pages(organisation)
    return group


def sync_organisation_pages(organisation):
    group = editors_group(organisation)
    pages = [page for pages_of in _organisation_pages for page in pages_of(organisation)]
    GroupPagePermission.objects.filter(group=group).exclude(page__in=pages).delete()
    wanted = EDITOR_PAGE_PERMISSIONS + (("publish",) if organisation.trusted else ())
    _set_page_permissions(group, pages, wanted)


def sync_page(page, organisation):
    """An organisation page's rights belong to its organisation's editors only."""
    stale = GroupPagePermission.objects.filter(page=page, group__lotse_organisation__isnull=False)
    if organisation is not None and organisation.editors_group_id:
        stale = stale.exclude(group_id=organisation.editors_group_id)
    stale.delete()
    if organisation is not None:
        sync_organisation_pages(organisation)


def sync_coordination_pages():
    group = coordination_group()
    pages = [page for coordinated in _coordinated_pages for page in coordinated()]
    _set_page_permissions(group, pages, COORDINATOR_PAGE_PERMISSIONS)


def _set_page_permissions(group, pages, codenames):
    page_type = ContentType.objects.get_for_model(Page)
    wanted = {
        perm.pk: perm
        for perm in Permission.objects.filter(
            content_type=page_type, codename__in=[f"{c}_page" for c in codenames]
        )
    }
    for page in pages:
        existing = GroupPagePermission.objects.filter(group=group, page=page)
        existing.exclude(permission_id__in=wanted).delete()
        have = set(existing.values_list("permission_id", flat=True))
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group=group, page=page, permission=perm)
            for pk, perm in wanted.items()
            if pk not in have
        )


def sync_object(obj):
    """Guardian permissions on an organisation-owned object: its own editors' group only."""
    if type(obj) not in _guarded or obj.pk is None:
        return
    content_type = ContentType.objects.get_for_model(obj)
    org_id = permissions.owner_id(obj)
    group_id = (
        Organisation.objects.filter(pk=org_id).values_list("editors_group_id", flat=True).first()
    )
    stale = GroupObjectPermission.objects.filter(
        content_type=content_type, object_pk=str(obj.pk), group__lotse_organisation__isnull=False
    )
    if group_id is not None:
        stale = stale.exclude(group_id=group_id)
    stale.delete()
    if group_id is None:
        return
    group = Group.objects.get(pk=group_id)
    for action in OBJECT_PERMISSIONS:
        if isinstance(obj, Organisation) and action == "delete":
            continue
        assign_perm(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", group, obj)


def forget_object(obj):
    GroupObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).delete()


@transaction.atomic
def sync_user(user):
    """Put the user in exactly the groups their memberships call for."""
    permissions.forget_roles(user)
    roles = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    roles += [(None, role) for role in permissions.roles_from_groups(user)]
    groups = ensure_groups()
    wanted = set()
    if roles:
        wanted.add(groups[NETWORK_GROUP].pk)
    for org_id, role in roles:
        if role == Membership.Role.COORDINATOR:
            wanted.add(groups[COORDINATION_GROUP].pk)
        elif role == Membership.Role.ADVISER:
            wanted.add(groups[ADVICE_GROUP].pk)
        elif role in permissions.EDITING_ROLES:
            organisation = Organisation.objects.get(pk=org_id)
            wanted.add(editors_group(organisation).pk)
    managed = set(managed_groups().values_list("pk", flat=True))
    current = set(user.groups.values_list("pk", flat=True))
    user.groups.remove(*((current & managed) - wanted))
    user.groups.add(*(wanted - current))
    permissions.forget_roles(user)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)


def sync_all(progress=None):
    """Rebuild every group and permission from organisations, memberships and pages."""
    from django.contrib.auth import get_user_model

    ensure_groups()
    sync_coordination_pages()
    organisations = list(Organisation.objects.all())
    for organisation in organisations:
        sync_organisation(organisation)
        if progress:
            progress()
    for model in _guarded:
        if model is Organisation:
            continue
        for obj in model._default_manager.all():
            sync_object(obj)
    managed = managed_groups()
    users = (
        get_user_model()
        .objects.filter(
            Q(memberships__isnull=False)
            | Q(groups__in=managed)
            | Q(groups__name__in=list(lotse_settings.LOTSE_GROUP_ROLES))
        )
        .distinct()
    )
    for user in users:
        sync_user(user)
    for rebuild in _rebuilders:
        rebuild()
