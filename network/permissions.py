"""The one place that answers "may this user do this to this object?".

Every other app calls `can()` (or the queryset helpers below) instead of checking roles,
Django permissions or django-guardian itself. Apps that own organisation-bound models tell
this module how to find an object's organisation with `register_owner()`, so `network`
stays free of imports from the apps that depend on it.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from guardian.shortcuts import get_objects_for_user
from wagtail.models import Page

from .models import Membership, Organisation, Person

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
PUBLISH = "publish"
CHOOSE = "choose"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, PUBLISH, CHOOSE)
#: Read an object's personal content (a handover's case summary). Kept out of `ACTIONS`: only
#: models registered with `register_parties()` have such content; elsewhere it means VIEW.
READ_CONTENT = "read_content"

#: Roles whose holders edit their organisation's entries.
EDITING_ROLES = frozenset({Membership.Role.EDITOR, Membership.Role.ORG_ADMIN})

_owners: dict[type, Callable[[object], int | None]] = {}
_lookups: dict[type, str] = {}
_page_roots: list[Callable[[], list[tuple[str, int]]]] = []
_governed_trees: list[Callable[[], list[str]]] = []
_parties: dict[type, tuple[Callable[[object, object], bool], Callable[[object], Q]]] = {}


def register_owner(model, organisation_id_of, lookup):
    """Declare how to find the organisation that owns an instance of `model`.

    `organisation_id_of(obj)` answers for one object, `lookup` (an ORM path such as
    "organisation_id") filters querysets of the model the same way.
    """
    _owners[model] = organisation_id_of
    _lookups[model] = lookup


def register_page_roots(roots):
    """Declare `roots()`, giving (tree path, organisation id) of each organisation's page.

    Everything below such a page belongs to that organisation, whatever its page type; this is
    how querysets of plain Wagtail pages (explorer, choosers) are filtered.
    """
    _page_roots.append(roots)


def register_governed_trees(paths):
    """Declare `paths()`, the tree paths of pages whose subtrees Lotse's roles govern.

    Below such a page (the directory) only Lotse's own groups' page permissions count: a host
    group's permission on an ancestor (Wagtail's "Editors" on the root) stops at its edge, so
    the host's web team does not edit, move or delete partners' offers without a Lotse role.
    """
    _governed_trees.append(paths)


def register_parties(model, is_party, parties_q):
    """Objects of `model` belong to the people named on them, not to an organisation.

    `is_party(user, obj)` says whether the user is one of them; `parties_q(user)` says the same
    as a Q filter on the model. Parties view, change and read the content; coordinators and
    superusers view the metadata only; nobody else sees the object at all.
    """
    _parties[model] = (is_party, parties_q)


def _party_rules(model):
    return next((_parties[m] for m in model.__mro__ if m in _parties), None)


def _party_allows(user, action, obj, is_party):
    if is_party(user, obj):
        return action in (VIEW, CHANGE, READ_CONTENT)
    return action == VIEW and is_coordinator(user)


def _filter_parties(user, action, queryset, parties_q):
    if action == VIEW and is_coordinator(user):
        return queryset
    if action in (VIEW, CHANGE, READ_CONTENT):
        return queryset.filter(parties_q(user))
    return queryset.none()


# Who receives what is sent to a contact, and who may change that

SENDER, RECIPIENT, DEPUTY = "sender", "recipient", "deputy"


def counting_deputy(person):
    """`person`'s deputy if the person's own account or a coordinator named them, else None.

    A deputy entered by anybody else (an editor, a change straight in the database) stands in
    for nobody: being a deputy means reading the person's handovers.
    """
    if person is None or person.deputy_id is None or person.deputy_named_by_id is None:
        return None
    deputy, named_by = person.deputy, person.deputy_named_by
    if deputy.organisation_id != person.organisation_id:
        return None
    if named_by.pk == person.user_id or is_coordinator(named_by):
        return deputy
    return None


def receivers_of(person):
    """(recipient's account, deputy's account) who may read what is sent to `person` now.

    Objects registered with `register_parties()` store both when they are sent and decide on
    those stored accounts alone, so a later change of the contact's data reaches nothing sent
    before it (only an explicit re-assignment by a coordinator does).
    """
    if person is None:
        return None, None
    user = person.user if person.user_id and person.user.is_active else None
    deputy = counting_deputy(person)
    deputy_user = None
    if deputy is not None and deputy.user_id and deputy.user.is_active:
        deputy_user = deputy.user
    if user is not None and deputy_user is not None and deputy_user.pk == user.pk:
        deputy_user = None
    return user, deputy_user


def receiving_roles(user, recipient_user_id, deputy_user_id):
    """{"recipient", "deputy"}: the user's parts on the receiving side of a sent object,
    from the accounts stored on it when it was sent (see `receivers_of`)."""
    roles = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    if recipient_user_id is not None and recipient_user_id == user.pk:
        roles.add(RECIPIENT)
    if deputy_user_id is not None and deputy_user_id == user.pk:
        roles.add(DEPUTY)
    return roles


def receiving_q(user, recipient="recipient_user", deputy="deputy_user"):
    """`receiving_roles` as a filter on the fields holding the stored accounts."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return Q(**{recipient: user}) | Q(**{deputy: user})


