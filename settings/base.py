"""Settings shared by every environment; deployment specifics come from the environment."""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name):
    try:
        return os.environ[name]
    except KeyError:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.") from None


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Lotse, in dependency order: handover -> directory -> network, search -> directory.
    "lotse.network",
    "lotse.directory",
    "lotse.search",
    "lotse.handover",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "guardian",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    # Sign-in: lockout after failed passwords, second factor (TOTP apps, recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp, Lotse's policy), Permissions-Policy, and no-store for
    # the admin and whatever answers a signed-in user or API client (network/headers.py).
    "lotse.network.headers.ContentSecurityPolicyMiddleware",
    "lotse.network.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # 400 for control characters in paths, query strings and forms (after Locale: its language).
    "lotse.network.inputs.InputsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session lifetime; then the second factor (network/two_factor.py).
    "lotse.network.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotse.network.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Scoped versions of Wagtail's page chooser and site history (network/overrides.py).
    "lotse.network.overrides.ScopedAdminViewsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "settings" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once: WAL lets readers go on while one writes; IMMEDIATE takes the
    # write lock at BEGIN (a deferred transaction that upgrades later fails at once with
    # "database is locked"); and a writer waits up to `timeout` seconds for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account or address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user row is not needed: anonymous visitors never hold object permissions.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("LOTSE_PASSWORD_MIN_LENGTH", "12"))},
    },
    # Django's list plus German words, names and places, also with digits added ("Sommer2026").
    {"NAME": "lotse.network.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "settings" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lotse@localhost")

# Background work: django-tasks; the database backend needs only `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Lotse – Landkreis Lahnfeld")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAIL_I18N_ENABLED = False

# No REST_FRAMEWORK or SPECTACULAR_SETTINGS: Lotse's API views set their authentication,
# parsers and schema themselves (network/api.py), and its schema view its own settings
# (lotse/openapi.py), as in a host site that configures DRF for its own purposes.

# Lotse
# The German state whose public holidays close offices ("HE" = Hessen).
LOTSE_HOLIDAY_STATE = os.environ.get("LOTSE_HOLIDAY_STATE", "HE")
# Unset: the database search backend. Set: Elasticsearch/OpenSearch at this URL.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_COMPAT = os.environ.get("ELASTICSEARCH_COMPAT", "")
# The Elasticsearch alias searched and written; it points at timestamped concrete indices.
LOTSE_SEARCH_INDEX = os.environ.get("LOTSE_SEARCH_INDEX", "lotse-offers")
# Seconds a search waits for Elasticsearch before the database answers, and for index writes.
LOTSE_SEARCH_TIMEOUT = float(os.environ.get("LOTSE_SEARCH_TIMEOUT", "0.5"))
LOTSE_SEARCH_INDEX_TIMEOUT = float(os.environ.get("LOTSE_SEARCH_INDEX_TIMEOUT", "10"))
# Circuit breaker: after this many failures in a row, searches skip Elasticsearch this long (s).
LOTSE_SEARCH_BREAKER_FAILURES = int(os.environ.get("LOTSE_SEARCH_BREAKER_FAILURES", "3"))
LOTSE_SEARCH_BREAKER_SECONDS = float(os.environ.get("LOTSE_SEARCH_BREAKER_SECONDS", "30"))
# The breaker's state lives in this cache, which every web worker process must share: a
# directory on this machine by default; point CACHES["search"] at Redis for several machines.
LOTSE_SEARCH_CACHE = "search"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "search": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("LOTSE_SEARCH_CACHE_DIR", str(BASE_DIR / "var" / "search")),
    },
}
# Rate limits (network/ratelimit.py) are counted where every worker process counts along: the
# database (a table the network app's migration creates; counting is atomic there) or, when
# LOTSE_CACHE_URL or REDIS_URL is set, Redis (`pip install redis`).
LOTSE_RATELIMIT_CACHE = "lotse_ratelimit"
_shared_cache_url = os.environ.get("LOTSE_CACHE_URL") or os.environ.get("REDIS_URL")
CACHES[LOTSE_RATELIMIT_CACHE] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _shared_cache_url,
        "KEY_PREFIX": "lotse",
    }
    if _shared_cache_url
    else {
        "BACKEND": "lotse.network.cache.DatabaseCache",
        "LOCATION": "lotse_ratelimit_cache",
        # Expired counters are removed once there are this many rows.
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
)
# Requests per client and window ("120/m"; empty: no limit), and proxies whose X-Forwarded-For
# names the client (comma-separated addresses or networks; none by default).
for _name in (
    "LOTSE_RATELIMIT_SEARCH",
    "LOTSE_RATELIMIT_SUGGEST",
    "LOTSE_RATELIMIT_HSDS",
    "LOTSE_RATELIMIT_INVITATION",
    "LOTSE_RATELIMIT_HANDOVER_API",
    "LOTSE_RATELIMIT_PARTNER",
):
    if _name in os.environ:
        globals()[_name] = os.environ[_name]
