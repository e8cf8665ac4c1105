"""What the HSDS API and export may show, loaded in a fixed number of queries.

Only published (live, publicly viewable) offers appear, and only what they use: their
organisations (and organisations with a published page), places, hours, contacts and terms.
"""

from django.db.models import Prefetch, Q

from lotse.network.models import Organisation

from ..models import OfferLocation, OfferPage, OpeningHours, OrganisationPage


def published_offers():
    """Live, public offers, each in the request's language where translated, else in German."""
    return OfferPage.objects.live().public().in_language()


def published_versions(hsds_id):
    """`published_offers` holding the offer whose version (in any language) has `hsds_id`."""
    versions = OfferPage.objects.live().public().filter(hsds_id=hsds_id)
    return published_offers().filter(translation_key__in=versions.values("translation_key"))


def with_relations(offers):
    """Offers with everything `mapping.service_full` reads (a constant number of queries)."""
    return offers.select_related(
        "organisation", "organisation__parent", "handover_contact"
    ).prefetch_related(
        "topics",
        "target_groups",
        "languages",
        "service_areas",
        Prefetch(
            "offer_locations",
            queryset=OfferLocation.objects.select_related("location").order_by("sort_order", "pk"),
        ),
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("sort_order", "pk")),
    )


def with_organisation(offers):
    """Offers with what `mapping.service` (the list fields) reads."""
    return offers.select_related("organisation", "organisation__parent")


def public_organisations():
    """Organisations with a published offer or a published page of their own."""
    offers = published_offers().values("organisation_id")
    pages = OrganisationPage.objects.live().public().values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=offers) | Q(pk__in=pages))


def with_published_offers(organisations, full=True):
    """Organisations with their published offers in `published_offers` (a list)."""
    offers = published_offers()
    offers = with_relations(offers) if full else with_organisation(offers)
    return organisations.select_related("parent").prefetch_related(
        Prefetch("offers", queryset=offers, to_attr="published_offers")
    )


def published_offer_locations():
    return OfferLocation.objects.filter(offer__in=published_offers())


def with_offer(rows, full=False):
    """Places of offers with their offer loaded (`row.offer`) for the mapping."""
    offers = published_offers()
    offers = with_relations(offers) if full else with_organisation(offers)
    return rows.select_related("location").prefetch_related(Prefetch("offer", queryset=offers))
