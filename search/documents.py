"""The search document of an offer: everything any backend needs, as plain JSON-able data.

`build_document(offer)` and `build_documents(offers)` read a live OfferPage with its
relations; `all_documents()` yields the documents of every live offer in batches. The keys
are a contract between the backends (database and Elasticsearch): add keys, never rename.

Keys:

* `page_id` (int), `hsds_id` (str UUID), `url` (path without language prefix), `title`,
  `summary`, `description` (plain text), `easy_language_summary`, `last_published_at` (ISO)
* `topics`, `target_groups`: [{"slug", "name"}] the offer's own terms;
  `topic_slugs`/`topic_names`, `target_group_slugs`/`target_group_names`: with all broader
  terms, for filters and facets
* `languages`: [{"code", "name"}]; `language_codes`: ISO codes
* `organisation`: {"id" (hsds_id), "name", "slug"}
* `areas`: [{"slug", "name", "kind"}] social areas of the offer's places and its service
  areas, with their broader areas (and the narrower areas of service areas);
  `area_slugs`; `towns`, `postcodes` of its places
* `locations`: [{"id", "name", "town", "postcode", "lat", "lon", "step_free"}];
  `points`: [{"lat", "lon"}] of the places with coordinates
* `is_free`, `step_free` (some place has step-free access), `attending`: ways of attending
  (OpeningHours kinds; "in_person" for an offer with places but no hours at all)
* `schedules`: opening hours as dicts of the OpeningHours fields (times "HH:MM", dates ISO),
  enough for `lotse.directory.opening_hours` to answer "open now" / "open on" at query time
  (see `schedule_objects`)
* analysed tokens from `lotse.search.analysis`, space-separated: `title_terms`, `summary_terms`,
  `body_terms` (description, plain-language summary, topics, target groups, organisation)
* `words`: {normalised word: surface form} of all searchable text, the typo vocabulary
* `suggest`: phrases for autocomplete (title, topic names)
"""

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from wagtail.rich_text import get_text_for_indexing

from lotse.directory.models import OfferLocation, OfferPage, OpeningHours, TargetGroup, Topic
from lotse.network.models import SocialArea

from . import analysis


def live_offers():
    """Live, public offer pages with everything a document reads, prefetched."""
    return (
        OfferPage.objects.live()
        .public()
        .select_related("organisation")
        .prefetch_related(
            "topics",
            "target_groups",
            "languages",
            "service_areas",
            Prefetch(
                "offer_locations",
                queryset=OfferLocation.objects.select_related("location").order_by("sort_order"),
            ),
            Prefetch(
                "opening_hours",
                queryset=OpeningHours.objects.order_by("sort_order", "pk"),
            ),
        )
        .order_by("pk")
    )


class Taxonomies:
    """Every topic, target group and social area in memory, for ancestors without queries."""

    def __init__(self):
        self.topics = {t.pk: t for t in Topic.objects.all()}
        self.target_groups = {t.pk: t for t in TargetGroup.objects.all()}
        self.areas = {a.pk: a for a in SocialArea.objects.all()}
        self.area_children = {}
        for area in self.areas.values():
            self.area_children.setdefault(area.parent_id, []).append(area.pk)

    @staticmethod
    def with_ancestors(pks, table):
        found = []
        for pk in pks:
            seen = set()
            while pk is not None and pk in table and pk not in seen:
                seen.add(pk)
                if pk not in found:
                    found.append(pk)
                pk = table[pk].parent_id
        return found

    def with_descendants(self, pks):
        found, frontier = list(pks), list(pks)
        while frontier:
            frontier = [
                child
                for pk in frontier
                for child in self.area_children.get(pk, [])
                if child not in found
            ]
            found.extend(frontier)
        return found


def _time(value):
    return value.strftime("%H:%M") if value else None


def _date(value):
    return value.isoformat() if value else None


def _schedule(hours):
    return {
        "kind": hours.kind,
        "location_id": hours.location_id,
        "weekdays": list(hours.weekdays or []),
        "opens_at": _time(hours.opens_at),
        "closes_at": _time(hours.closes_at),
        "frequency": hours.frequency,
        "interval": hours.interval,
        "week_of_month": hours.week_of_month,
        "valid_from": _date(hours.valid_from),
        "valid_to": _date(hours.valid_to),
    }


def schedule_objects(schedules):
    """Document schedules as objects `lotse.directory.opening_hours` can compute with."""
    objects = []
    for s in schedules:
        objects.append(
            SimpleNamespace(
                kind=s["kind"],
                location_id=s.get("location_id"),
                weekdays=s.get("weekdays") or [],
                opens_at=dt.time.fromisoformat(s["opens_at"]) if s.get("opens_at") else None,
                closes_at=dt.time.fromisoformat(s["closes_at"]) if s.get("closes_at") else None,
                frequency=s.get("frequency") or "weekly",
                interval=s.get("interval") or 1,
                week_of_month=s.get("week_of_month"),
                valid_from=dt.date.fromisoformat(s["valid_from"]) if s.get("valid_from") else None,
                valid_to=dt.date.fromisoformat(s["valid_to"]) if s.get("valid_to") else None,
                note="",
            )
        )
    return objects


