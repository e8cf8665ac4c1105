"""Anchors: the chain head written down outside the database, so a rewound chain is found.

The database alone cannot show that its newest entries were cut off and the head moved back
(or the whole chain emptied) by someone who lifted the triggers. `manage.py anchor_audit_chain`
(daily) verifies the chain and appends one line to a file — best on another machine or a
write-once medium — and/or e-mails it to the data-protection officer. Each line holds the time,
the head's sequence and hash, the id of the audit key and an HMAC of those with that key, so a
line cannot be forged without the key either. `verify_audit_chain --anchor FILE` then demands
that every anchored entry still exists with the anchored hash.
"""

import datetime as dt
import json

from django.utils import timezone

from . import audit, audit_keys
from .models import GENESIS_HASH, AuditEntry

FIELDS = ("at", "sequence", "hash", "key_id")


def _payload(values):
    return json.dumps(["lotse-audit-anchor", *(values[name] for name in FIELDS)])


def make_line(head, at=None):
    """One signed anchor line (JSON) for `head` = (sequence, hash)."""
    key = audit_keys.newest()
    values = {
        "at": (at or timezone.now()).astimezone(dt.UTC).isoformat(timespec="seconds"),
        "sequence": head[0],
        "hash": head[1],
        "key_id": key.id,
    }
    values["mac"] = key.mac(_payload(values))
    return json.dumps(values, separators=(",", ":"))


def parse_line(text, keys):
    """The anchor's values, or a reason (str) why the line is not a genuine anchor."""
    try:
        values = json.loads(text)
        ok = isinstance(values, dict) and all(name in values for name in (*FIELDS, "mac"))
        ok = ok and isinstance(values["sequence"], int) and isinstance(values["mac"], str)
    except (ValueError, RecursionError):
        ok = False
    if not ok:
        return "is not an anchor line"
    key = keys.get(values["key_id"])
    if key is None:
        return f"was made with key {values['key_id']}, which LOTSE_AUDIT_KEYS does not hold"
    if not audit_keys.equal(key.mac(_payload(values)), values["mac"]):
        return "is not authentic (its MAC does not match)"
    return values


def check(lines):
    """The first anchor the chain contradicts, as an `audit.Break`, or None; and the count."""
    keys = audit_keys.by_id()
    newest = audit.current_head()[0]
    count = 0
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        values = parse_line(text.strip(), keys)
        if isinstance(values, str):
            return audit.Break(0, f"anchor line {number} {values}"), count
        sequence, at = values["sequence"], values["at"]
        if sequence == 0:
            found = GENESIS_HASH
        else:
            found = (
                AuditEntry.objects.filter(sequence=sequence).values_list("hash", flat=True).first()
            )
        if found is None:
            return audit.Break(
                sequence,
                f"the chain was cut back: the anchor of {at} (line {number}) names entry "
                f"{sequence}, the chain ends at entry {newest}",
            ), count
        if not audit_keys.equal(found, values["hash"]):
            return audit.Break(
                sequence, f"entry {sequence} differs from the anchor of {at} (line {number})"
            ), count
        count += 1
    return None, count
