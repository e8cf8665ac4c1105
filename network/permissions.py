"""The one place that answers "may this user do this to this object?".

Every other app calls `can()` (or the queryset helpers below) instead of checking roles,
Django permissions or django-guardian itself. Apps that own organisation-bound models tell
this module how to find an object's organisation with `register_owner()`, so `network`
stays free of imports from the apps that depend on it.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser

from .models import Membership, Organisation, Person

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
PUBLISH = "publish"
CHOOSE = "choose"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, PUBLISH, CHOOSE)

#: Roles whose holders edit their organisation's entries.
EDITING_ROLES = frozenset({Membership.Role.EDITOR, Membership.Role.ORG_ADMIN})

_owners: dict[type, Callable[[object], int | None]] = {}


def register_owner(model, organisation_id_of):
    """Declare how to find the id of the organisation that owns an instance of `model`."""
    _owners[model] = organisation_id_of


register_owner(Organisation, lambda obj: obj.pk)
register_owner(Person, lambda obj: obj.organisation_id)
register_owner(Membership, lambda obj: obj.organisation_id)


def owner_id(obj):
    """The id of the organisation that owns `obj`, or None for shared county data."""
    for model in type(obj).__mro__:
        if model in _owners:
            return _owners[model](obj)
    return None


def _roles(user):
    """{organisation_id: {role, ...}} for the user, cached on the user object per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_lotse_roles", None)
    if cached is None:
        cached = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cached.setdefault(org_id, set()).add(role)
        user._lotse_roles = cached
    return cached


def forget_roles(user):
    """Drop the per-user cache after memberships change."""
    if hasattr(user, "_lotse_roles"):
        del user._lotse_roles


def is_coordinator(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        Membership.Role.COORDINATOR in roles for roles in _roles(user).values()
    )


def is_adviser(user):
    return bool(user and user.is_authenticated) and any(
        Membership.Role.ADVISER in roles for roles in _roles(user).values()
    )


def organisation_ids(user, roles=None):
    """Ids of the organisations where the user holds one of `roles` (any role if None)."""
    return {org_id for org_id, held in _roles(user).items() if roles is None or held & set(roles)}


def can(user, action, obj):
    """May `user` perform `action` on `obj`?"""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    user = user or AnonymousUser()
    if not user.is_authenticated or not user.is_active:
        return False
    if is_coordinator(user):
        return True
    if _guardian_allows(user, action, obj):
        return True
    org_id = owner_id(obj)
    if action in (VIEW, CHOOSE):
        return is_adviser(user) or (org_id is not None and org_id in organisation_ids(user))
    if org_id is None:
        return False
    if isinstance(obj, Membership):
        # Only coordinators (handled above) hand out or take away county-wide rights.
        if obj.role == Membership.Role.COORDINATOR:
            return False
        return org_id in organisation_ids(user, {Membership.Role.ORG_ADMIN})
    if isinstance(obj, Organisation) and action == DELETE:
        # Deleting a partner takes its people and memberships with it: coordinators only.
        return False
    return org_id in organisation_ids(user, EDITING_ROLES)


def _guardian_allows(user, action, obj):
    """Explicit object permissions granted through django-guardian."""
    if getattr(obj, "pk", None) is None or action in (PUBLISH, CHOOSE, ADD):
        return False
    meta = obj._meta
    return user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}", obj)


def visible_organisations(user):
    """Organisations whose internal data the user may see in the admin."""
    if is_coordinator(user) or is_adviser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids(user))
