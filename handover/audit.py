"""The append-only, hash-chained audit trail of handovers.

Every read of content and every change appends one entry inside the transaction of the change
itself, so an action and its record commit or roll back together. Appending locks the chain
head row, so concurrent writers queue instead of forking the chain.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import GENESIS_HASH, AuditEntry, AuditHead

HEAD_ID = 1

#: What each action code means, for the history shown with a handover.
ACTION_LABELS = {
    "draft_saved": _("Draft saved"),
    "draft_discarded": _("Draft deleted"),
    "created": _("Sent"),
    "sent": _("Sent"),
    "content_read": _("Content read"),
    "open": _("Opened"),
    "accept": _("Accepted"),
    "decline": _("Declined"),
    "contact": _("Contact recorded"),
    "close": _("Closed"),
    "reminded": _("Reminder sent"),
    "escalated": _("Escalated to the deputy"),
    "expired": _("Expired"),
    "consent_withdrawn": _("Consent withdrawn"),
    "content_purged": _("Content deleted"),
    "consent_lapsed": _("Content deleted: consent no longer valid"),
}


def history(handover):
    """The audit entries of one handover, oldest first."""
    return AuditEntry.objects.filter(handover_id=handover.pk).order_by("sequence")


def _locked_head():
    head = AuditHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=HEAD_ID)
        head = AuditHead.objects.select_for_update().get(pk=HEAD_ID)
    return head


@transaction.atomic
def record(actor, action, handover=None, from_status="", to_status="", person=None, detail=""):
    """Append one entry: who (user id), what (an action code), which handover or contact, when.

    `detail` carries ids and codes only (e.g. "user 12 -> 15"), never names or content.
    """
    head = _locked_head()
    entry = AuditEntry(
        sequence=head.sequence + 1,
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        handover_id=getattr(handover, "pk", handover),
        from_status=from_status or "",
        to_status=to_status or "",
        person_id=getattr(person, "pk", person),
        detail=detail or "",
        previous_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    AuditHead.objects.filter(pk=HEAD_ID).update(sequence=entry.sequence, hash=entry.hash)
    return entry


@dataclass
class Break:
    sequence: int
    reason: str


def verify(progress=None):
    """The first broken link of the chain, or None when the whole chain holds."""
    previous_hash, expected = GENESIS_HASH, 1
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected:
            return Break(expected, "entry missing")
        if entry.previous_hash != previous_hash:
            return Break(entry.sequence, "previous hash does not match")
        if entry.compute_hash() != entry.hash:
            return Break(entry.sequence, "content changed")
        previous_hash, expected = entry.hash, expected + 1
        if progress:
            progress()
    head = AuditHead.objects.filter(pk=HEAD_ID).first()
    if head is not None and (head.sequence, head.hash) != (expected - 1, previous_hash):
        return Break(expected, "entries missing at the end")
    return None
