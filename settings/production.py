"""Production: every secret and host from the environment; HTTPS only."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS must name the site's hosts.")

# No silent SQLite: a site that forgot DATABASE_URL would start on an empty file next to the
# code. A single-machine site may choose SQLite explicitly (DATABASE_URL=sqlite:///… or this).
if "DATABASE_URL" not in os.environ and not env_bool("LOTSE_ALLOW_SQLITE", False):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The environment variable DATABASE_URL must be set (or LOTSE_ALLOW_SQLITE=1 to use "
        "the SQLite file db.sqlite3)."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Sign-in lockout per address: the address the (trusted) proxy appended, not one the client
    # wrote into X-Forwarded-For itself. TLS_PROXY_COUNT: proxies in front of the app.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TLS_PROXY_COUNT", "1"))

# Handover content is encrypted with these keys (newest first); they live outside the database.
LOTSE_HANDOVER_KEYS = env_list("LOTSE_HANDOVER_KEYS")
if not LOTSE_HANDOVER_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable LOTSE_HANDOVER_KEYS must be set.")
# The audit chain is authenticated with these keys (newest first), also kept outside the database.
LOTSE_AUDIT_KEYS = env_list("LOTSE_AUDIT_KEYS")
if not LOTSE_AUDIT_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable LOTSE_AUDIT_KEYS must be set.")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}
