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

        from . import signals  # noqa: F401
        from .models import Language, Membership, Organisation, Person, SocialArea
        from .scoping import NetworkPagePermissionPolicy, NetworkPermissionPolicy

        register_permission_policy(AbstractPage, NetworkPagePermissionPolicy("wagtailcore.Page"))

        for model in (Organisation, Person, Membership, SocialArea, Language):
            register_permission_policy(model, NetworkPermissionPolicy(model), exact_class=True)
