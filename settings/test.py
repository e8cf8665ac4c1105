"""Test settings: tasks run at once, e-mail goes to Django's in-memory outbox."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "lotse-test-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The search circuit breaker's state stays inside this test process.
CACHES = {**CACHES, "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# Fixed, public test keys for handover content (never use them anywhere else).
LOTSE_HANDOVER_KEYS = [
    "3q2-7zN0xYfYg1rQn7hW8lGQm2bq0Pj3c5p0s0eVw5o=",
    "kTjzm0Qh6fH3w6o4sXxS1oQ9m3JZ7t2Q2y9n0q8bH1E=",
]
# Fixed, public test keys for the audit chain's MACs.
LOTSE_AUDIT_KEYS = ["lotse-test-audit-key-not-secret-2026-aaaaaaaaaa"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# A county's own base template for the LOTSE_BASE_TEMPLATE tests (tests/templates/county/).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
