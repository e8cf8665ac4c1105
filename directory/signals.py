"""Keep the denormalised owner of offer pages in step with the page tree."""

from django.dispatch import receiver
from wagtail.signals import post_page_move

from .models import OfferPage, OrganisationPage


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