def offer_path(offer):
    """The offer's path on its site in the default language (no /en/ prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = offer.get_url_parts()
    if parts is None:
        return offer.url_path
    _site_id, _root, path = parts
    return path


def _terms(names, table):
    return [{"slug": table[pk].slug, "name": table[pk].name} for pk in names if pk in table]


def build_document(offer, taxonomies=None, dictionary=None):
    """The search document of one offer (see the module docstring for the keys)."""
    taxonomies = taxonomies or Taxonomies()
    dictionary = dictionary or analysis.current_dictionary()

    topic_pks = [t.pk for t in offer.topics.all()]
    group_pks = [t.pk for t in offer.target_groups.all()]
    all_topics = taxonomies.with_ancestors(topic_pks, taxonomies.topics)
    all_groups = taxonomies.with_ancestors(group_pks, taxonomies.target_groups)

    places = [ol.location for ol in offer.offer_locations.all()]
    place_areas = taxonomies.with_ancestors(
        [p.social_area_id for p in places if p.social_area_id], taxonomies.areas
    )
    service_pks = [a.pk for a in offer.service_areas.all()]
    served = taxonomies.with_ancestors(taxonomies.with_descendants(service_pks), taxonomies.areas)
    area_pks = list(dict.fromkeys([*place_areas, *served]))
    areas = [
        {
            "slug": taxonomies.areas[pk].slug,
            "name": taxonomies.areas[pk].name,
            "kind": taxonomies.areas[pk].kind,
        }
        for pk in area_pks
        if pk in taxonomies.areas
    ]

    schedules = [_schedule(h) for h in offer.opening_hours.all()]
    attending = list(dict.fromkeys(s["kind"] for s in schedules))
    if places and not schedules:
        attending.append("in_person")

    organisation = offer.organisation
    description = get_text_for_indexing(offer.description or "")
    topic_names = [taxonomies.topics[pk].name for pk in all_topics]
    group_names = [taxonomies.target_groups[pk].name for pk in all_groups]
    body_text = " ".join(
        [
            description,
            offer.easy_language_summary or "",
            " ".join(topic_names),
            " ".join(group_names),
            organisation.name if organisation else "",
            getattr(organisation, "short_name", "") if organisation else "",
        ]
    )

    vocabulary = {}
    for text in (offer.title, offer.summary, body_text):
        for surface, norm in analysis.words(text):
            vocabulary.setdefault(norm, surface)

    return {
        "page_id": offer.pk,
        "hsds_id": str(offer.hsds_id),
        "url": offer_path(offer),
        "title": offer.title,
        "summary": offer.summary or "",
        "description": description,
        "easy_language_summary": offer.easy_language_summary or "",
        "last_published_at": (
            offer.last_published_at.isoformat() if offer.last_published_at else None
        ),
        "topics": _terms(topic_pks, taxonomies.topics),
        "topic_slugs": [taxonomies.topics[pk].slug for pk in all_topics],
        "topic_names": topic_names,
        "target_groups": _terms(group_pks, taxonomies.target_groups),
        "target_group_slugs": [taxonomies.target_groups[pk].slug for pk in all_groups],
        "target_group_names": group_names,
        "languages": [{"code": lang.code, "name": lang.name} for lang in offer.languages.all()],
        "language_codes": [lang.code for lang in offer.languages.all()],
        "organisation": {
            "id": str(organisation.hsds_id) if organisation else "",
            "name": organisation.name if organisation else "",
            "slug": organisation.slug if organisation else "",
        },
        "areas": areas,
        "area_slugs": [a["slug"] for a in areas],
        "towns": list(dict.fromkeys(p.town for p in places if p.town)),
        "postcodes": list(dict.fromkeys(p.postcode for p in places if p.postcode)),
        "locations": [
            {
                "id": p.pk,
                "name": p.name,
                "town": p.town,
                "postcode": p.postcode,
                "lat": p.latitude,
                "lon": p.longitude,
                "step_free": p.step_free_access,
            }
            for p in places
        ],
        "points": [
            {"lat": p.latitude, "lon": p.longitude}
            for p in places
            if p.latitude is not None and p.longitude is not None
        ],
        "is_free": bool(offer.is_free),
        "step_free": any(p.step_free_access for p in places),
        "attending": attending,
        "schedules": schedules,
        "title_terms": analysis.analyse_joined(offer.title, dictionary),
        "summary_terms": analysis.analyse_joined(offer.summary or "", dictionary),
        "body_terms": analysis.analyse_joined(body_text, dictionary),
        "words": vocabulary,
        "suggest": list(dict.fromkeys([offer.title, *topic_names])),
    }


def build_documents(offers):
    """Documents of many offers, sharing one taxonomy snapshot and dictionary."""
    taxonomies = Taxonomies()
    dictionary = analysis.current_dictionary()
    return [build_document(offer, taxonomies, dictionary) for offer in offers]


def documents_for(page_ids):
    """Documents of those of these offers that are live; the ids of the others."""
    page_ids = {int(pk) for pk in page_ids}
    offers = list(live_offers().filter(pk__in=page_ids))
    documents = build_documents(offers)
    return documents, sorted(page_ids - {offer.pk for offer in offers})


def all_documents(batch_size=500):
    """Documents of every live offer, built batch by batch (a generator)."""
    taxonomies = Taxonomies()
    dictionary = analysis.current_dictionary()
    ids = list(live_offers().values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        for offer in live_offers().filter(pk__in=ids[start : start + batch_size]):
            yield build_document(offer, taxonomies, dictionary)


def count_live():
    return OfferPage.objects.live().public().count()
