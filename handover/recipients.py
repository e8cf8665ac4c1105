"""Who reads a handover on the receiving side, and the audit of the contact data behind it.

On sending, the handover stores the accounts of the recipient and of the deputy the recipient
(or a coordinator) named (`permissions.receivers_of`); every party rule reads those stored
accounts. So editing a contact's linked account or deputy afterwards reaches nothing sent
before it. A coordinator may re-assign an open handover to the contact's current account and
deputy: explicitly, one handover at a time, in the audit chain. Every change (and every
refused attempt) of a contact's linked account, deputy or "receives handovers" is written to
the same chain, with ids only.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from lotse.network import contacts, permissions

from . import audit, notifications
from .models import Handover, Status

#: Handovers a coordinator may re-assign: sent and not finished.
REASSIGNABLE = (Status.SENT, Status.OPENED, Status.ACCEPTED, Status.IN_CONTACT)

CONTACT_ACTIONS = {
    "user": "contact_user_changed",
    "deputy": "contact_deputy_changed",
    "accepts_handovers": "contact_accepts_changed",
}


class NothingToReassign(Exception):
    """The handover already goes to the contact's current account and deputy, or is closed."""


def receivers(recipient):
    """The stored accounts for a handover sent to `recipient` now (field → user or None)."""
    user, deputy_user = permissions.receivers_of(recipient)
    return {"recipient_user": user, "deputy_user": deputy_user}


def deputy_address(handover):
    """Where the deputy who may read this handover is told: their contact entry's address,
    else their account's."""
    user = handover.deputy_user
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return notifications.address_of(person) if person is not None else user.email


def _id(value):
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(getattr(value, "pk", value))


def _changes_detail(changes):
    return "; ".join(f"{field} {_id(old)} -> {_id(new)}" for field, (old, new) in changes.items())


def reassignment(handover):
    """{"recipient user" | "deputy user": (old id, new user)} a re-assignment would make."""
    current = receivers(handover.recipient)
    changes = {}
    for field, label in (("recipient_user", "recipient user"), ("deputy_user", "deputy user")):
        new = current[field]
        if getattr(handover, f"{field}_id") != getattr(new, "pk", None):
            changes[label] = (getattr(handover, f"{field}_id"), new)
    return changes


@transaction.atomic
def reassign(user, handover):
    """A coordinator moves an open handover to its contact's current account and deputy."""
    if not permissions.may_reassign_receivers(user):
        raise PermissionDenied
    locked = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .get(pk=handover.pk)
    )
    if locked.status not in REASSIGNABLE:
        raise NothingToReassign(_("Only open handovers are re-assigned."))
    changes = reassignment(locked)
    if not changes:
        raise NothingToReassign(
            _("This handover already goes to the contact's current account and deputy.")
        )
    values = {}
    if "recipient user" in changes:
        values["recipient_user"] = changes["recipient user"][1]
    if "deputy user" in changes:
        values["deputy_user"] = changes["deputy user"][1]
    Handover.objects.filter(pk=locked.pk).update(**values)
    audit.record(user, "reassigned", locked, detail=_changes_detail(changes))
    handover.refresh_from_db()
    if "recipient user" in changes and handover.recipient_user_id:
        notifications.queue(
            "waiting",
            handover,
            notifications.address_of(handover.recipient),
            handover.get_status_display(),
        )
    return handover


@receiver(contacts.contact_changed)
def audit_contact_change(sender, person, actor, changes, **kwargs):
    for field, change in changes.items():
        audit.record(
            actor, CONTACT_ACTIONS[field], person=person, detail=_changes_detail({field: change})
        )


@receiver(contacts.contact_change_refused)
def audit_refused_contact_change(sender, person, actor, changes, **kwargs):
    audit.record(actor, "contact_change_refused", person=person, detail=_changes_detail(changes))
