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
    # Host groups whose members hold a county-wide Lotse role in the directory, e.g.
    # {"Moderators": "coordinator"}; "coordinator" or "adviser" (network/permissions.py).
    "LOTSE_GROUP_ROLES": {},
    # Days an e-mailed invitation link stays valid.
    "LOTSE_INVITATION_DAYS": 7,
    # The template Lotse's public pages extend: a county's own base template, offering the
    # blocks title, extra_head, body_class, breadcrumbs and content (see the README).
    "LOTSE_BASE_TEMPLATE": "lotse_directory/base.html",
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
    # Sign-in: failed passwords per account and per address before a pause (django-axes reads
    # AXES_FAILURE_LIMIT/AXES_COOLOFF_TIME; set those from these), and the pause in minutes.
    "LOTSE_LOGIN_FAILURE_LIMIT": 10,
    "LOTSE_LOGIN_COOLOFF_MINUTES": 15,
    # Sessions end after this many minutes without a request, and this many hours after sign-in.
    "LOTSE_SESSION_IDLE_MINUTES": 30,
    "LOTSE_SESSION_MAX_HOURS": 10,
    # Inputs (network/inputs.py): JSON nesting depth of API bodies and imports.
    "LOTSE_JSON_MAX_DEPTH": 64,
    # Characters of a long text field (descriptions etc.) through any route.
    "LOTSE_MAX_TEXT_CHARS": 20_000,
    # Opening hours of one offer, and of one of its places (form, partner API, import).
    "LOTSE_MAX_OPENING_HOURS_PER_OFFER": 50,
    "LOTSE_MAX_OPENING_HOURS_PER_PLACE": 20,
    # import_hsds: bytes of one file, bytes of one record (an organisation with its services),
    # characters of one text value (above LOTSE_MAX_TEXT_CHARS: HSDS joins summary and text).
    "LOTSE_IMPORT_MAX_FILE_BYTES": 100 * 1024 * 1024,
    "LOTSE_IMPORT_MAX_RECORD_BYTES": 5 * 1024 * 1024,
    "LOTSE_IMPORT_MAX_TEXT_CHARS": 25_000,
    # Rate limits (network/ratelimit.py): requests per client (user, or else address) and
    # window, "N/s|m|h|d"; empty = no limit. The search page and the search API count together.
    "LOTSE_RATELIMIT_ENABLED": True,
    "LOTSE_RATELIMIT_SEARCH": "120/m",
    "LOTSE_RATELIMIT_SUGGEST": "300/m",
    "LOTSE_RATELIMIT_HSDS": "300/m",
    "LOTSE_RATELIMIT_INVITATION": "30/h",
    "LOTSE_RATELIMIT_HANDOVER_API": "300/m",
    "LOTSE_RATELIMIT_PARTNER": "1000/h",
    # The cache the counters live in; every worker process must share it (lotse.ratelimit.W001).
    "LOTSE_RATELIMIT_CACHE": "lotse_ratelimit",
    # Proxies (addresses or networks) whose X-Forwarded-For names the client; none by default.
    "LOTSE_TRUSTED_PROXIES": [],
    # Where browsers report Content-Security-Policy violations (report-uri/report-to); none.
    "LOTSE_CSP_REPORT_URI": "",
    # The Permissions-Policy header: the location for "near me", nothing else.
    "LOTSE_PERMISSIONS_POLICY": (
        "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), "
        "midi=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), "
        "publickey-credentials-get=(), xr-spatial-tracking=()"
    ),
}


class LotseSettings:
    """Attribute access to Lotse's settings with their defaults."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"{name} is not a Lotse setting")
        return getattr(settings, name, DEFAULTS[name])


lotse_settings = LotseSettings()


def template_context():
    """What every public Lotse template needs in its context (`lotse_directory/page.html`)."""
    return {"lotse_base_template": lotse_settings.LOTSE_BASE_TEMPLATE}
