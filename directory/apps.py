from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def register_policies():
    """The directory's snippet policies, early enough wherever the app is listed
    (see `lotse.network.apps.register_policies`)."""
    from lotse.network.apps import register_scoped_policies

    from .models import Location, TargetGroup, Topic

    register_scoped_policies(Location, Topic, TargetGroup)


class DirectoryConfig(AppConfig):
    name = "lotse.directory"
    label = "lotse_directory"
    verbose_name = _("Offer directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):

        from lotse.network.permissions import (
            register_governed_trees,
            register_owner,
            register_page_roots,
        )
        from lotse.network.rights import register_guarded, register_pages, register_rebuild

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
