"""Keep offers' owners, editing rights, review workflow and confirmations in step with the tree."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.signals import page_published, post_page_move

from lotse.network import rights

from . import services
from .models import DirectoryIndexPage, Location, OfferPage, OrganisationPage

#: Sent by `load_demo` when the demo county is in place (e.g. the search app indexes it then).
#: Arguments: `stdout`, the command's output stream.
demo_loaded = Signal()


@receiver(post_page_move, sender=OfferPage)
def reassign_moved_offer(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """An offer moved to another partner's page now belongs to that partner."""
    if parent_page_before.pk == parent_page_after.pk:
        return
    organisation_id = (
        OrganisationPage.objects.filter(pk=parent_page_after.pk)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation_id is not None:
        OfferPage.objects.filter(pk=instance.pk).update(organisation_id=organisation_id)


@receiver(post_save, sender=OrganisationPage)
def organisation_page_saved(sender, instance, raw=False, **kwargs):
    """The partner's editors get page permissions on their page and everything below it."""
    if not raw:
        rights.sync_page(instance, instance.organisation)


@receiver(post_save, sender=DirectoryIndexPage)
def directory_saved(sender, instance, created, raw=False, **kwargs):
    """Coordinators edit the whole directory, and partner edits in it need their approval."""
    if created and not raw:
        rights.sync_coordination_pages()
        services.review_workflow()


@receiver(post_save, sender=Location)
def location_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        rights.sync_object(instance)


@receiver(post_delete, sender=Location)
def location_deleted(sender, instance, **kwargs):
    rights.forget_object(instance)


@receiver(page_published, sender=OfferPage)
def offer_published(sender, instance, revision=None, **kwargs):
    """Whoever publishes an offer has looked at it: publishing confirms it current."""
    services.record_confirmation(instance, getattr(revision, "user", None))
