from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    label = "network"
    verbose_name = _("Partner network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy

        from . import checks, health, ratelimit, sessions, signals, tasks  # noqa: F401 (receivers, checks)
        from .models import Language, Membership, Organisation, Person, SocialArea
        from .scoping import (
            NetworkPagePermissionPolicy,
            NetworkPermissionPolicy,
            install_page_permission_tester,
        )

        register_permission_policy(AbstractPage, NetworkPagePermissionPolicy("wagtailcore.Page"))
        install_page_permission_tester()
        health.register("worker", tasks.worker_health)

        for model in (Organisation, Person, Membership, SocialArea, Language):
            register_permission_policy(model, NetworkPermissionPolicy(model), exact_class=True)
