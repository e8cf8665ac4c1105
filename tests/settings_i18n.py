"""Test settings of a host site that runs Wagtail's own i18n (tests/directory/i18n_cases.py).

Wagtail reads `INSTALLED_APPS` and its admin URL hooks once at start-up, so
`override_settings` cannot switch simple_translation on: these cases run in a pytest
subprocess with this module (tests/directory/test_translation.py).
"""

from settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.locales", "wagtail.contrib.simple_translation"]  # noqa: F405
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("de", "Deutsch"), ("en", "English")]

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # A database of its own: the calling test run holds "test_<name>" open.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_i18n"}  # noqa: F405
