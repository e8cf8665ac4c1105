"""The append-only, authenticated hash chain of handover audit entries.

Every read of content and every change appends one entry inside the transaction of the change
itself, so an action and its record commit or roll back together. Appending locks the chain
head row, so concurrent writers queue instead of forking the chain.

Each entry's `hash` is an HMAC-SHA256 over its fields and the previous entry's hash, with the
newest key of `LOTSE_AUDIT_KEYS` (`audit_keys.py`), which lives outside the database: whoever
can write the database but lacks the key can neither change an entry and recompute the later
links nor forge new ones. What the database alone cannot show — entries cut off the end with
the head rewound, or the whole chain emptied — is found against anchors kept elsewhere
(`anchors.py`, `manage.py anchor_audit_chain`).

Chains from before the key (plain SHA-256 entries, "legacy", only in databases of
development versions before the migrations were made anew) were sealed by a migration that
appended one keyed "chain_sealed" entry whose MAC covers the last legacy hash, and through the
SHA-256 links every legacy entry before it. Legacy entries are accepted only before such a seal;
an unsealed or later legacy entry is a break (someone downgraded the chain).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit_keys
from .models import GENESIS_HASH, AuditEntry, AuditHead

HEAD_ID = 1
SEALED = "chain_sealed"

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
    "reassigned": _("Re-assigned to the contact's current account and deputy"),
    "contact_user_changed": _("Contact's account changed"),
    "contact_deputy_changed": _("Contact's deputy changed"),
    "contact_accepts_changed": _("Contact's receiving of handovers changed"),
    "contact_change_refused": _("Change of a contact's account or deputy refused"),
    SEALED: _("Audit chain sealed"),
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
    key = audit_keys.newest()  # before the lock: a missing key changes nothing
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
        key_id=key.id,
    )
    entry.hash = entry.compute_hash(key)
    entry.save()
    AuditHead.objects.filter(pk=HEAD_ID).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def current_head():
    """(sequence, hash) of the head; (0, genesis) before the first entry."""
    head = AuditHead.objects.filter(pk=HEAD_ID).values_list("sequence", "hash").first()
    return head or (0, GENESIS_HASH)


@dataclass
class Break:
    sequence: int
    reason: str


@dataclass
class Report:
    """What verification found: the first break (None: intact) and what the chain holds."""

    broken: Break | None = None
    total: int = 0
    legacy: int = 0
    sealed_by: int | None = None
    key_ids: list = field(default_factory=list)
    head: tuple = (0, GENESIS_HASH)


def verify(progress=None):
    """The first broken link of the chain, or None when the whole chain holds."""
    return examine(progress).broken


def examine(progress=None):
    """Check every link, MAC and the head; see the module docstring for the rules.

    The head is read first: entries appended while this runs lie beyond it and are checked
    like all others, so concurrent writers cause no false alarm.
    """
    keys = audit_keys.by_id()
    head_row = AuditHead.objects.filter(pk=HEAD_ID).values_list("sequence", "hash").first()
    report = Report(head=head_row or (0, GENESIS_HASH))
    previous_hash, expected, newest_position = GENESIS_HASH, 1, None
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        broken = _check(entry, expected, previous_hash, keys, report, newest_position)
        if broken is not None:
            report.broken = broken
            return report
        if entry.key_id:
            newest_position = keys[entry.key_id].position
            if entry.key_id not in report.key_ids:
                report.key_ids.append(entry.key_id)
        if entry.sequence == report.head[0] and entry.hash != report.head[1]:
            report.broken = Break(entry.sequence, "the chain head does not match this entry")
            return report
        previous_hash, expected = entry.hash, expected + 1
        report.total += 1
        if progress:
            progress()
    if report.legacy and report.sealed_by is None:
        report.broken = Break(1, "legacy (unkeyed) entries that no keyed entry seals")
    elif head_row is None and report.total:
        report.broken = Break(1, "the chain head is missing")
    elif report.head[0] > report.total:
        report.broken = Break(report.total + 1, "entries missing at the end")
    elif report.head[0] < report.total and current_head()[0] < report.total:
        # Not a concurrent append (that moves the head in the same transaction).
        report.broken = Break(report.head[0] + 1, "the chain head lags behind the entries")
    return report


def _check(entry, expected, previous_hash, keys, report, newest_position):
    if entry.sequence != expected:
        return Break(expected, "entry missing")
    if entry.previous_hash != previous_hash:
        return Break(entry.sequence, "previous hash does not match")
    if not entry.key_id:
        if newest_position is not None:
            return Break(entry.sequence, "legacy (unkeyed) entry after keyed ones")
        if entry.compute_hash() != entry.hash:
            return Break(entry.sequence, "content changed")
        report.legacy += 1
        return None
    key = keys.get(entry.key_id)
    if key is None:
        return Break(
            entry.sequence, f"made with key {entry.key_id}, which LOTSE_AUDIT_KEYS does not hold"
        )
    if newest_position is not None and key.position > newest_position:
        return Break(entry.sequence, "made with an older key than the entry before it")
    if not audit_keys.equal(entry.compute_hash(key), entry.hash):
        return Break(entry.sequence, "content changed (the MAC does not match)")
    if report.legacy and report.sealed_by is None:
        if entry.action != SEALED:
            return Break(entry.sequence, "legacy entries are not sealed")
        report.sealed_by = entry.sequence
    return None
