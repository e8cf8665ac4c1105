"""Changing who receives a contact's handovers: the linked account, the deputy, receiving at all.

`permissions` decides who may change what; this module applies those decisions wherever a
`Person` is saved with a known actor (the admin form, the "My deputy" screen, services), stamps
who named a deputy and when, and announces every change of these fields with
`contact_changed` (and every refused attempt with `contact_change_refused`). The handover app
writes both to its hash-chained audit; `network` itself knows nothing of handovers.

Code that saves a person without an actor (management commands, the shell) is trusted like
the database itself: its changes are announced with the actor None, and a deputy it enters is
named by nobody, so it stands in for nobody until the person or a coordinator names it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions

#: Sent after a person's handover fields changed: `person`, `actor` (None: system), `changes`
#: ({"user" | "deputy" | "accepts_handovers": (old, new)}, ids and booleans only).
contact_changed = Signal()
#: Sent when an actor tried to change them and was refused: `person`, `actor`, `changes`.
contact_change_refused = Signal()

DEPUTY_REFUSED = _("Only the person themselves or the coordination name a deputy.")
USER_REFUSED = _(
    "Only the person themselves, an administrator of their organisation (with an account of "
    "that organisation) or the coordination link this entry to an account, and nobody links "
    "someone else's entry to their own account."
)


def refusals(actor, person, changes=None):
    """{field: message} for the handover fields `actor` may not change as `person` holds them."""
    changes = person.handover_changes() if changes is None else changes
    errors = {}
    if "deputy" in changes and not permissions.may_name_deputy(actor, person):
        errors["deputy"] = DEPUTY_REFUSED
    if "user" in changes and not permissions.may_link_user(actor, person, changes["user"][1]):
        errors["user"] = USER_REFUSED
    return errors


def refuse(actor, person, fields):
    """Announce a refused attempt on `fields` (for the audit), without saving anything."""
    changes = {k: v for k, v in person.handover_changes().items() if k in fields}
    if changes:
        contact_change_refused.send(type(person), person=person, actor=actor, changes=changes)


def acting(person, actor):
    """Mark `person` as changed by `actor`: its next save is checked and audited as theirs."""
    person._changed_by = actor
    return person


def before_save(person):
    """pre_save: check the actor's right to the changes, stamp the deputy's naming."""
    changes = person.handover_changes()
    actor = getattr(person, "_changed_by", None)
    if actor is not None:
        refused = refusals(actor, person, changes)
        if refused:
            refuse(actor, person, refused)
            raise PermissionDenied(" ".join(str(message) for message in refused.values()))
    if "deputy" in changes:
        explicit = person.deputy_named_by_id != person.stored("deputy_named_by_id")
        if actor is not None and actor.is_authenticated:
            person.deputy_named_by = actor
        elif not explicit:
            person.deputy_named_by = None
        person.deputy_named_at = timezone.now() if person.deputy_id else None
    person._pending_changes = changes


def after_save(person):
    """post_save: announce what changed, then remember the new state."""
    changes = getattr(person, "_pending_changes", None) or {}
    person._pending_changes = None
    if changes:
        contact_changed.send(
            type(person),
            person=person,
            actor=getattr(person, "_changed_by", None),
            changes=changes,
        )
    person.remember_handover_fields()


def people_losing(deleted_person):
    """Before a person is deleted: the people whose deputy it is lose their deputy."""
    for person in type(deleted_person).objects.filter(deputy=deleted_person):
        contact_changed.send(
            type(person), person=person, actor=None, changes={"deputy": (deleted_person.pk, None)}
        )
    if deleted_person.user_id:
        contact_changed.send(
            type(deleted_person),
            person=deleted_person,
            actor=None,
            changes={"user": (deleted_person.user_id, None)},
        )


def account_deleted(user):
    """Before an account is deleted: the person linked to it loses the link."""
    from .models import Person

    person = Person.objects.filter(user=user).first()
    if person is not None:
        contact_changed.send(Person, person=person, actor=None, changes={"user": (user.pk, None)})


def name_deputy(actor, person, deputy):
    """The person themselves (or a coordinator) names `deputy` (None: nobody)."""
    person.deputy = deputy
    try:
        person.full_clean(exclude=["user"], validate_unique=False)
    except ValidationError:
        person.deputy_id = person.stored("deputy_id")
        raise
    acting(person, actor).save()
    return person
