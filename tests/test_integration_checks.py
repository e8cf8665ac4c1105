"""Lotse's system checks name what a host site forgot (lotse.E001–E004)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, include, path

from lotse.network import checks


def ids(messages):
    return [message.id for message in messages]


def test_the_demo_site_passes_every_check():
    assert checks.installed_apps() + checks.middleware() + checks.authentication_backends() == []
    assert checks.urls() == []


def test_a_missing_app_is_named(monkeypatch):
    # Changing INSTALLED_APPS would reload the app registry; ask for an app that is not there.
    monkeypatch.setattr(checks, "REQUIRED_APPS", (*checks.REQUIRED_APPS, "django_tasks_redis"))
    messages = checks.installed_apps()
    assert ids(messages) == ["lotse.E001"]
    assert "'django_tasks_redis'" in messages[0].msg


def test_a_missing_middleware_is_named(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "two_factor" not in m]
    messages = checks.middleware()
    assert ids(messages) == ["lotse.E002"]
    assert "SecondFactorMiddleware" in messages[0].msg


def test_the_lockout_backend_must_come_first(settings):
    backends = list(settings.AUTHENTICATION_BACKENDS)
    settings.AUTHENTICATION_BACKENDS = [*backends[1:], backends[0]]
    assert ids(checks.authentication_backends()) == ["lotse.E003"]
    settings.AUTHENTICATION_BACKENDS = backends[1:]
    assert ids(checks.authentication_backends()) == ["lotse.E003"]


class WagtailFirst:
    from wagtail import urls as wagtail_urls

    urlpatterns = [path("", include(wagtail_urls)), path("", include("lotse.urls"))]


class WithoutLotse:
    urlpatterns = [path("admin/", include("wagtail.admin.urls"))]


@pytest.mark.parametrize(
    ("urlconf", "words"),
    [(WagtailFirst, "after Wagtail's page-serving"), (WithoutLotse, "not included")],
)
def test_a_missing_or_late_url_include_is_named(urlconf, words):
    clear_url_caches()
    try:
        with override_settings(ROOT_URLCONF=urlconf):
            messages = checks.urls()
    finally:
        clear_url_caches()
    assert ids(messages) == ["lotse.E004"]
    assert words in messages[0].msg


def test_lotse_apps_may_come_after_wagtails(tmp_path):
    """Wagtail loads every app's hooks before late apps are ready: the policies still hold."""
    (tmp_path / "lotse_last.py").write_text(
        "from settings.test import *  # noqa\n"
        "NAMES = {'network', 'directory', 'search', 'handover'}\n"
        "LOTSE = [a for a in INSTALLED_APPS if a.rsplit('.', 1)[-1] in NAMES]\n"
        "INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in LOTSE] + LOTSE\n"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": f"{tmp_path}:{root}",
            "DJANGO_SETTINGS_MODULE": "lotse_last",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-2:] == [
        "NetworkPermissionPolicy",
        "NetworkPagePermissionPolicy",
    ]


PROBE = """
import django
django.setup()
from django.core.management import call_command
from wagtail.models import Page
from wagtail.permissions import policy_registry
from lotse.network.models import Person
call_command("check", verbosity=0)
print(type(policy_registry.get_by_type(Person)).__name__)
print(type(policy_registry.get_by_type(Page)).__name__)
"""