def may_reassign_receivers(user):
    """Only coordinators move sent objects to a contact's current account and deputy."""
    return is_coordinator(user)


def _own_account(actor, person):
    """Is `actor` the account `person` is linked to (as stored, before this change)?"""
    stored = person.stored("user_id")
    return stored is not None and actor is not None and stored == actor.pk


def may_name_deputy(actor, person):
    """The deputy of a contact is named by the contact themselves or by a coordinator."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if is_coordinator(actor):
        return True
    if person.pk is None:
        # A new entry for oneself: the actor links their own account and names a deputy.
        return person.user_id == actor.pk and may_link_user(actor, person, actor)
    return _own_account(actor, person)


def may_change_linked_user(actor, person):
    """Who may change a contact's account at all: the person themselves, an administrator of
    the person's organisation, and coordinators."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if is_coordinator(actor) or _own_account(actor, person):
        return True
    administered = organisation_ids(actor, {Membership.Role.ORG_ADMIN})
    if person.organisation_id is None:  # a new entry whose organisation is not chosen yet
        return bool(administered)
    return person.organisation_id in administered


def linkable_users(actor, person):
    """The accounts `actor` may link to `person` (besides keeping the current one)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if not may_change_linked_user(actor, person):
        return users.none()
    if is_coordinator(actor):
        return users
    organisations = (
        {person.organisation_id}
        if person.organisation_id is not None
        else organisation_ids(actor, {Membership.Role.ORG_ADMIN})
    )
    users = users.filter(memberships__organisation_id__in=organisations).distinct()
    if person.pk is not None and not _own_account(actor, person):
        # Nobody but the coordination gives themselves someone else's inbox.
        users = users.exclude(pk=actor.pk)
    return users


def may_link_user(actor, person, new_user):
    """May `actor` link `person` to `new_user` (None: no account)?"""
    new_id = getattr(new_user, "pk", new_user)
    if new_id == person.stored("user_id"):  # unchanged (None for a new entry)
        return True
    if not may_change_linked_user(actor, person):
        return False
    if new_id is None:
        return True
    return linkable_users(actor, person).filter(pk=new_id).exists()


register_owner(Organisation, lambda obj: obj.pk, "id")
register_owner(Person, lambda obj: obj.organisation_id, "organisation_id")
register_owner(Membership, lambda obj: obj.organisation_id, "organisation_id")


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
        roles = roles_from_groups(user)
        if roles:
            # County-wide roles given to a host group belong to no organisation.
            cached[None] = set(roles)
        user._lotse_roles = cached
    return cached


#: The Lotse roles a host group may be given in `LOTSE_GROUP_ROLES` (county-wide ones).
GROUP_ROLES = frozenset({Membership.Role.COORDINATOR, Membership.Role.ADVISER})


def roles_from_groups(user):
    """The Lotse roles the user holds through host groups named in `LOTSE_GROUP_ROLES`."""
    from django.core.exceptions import ImproperlyConfigured

    from lotse.conf import lotse_settings

    given = lotse_settings.LOTSE_GROUP_ROLES
    if not given or user is None or not user.is_authenticated:
        return set()
    wrong = sorted(str(role) for role in given.values() if role not in GROUP_ROLES)
    if wrong:
        raise ImproperlyConfigured(
            f"LOTSE_GROUP_ROLES: a host group can be given {sorted(GROUP_ROLES)}, "
            f"not {', '.join(wrong)}."
        )
    names = user.groups.filter(name__in=list(given)).values_list("name", flat=True)
    return {given[name] for name in names}


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
    return {
        org_id
        for org_id, held in _roles(user).items()
        if org_id is not None and (roles is None or held & set(roles))
    }


def can(user, action, obj):
    """May `user` perform `action` on `obj`?"""
    if action not in ACTIONS and action != READ_CONTENT:
        raise ValueError(f"Unknown action {action!r}")
    user = user or AnonymousUser()
    if not user.is_authenticated or not user.is_active:
        return False
    parties = _party_rules(type(obj))
    if parties is not None:
        return _party_allows(user, action, obj, parties[0])
    if action == READ_CONTENT:
        action = VIEW
    if is_coordinator(user):
        return True
    if _guardian_allows(user, action, obj):
        return True
    org_id = owner_id(obj)
    if action in (VIEW, CHOOSE):
        if is_adviser(user):
            return True
        if org_id is None:
            # Shared county data (topics, areas, languages) is read by every network member.
            return bool(_roles(user))
        return org_id in organisation_ids(user)
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
    if org_id not in organisation_ids(user, EDITING_ROLES):
        return False
    if isinstance(obj, Page) and (action == PUBLISH or (action == DELETE and obj.live)):
        # Untrusted partners' page changes go through the coordination's review workflow, and
        # taking a live page offline is a change the public sees, too.
        return Organisation.objects.filter(pk=org_id, trusted=True).exists()
    return True


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


def is_member(user):
    """Does the user hold any role in the network (and so may use the admin)?"""
    return is_coordinator(user) or bool(_roles(user))


#: Roles whose holders read (or may read) social data, so they sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {Membership.Role.COORDINATOR, Membership.Role.ADVISER, Membership.Role.CONTACT}
)


def requires_second_factor(user):
    """Must this user confirm each sign-in with a one-time code (TOTP or a recovery code)?

    Yes for superusers and coordinators, advisers and handover contacts; for everyone linked to
    a contact who receives handovers or deputises for one; and for anyone who already is a party
    to content registered with `register_parties()` (a handover sent, received or deputised).
    Plain editors may add a second factor but are not made to.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or any(roles & SECOND_FACTOR_ROLES for roles in _roles(user).values()):
        return True
    if (
        Person.objects.filter(user=user)
        .filter(Q(accepts_handovers=True) | Q(deputy_for__isnull=False))
        .exists()
    ):
        return True
    return any(
        model._default_manager.filter(parties_q(user)).exists()
        for model, (_is_party, parties_q) in _parties.items()
    )


