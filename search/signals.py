"""Queue an index update whenever something an offer's search document shows changes.

Each handler works out which offer pages are affected and queues `tasks.sync_offers` for them
once the surrounding transaction has committed, so the task (possibly in another process)
reads what was saved. The task looks at each offer's current state: live offers are indexed,
everything else is removed, so a queued id is never wrong, only sometimes unnecessary.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from lotse.directory.models import Location, OfferPage, OrganisationPage, TargetGroup, Topic
from lotse.network.models import Language, Organisation, SocialArea

logger = logging.getLogger(__name__)


def queue(page_ids):
    """Sync these offers after the current transaction commits (at once outside one)."""
    page_ids = sorted({int(pk) for pk in page_ids})
    if not page_ids:
        return

    def enqueue():
        from .tasks import sync_offers

        try:
            sync_offers.enqueue(page_ids)
        except Exception:
            # Never break an editor's save; the next reindex or replay catches up.
            logger.exception("Could not queue a search index update for %d offers", len(page_ids))

    transaction.on_commit(enqueue)


def offers_below(page):
    """Offer pages at or below `page` in the tree (a moved or unpublished subtree)."""
    return OfferPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True)


def live_offers(condition):
    return OfferPage.objects.filter(condition, live=True).values_list("pk", flat=True).distinct()


def with_descendants(term):
    """The term and every narrower term: documents may list a term's broader terms too."""
    model = type(term)
    found, frontier = {term.pk}, [term.pk]
    while frontier:
        frontier = [
            pk
            for pk in model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            if pk not in found
        ]
        found.update(frontier)
    return found


def affected_by(instance):
    """Live offers whose document shows something of this snippet."""
    if isinstance(instance, Location):
        return live_offers(
            Q(offer_locations__location=instance) | Q(opening_hours__location=instance)
        )
    if isinstance(instance, Organisation):
        return live_offers(Q(organisation=instance))
    if isinstance(instance, Topic):
        return live_offers(Q(topics__in=with_descendants(instance)))
    if isinstance(instance, TargetGroup):
        return live_offers(Q(target_groups__in=with_descendants(instance)))
    if isinstance(instance, Language):
        return live_offers(Q(languages=instance))
    if isinstance(instance, SocialArea):
        areas = with_descendants(instance)
        return live_offers(
            Q(service_areas__in=areas) | Q(offer_locations__location__social_area__in=areas)
        )
    return []


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    if isinstance(instance, OfferPage):
        queue([instance.pk])
    elif isinstance(instance, OrganisationPage):
        # The organisation's page title and URL appear in its offers' results.
        queue(offers_below(instance))


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    if isinstance(instance, OfferPage | OrganisationPage):
        queue(offers_below(instance))


@receiver(post_page_move)
def page_was_moved(sender, instance, **kwargs):
    """A move changes URLs (and maybe the owner) of the page and everything below it."""
    if isinstance(instance, Page):
        queue(offers_below(instance))


@receiver(post_delete, sender=OfferPage)
def offer_was_deleted(sender, instance, **kwargs):
    queue([instance.pk])


SNIPPETS = (Location, Organisation, Topic, TargetGroup, Language, SocialArea)


def snippet_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        queue(affected_by(instance))


def snippet_deleting(sender, instance, **kwargs):
    """Before the rows linking offers to it are gone: remember whom to update."""
    queue(list(affected_by(instance)))


for _model in SNIPPETS:
    post_save.connect(snippet_saved, sender=_model, dispatch_uid=f"search-saved-{_model.__name__}")
    pre_delete.connect(
        snippet_deleting, sender=_model, dispatch_uid=f"search-deleting-{_model.__name__}"
    )
