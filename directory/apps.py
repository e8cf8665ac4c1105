from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_registered = False


def register_policies():
    """The directory's snippet policies, early enough wherever the app is listed (see
    `network.apps.register_policies`)."""
    global _registered
    if _registered:
        return
    _registered = True
    from wagtail.permissions import register_permission_policy

    from network.apps import register_policies as register_network_policies
    from network.scoping import NetworkPermissionPolicy

    from .models import Location, TargetGroup, Topic

    register_network_policies()
    for model in (Location, Topic, TargetGroup):
        register_permission_policy(model, NetworkPermissionPolicy(model), exact_class=True)


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = _("Offer directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):

        from network.permissions import (
            register_governed_trees,
            register_owner,
            register_page_roots,
        )
        from network.rights import register_guarded, register_pages, register_rebuild

        from . import services, signals  # noqa: F401
        from .models import (
            DirectoryIndexPage,
            Location,
            OfferPage,
            OrganisationPage,
        )

        register_policies()
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