def governed_paths(user):
    """Tree paths of the subtrees governed by Lotse's roles, cached on the user per request."""
    cached = getattr(user, "_lotse_governed_paths", None)
    if cached is None:
        cached = user._lotse_governed_paths = tuple(
            path for paths in _governed_trees for path in paths()
        )
    return cached


def page_permission_applies(perm, page_path, governed):
    """Does a Wagtail page permission (granted on `perm.page`) apply to the page at `page_path`?

    Wagtail's rule (granted on the page or an ancestor), except inside a governed subtree, where
    only permissions of Lotse's own groups count (`perm.lotse`, set by the page policy). Host
    groups that should work there are given a Lotse role (`LOTSE_GROUP_ROLES`, memberships).
    """
    if not page_path.startswith(perm.page.path):
        return False
    return perm.lotse or not page_path.startswith(governed)


def reads_all_pages(user):
    """Users who read every page in the admin without changing any (advisers)."""
    return is_adviser(user) and not is_coordinator(user)


def require(user, action, obj):
    """Raise unless `user` may `action` `obj`: 404 when they may not even see it, else 403.

    Answering 404 for invisible objects keeps other organisations' ids from being probed.
    """
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if not can(user, action, obj):
        if action not in (VIEW, CHOOSE) and can(user, VIEW, obj):
            raise PermissionDenied
        raise Http404


