from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = _("Offer directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from network.permissions import (
            register_governed_trees,
            register_owner,
            register_page_roots,
        )
        from network.rights import register_guarded, register_pages, register_rebuild
        from network.scoping import NetworkPermissionPolicy

        from . import services, signals  # noqa: F401
        from .models import (
            DirectoryIndexPage,
            Location,
            OfferPage,
            OrganisationPage,
            TargetGroup,
            Topic,
        )

        for model in (Location, Topic, TargetGroup):
            register_permission_policy(model, NetworkPermissionPolicy(model), exact_class=True)
        register_owner(Location, lambda obj: obj.organisation_id, "organisation_id")
        register_owner(OrganisationPage, lambda obj: obj.organisation_id, "organisation_id")
        register_owner(OfferPage, lambda obj: obj.organisation_id, "organisation_id")
        register_guarded(Location)
        register_pages(
            lambda organisation: list(OrganisationPage.objects.filter(organisation=organisation)),
            lambda: list(DirectoryIndexPage.objects.all()),
        )
        register_rebuild(services.review_workflow)
        register_page_roots(
            lambda: list(OrganisationPage.objects.values_list("path", "organisation_id"))
        )
        register_governed_trees(
            lambda: list(DirectoryIndexPage.objects.values_list("path", flat=True))
        )
