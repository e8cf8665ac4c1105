"""Every Lotse setting with its default, read in one place.

A host site sets only what it wants to change; code reads `lotse_settings.NAME`, which answers
the project's setting if there is one and the default below otherwise. Deployment values come
from the environment in the project's own settings (see `settings/production.py`).
"""

from django.conf import settings

#: name → default. Keep the README's settings table in step with this.
DEFAULTS = {
    # The German state whose public holidays close offices ("HE" = Hessen).
    "LOTSE_HOLIDAY_STATE": "HE",
    # Days an e-mailed invitation link stays valid.
    "LOTSE_INVITATION_DAYS": 7,
    # Days after which an offer nobody confirmed as current counts as stale.
    "LOTSE_STALE_AFTER_DAYS": 183,
    # Handovers: Fernet keys, newest first (required with DEBUG off).
    "LOTSE_HANDOVER_KEYS": [],
    "LOTSE_HANDOVER_DEADLINE_DAYS": 3,
    "LOTSE_HANDOVER_URGENT_DEADLINE_DAYS": 1,
    "LOTSE_HANDOVER_ESCALATION_DAYS": 1,
    "LOTSE_HANDOVER_EXPIRY_DAYS": 1,
    "LOTSE_HANDOVER_RETENTION_DAYS": 90,
    # Audit chain: HMAC keys (at least 32 characters), newest first (required with DEBUG off).
    "LOTSE_AUDIT_KEYS": [],
    # Where `anchor_audit_chain --email` sends the daily anchor (the data-protection officer).
    "LOTSE_DATA_PROTECTION_EMAIL": "",
    # Search: unset URL = the database backend.
    "ELASTICSEARCH_URL": "",
    "ELASTICSEARCH_COMPAT": "",
    "LOTSE_SEARCH_INDEX": "lotse-offers",
    "LOTSE_SEARCH_TIMEOUT": 0.5,
    "LOTSE_SEARCH_INDEX_TIMEOUT": 10.0,
    "LOTSE_SEARCH_BREAKER_FAILURES": 3,
    "LOTSE_SEARCH_BREAKER_SECONDS": 30.0,
    "LOTSE_SEARCH_CACHE": "default",
    # Health: due tasks waiting longer than this (s) mean the task worker is down or behind.
    "LOTSE_HEALTH_WORKER_STALE_SECONDS": 300,
    # Health: unsent outbox e-mails older than this (minutes) make the outbox "degraded".
    "LOTSE_HEALTH_OUTBOX_MINUTES": 30,
}


class LotseSettings:
    """Attribute access to Lotse's settings with their defaults."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"{name} is not a Lotse setting")
        return getattr(settings, name, DEFAULTS[name])


lotse_settings = LotseSettings()