def model_permission(user, action, model):
    """May the user `action` at least some objects of `model`? (Gates menus and add views.)"""
    if not is_member(user) or not user.is_active:
        return False
    if is_coordinator(user):
        return True
    if action in (VIEW, CHOOSE):
        return True
    if model not in _lookups or model is Organisation and action in (ADD, DELETE):
        # Shared county data and the list of partners are kept by the coordination.
        return False
    if model is Membership:
        return bool(organisation_ids(user, {Membership.Role.ORG_ADMIN}))
    return bool(organisation_ids(user, EDITING_ROLES))


def filter_queryset(user, action, queryset):
    """The part of `queryset` the user may `action`; the queryset twin of `can()`."""
    model = queryset.model
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    parties = _party_rules(model)
    if parties is not None:
        return _filter_parties(user, action, queryset, parties[1])
    if action == READ_CONTENT:
        action = VIEW
    if is_coordinator(user):
        return queryset
    lookup = next((_lookups[m] for m in model.__mro__ if m in _lookups), None)
    if lookup is None and issubclass(model, Page):
        return _filter_pages(user, action, queryset)
    if action in (VIEW, CHOOSE):
        if is_adviser(user):
            return queryset
        if lookup is None:
            return queryset if _roles(user) else queryset.none()
        allowed = organisation_ids(user)
    elif lookup is None:
        return queryset.none()
    elif issubclass(model, Membership):
        return queryset.filter(
            organisation_id__in=organisation_ids(user, {Membership.Role.ORG_ADMIN})
        ).exclude(role=Membership.Role.COORDINATOR)
    else:
        allowed = organisation_ids(user, EDITING_ROLES)
        if issubclass(model, Page) and action in (PUBLISH, DELETE):
            allowed = set(
                Organisation.objects.filter(pk__in=allowed, trusted=True).values_list(
                    "pk", flat=True
                )
            )
    owned = Q(**{f"{lookup}__in": allowed})
    if action in (VIEW, CHANGE, DELETE) and not issubclass(model, Page):
        granted = get_objects_for_user(
            user,
            f"{model._meta.app_label}.{action}_{model._meta.model_name}",
            klass=model._default_manager.all(),
            accept_global_perms=False,
            with_superuser=False,
        )
        # Evaluated here: search backends cannot combine their queries with guardian's subquery.
        owned |= Q(id__in=list(granted.exclude(owned).values_list("pk", flat=True)))
    return queryset.filter(owned)


def _filter_pages(user, action, queryset):
    """Plain pages: hide every page below another organisation's page."""
    if action in (VIEW, CHOOSE) and is_adviser(user):
        return queryset
    own = organisation_ids(user, None if action in (VIEW, CHOOSE) else EDITING_ROLES)
    for roots in _page_roots:
        for path, org_id in roots():
            if org_id not in own:
                queryset = queryset.exclude(path__startswith=path)
    return queryset


def visible_users(user):
    """User accounts the user may pick in forms: members of organisations they can see."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if is_coordinator(user):
        return users
    return users.filter(memberships__organisation_id__in=organisation_ids(user)).distinct()


def editors_of(organisation):
    """Active users who edit `organisation`'s entries (they receive its reminders)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=EDITING_ROLES,
        )
        .distinct()
    )
