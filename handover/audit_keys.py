"""The keys that authenticate the audit chain: HMAC-SHA256, keys from outside the database.

`LOTSE_AUDIT_KEYS` lists secret strings (at least 32 characters each), newest first, like
`LOTSE_HANDOVER_KEYS`. New entries are made with the newest key and record its id (a short
fingerprint, never the key); every listed key still verifies. Entries are append-only, so a key
that made entries is never re-applied: after a rotation the old key stays at the end of the
list, for verification only. Someone who can write the database but does not hold a key can
neither forge an entry nor recompute the chain after changing one.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lotse.conf import lotse_settings

#: Shorter keys are refused by the system check `lotse.E012`.
MIN_KEY_LENGTH = 32


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes
    position: int  # 0 = newest

    def __repr__(self):  # never the secret, not even in a traceback
        return f"AuditKey({self.id!r}, position={self.position})"

    def mac(self, payload):
        return hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()


def key_id(secret):
    """A fingerprint that names a key in entries and anchors; reveals nothing of it."""
    return hashlib.sha256(b"lotse-audit-key-id:" + secret).hexdigest()[:12]


def _development_key():
    """Only with DEBUG on: a key derived from SECRET_KEY, so the demo runs without set-up."""
    return hashlib.sha256(f"lotse-audit:{settings.SECRET_KEY}".encode()).hexdigest()


def configured():
    """The configured key strings, newest first (empty when none are set)."""
    return [value for value in (lotse_settings.LOTSE_AUDIT_KEYS or []) if value]


def keys():
    values = configured()
    if not values and settings.DEBUG:
        values = [_development_key()]
    if not values:
        raise ImproperlyConfigured(
            "Set LOTSE_AUDIT_KEYS to one or more secret keys (newest first) to write the "
            "handover audit trail."
        )
    result = []
    for position, value in enumerate(values):
        secret = value.encode()
        result.append(AuditKey(key_id(secret), secret, position))
    return result


def newest():
    return keys()[0]


def by_id():
    return {key.id: key for key in keys()}


def equal(a, b):
    return hmac.compare_digest(a, b)
