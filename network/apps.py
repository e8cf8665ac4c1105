from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_registered = False


def register_policies():
    """Lotse's permission policies, before anything asks Wagtail for one.

    Called from `ready()` and at the top of `wagtail_hooks.py`: when Lotse's apps come after
    Wagtail's in INSTALLED_APPS, Wagtail loads every app's hooks (and so registers the
    snippets, creating fallback policies) before Lotse's `ready()` runs.
    """
    global _registered
    if _registered:
        return
    _registered = True
    from wagtail.models import AbstractPage
    from wagtail.permissions import register_permission_policy

    from .models import Language, Membership, Organisation, Person, SocialArea
    from .scoping import (
        NetworkPagePermissionPolicy,
        install_page_permission_tester,
    )

    register_permission_policy(AbstractPage, NetworkPagePermissionPolicy("wagtailcore.Page"))
    install_page_permission_tester()
    register_scoped_policies(Organisation, Person, Membership, SocialArea, Language)


def register_scoped_policies(*models):
    """`NetworkPermissionPolicy` for organisation-owned or shared models of any Lotse app."""
    from wagtail.permissions import register_permission_policy

    from .scoping import NetworkPermissionPolicy

    register_policies()
    for model in models:
        register_permission_policy(model, NetworkPermissionPolicy(model), exact_class=True)


class NetworkConfig(AppConfig):
    name = "lotse.network"
    label = "lotse_network"
    verbose_name = _("Partner network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, health, ratelimit, sessions, signals, tasks  # noqa: F401 (receivers, checks)

        register_policies()
        health.register("worker", tasks.worker_health)