LOTSE_RATELIMIT_ENABLED = env_bool("LOTSE_RATELIMIT_ENABLED", True)
LOTSE_TRUSTED_PROXIES = env_list("LOTSE_TRUSTED_PROXIES")
# Browsers report Content-Security-Policy violations to this URL (none by default).
LOTSE_CSP_REPORT_URI = os.environ.get("LOTSE_CSP_REPORT_URI", "")
# Wagtail's admin would load avatars from gravatar.com: a third party, and blocked by the CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Sign-in (network/two_factor.py, network/sessions.py): failed passwords per account and per
# address before a pause of LOTSE_LOGIN_COOLOFF_MINUTES, counted in the database (django-axes),
# so every worker process sees the same count.
LOTSE_LOGIN_FAILURE_LIMIT = int(os.environ.get("LOTSE_LOGIN_FAILURE_LIMIT", "10"))
LOTSE_LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOTSE_LOGIN_COOLOFF_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOTSE_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOTSE_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "lotse.network.auth_views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not recorded with address and browser
AXES_VERBOSE = False  # no banner on every start of manage.py
# Behind a TLS proxy (settings/production.py) the client's address comes from X-Forwarded-For.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Sessions: keys stored only as digests; signed out after this many idle minutes, and this many
# hours after signing in however active (also the cookie's lifetime).
SESSION_ENGINE = "lotse.network.sessions"
LOTSE_SESSION_IDLE_MINUTES = int(os.environ.get("LOTSE_SESSION_IDLE_MINUTES", "30"))
LOTSE_SESSION_MAX_HOURS = int(os.environ.get("LOTSE_SESSION_MAX_HOURS", "10"))
SESSION_COOKIE_AGE = LOTSE_SESSION_MAX_HOURS * 60 * 60
OTP_TOTP_ISSUER = os.environ.get("WAGTAIL_SITE_NAME", "Lotse – Landkreis Lahnfeld")
# Days an e-mailed invitation link to the partner network stays valid.
LOTSE_INVITATION_DAYS = int(os.environ.get("LOTSE_INVITATION_DAYS", "7"))
# Days after which an offer nobody confirmed as current counts as stale (about six months).
LOTSE_STALE_AFTER_DAYS = int(os.environ.get("LOTSE_STALE_AFTER_DAYS", "183"))
# Handovers: Fernet keys for the content, newest first (required in production; with DEBUG on
# and none set, a key derived from SECRET_KEY is used). Deadlines count working days.
LOTSE_HANDOVER_KEYS = env_list("LOTSE_HANDOVER_KEYS")
LOTSE_HANDOVER_DEADLINE_DAYS = int(os.environ.get("LOTSE_HANDOVER_DEADLINE_DAYS", "3"))
LOTSE_HANDOVER_URGENT_DEADLINE_DAYS = int(
    os.environ.get("LOTSE_HANDOVER_URGENT_DEADLINE_DAYS", "1")
)
LOTSE_HANDOVER_ESCALATION_DAYS = int(os.environ.get("LOTSE_HANDOVER_ESCALATION_DAYS", "1"))
LOTSE_HANDOVER_EXPIRY_DAYS = int(os.environ.get("LOTSE_HANDOVER_EXPIRY_DAYS", "1"))
LOTSE_HANDOVER_RETENTION_DAYS = int(os.environ.get("LOTSE_HANDOVER_RETENTION_DAYS", "90"))
# Audit chain: HMAC keys, newest first, kept outside the database (required in production; with
# DEBUG on and none set, a key derived from SECRET_KEY is used). Old keys stay at the end.
LOTSE_AUDIT_KEYS = env_list("LOTSE_AUDIT_KEYS")
# The data-protection officer's address for `anchor_audit_chain --email`.
LOTSE_DATA_PROTECTION_EMAIL = os.environ.get("LOTSE_DATA_PROTECTION_EMAIL", "")
# /api/v1/health/: when the task worker and the outbox count as behind.
LOTSE_HEALTH_WORKER_STALE_SECONDS = int(os.environ.get("LOTSE_HEALTH_WORKER_STALE_SECONDS", "300"))
LOTSE_HEALTH_OUTBOX_MINUTES = int(os.environ.get("LOTSE_HEALTH_OUTBOX_MINUTES", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes reports every successful sign-in at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
