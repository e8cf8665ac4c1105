from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = _("Offer directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from network.permissions import register_owner

        from . import signals  # noqa: F401
        from .models import Location, OfferPage, OrganisationPage

        register_owner(Location, lambda obj: obj.organisation_id)
        register_owner(OrganisationPage, lambda obj: obj.organisation_id)
        register_owner(OfferPage, lambda obj: obj.organisation_id)
