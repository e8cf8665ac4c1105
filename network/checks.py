"""System checks for Lotse inside a host site (`manage.py check`): what is missing, in one line.

| id | level | when |
| --- | --- | --- |
| lotse.E001 | error | an app Lotse needs is not in INSTALLED_APPS |
| lotse.E002 | error | a middleware Lotse needs is not in MIDDLEWARE |
| lotse.E003 | error | AUTHENTICATION_BACKENDS lacks django-axes' or django-guardian's backend |
| lotse.E004 | error | lotse.urls is not included, or only after Wagtail's page-serving catch-all |
"""

from django.conf import settings
from django.core import checks
from django.urls import Resolver404, resolve

#: Apps Lotse's four apps rely on (besides Wagtail's standard set).
REQUIRED_APPS = (
    "wagtail.contrib.settings",
    "wagtail.snippets",
    "wagtail.users",
    "modelcluster",
    "taggit",
    "django_filters",
    "guardian",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
)
REQUIRED_MIDDLEWARE = (
    "lotse.network.headers.ContentSecurityPolicyMiddleware",
    "lotse.network.headers.SecurityHeadersMiddleware",
    "lotse.network.inputs.InputsMiddleware",
    "lotse.network.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotse.network.two_factor.SecondFactorMiddleware",
    "lotse.network.overrides.ScopedAdminViewsMiddleware",
    "axes.middleware.AxesMiddleware",
)
REQUIRED_BACKENDS = (
    "axes.backends.AxesStandaloneBackend",
    "guardian.backends.ObjectPermissionBackend",
)
HINT = "See the README, section “Add Lotse to an existing Wagtail site”."


@checks.register()
def installed_apps(app_configs=None, **kwargs):
    from django.apps import apps

    return [
        checks.Error(f"Lotse needs {name!r} in INSTALLED_APPS.", hint=HINT, id="lotse.E001")
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


@checks.register()
def middleware(app_configs=None, **kwargs):
    present = set(settings.MIDDLEWARE)
    return [
        checks.Error(f"Lotse needs {name!r} in MIDDLEWARE.", hint=HINT, id="lotse.E002")
        for name in REQUIRED_MIDDLEWARE
        if name not in present
    ]


@checks.register()
def authentication_backends(app_configs=None, **kwargs):
    present = list(settings.AUTHENTICATION_BACKENDS)
    errors = [
        checks.Error(
            f"Lotse needs {name!r} in AUTHENTICATION_BACKENDS.", hint=HINT, id="lotse.E003"
        )
        for name in REQUIRED_BACKENDS
        if name not in present
    ]
    axes = REQUIRED_BACKENDS[0]
    if axes in present and present.index(axes) != 0:
        errors.append(
            checks.Error(
                f"{axes!r} must come first in AUTHENTICATION_BACKENDS, or locked-out sign-ins "
                "get through the backends before it.",
                id="lotse.E003",
            )
        )
    return errors


@checks.register(checks.Tags.urls)
def urls(app_configs=None, **kwargs):
    try:
        match = resolve("/api/hsds/")
    except Resolver404:
        match = None
    if match is not None and match.func.__module__.split(".")[-2:] == ["hsds", "api"]:
        return []
    view = getattr(match, "func", None)
    if view is not None and getattr(view, "__module__", "").startswith("wagtail"):
        message = "lotse.urls is included after Wagtail's page-serving URLs, which answer first."
    else:
        message = "lotse.urls is not included in the site's URLs."
    return [
        checks.Error(
            message,
            hint='Add path("", include("lotse.urls")) before path("", include(wagtail_urls)).',
            id="lotse.E004",
        )
    ]
