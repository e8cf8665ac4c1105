"""Lotse's system checks name what a host site forgot (lotse.E001–E004)."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, include, path

from network import checks


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
