"""The one entry point for searching offers: the public page, the JSON API and the HSDS API.

`search(query)` checks the query, resolves a `place` (town or postcode) to a point, fills in
`now`, and asks the backend `get_backend()` returns. `suggest(prefix)` gives autocomplete.
`index_offers`, `remove_offers` and `rebuild_index` keep the index(es) in step.
"""

import dataclasses
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from .query import ATTENDING, MAX_PAGE_SIZE, SORTS, SearchQuery, SearchResult

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_QUERY_LENGTH = 200
MAX_RADIUS_KM = 500


class InvalidQuery(ValueError):
    """A query that cannot be answered; `messages` maps a parameter to what is wrong."""

    def __init__(self, messages):
        self.messages = messages
        super().__init__("; ".join(f"{key}: {value}" for key, value in messages.items()))


def get_backend():
    """The backend that answers searches: the database, or Elasticsearch when configured
    (and its client installed: without it the database answers, see lotse.E020)."""
    from .backends import elasticsearch_enabled
    from .backends.database import get_database_backend

    if elasticsearch_enabled():
        # Elasticsearch, with the database answering while it is down (search/fallback.py).
        from .fallback import elasticsearch_with_fallback

        return elasticsearch_with_fallback(get_database_backend())
    return get_database_backend()


def validate(query):
    errors = {}
    if len(query.q) > MAX_QUERY_LENGTH:
        errors["q"] = _("The search text may be at most %(n)d characters long.") % {
            "n": MAX_QUERY_LENGTH
        }
    if query.sort not in SORTS:
        errors["sort"] = _("Sort by one of: %(choices)s.") % {"choices": ", ".join(SORTS)}
    if query.page < 1:
        errors["page"] = _("The page number must be 1 or more.")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = _("The page size must be between 1 and %(max)d.") % {
            "max": MAX_PAGE_SIZE
        }
    bad = [value for value in query.attending if value not in ATTENDING]
    if bad:
        errors["attending"] = _("Unknown way of attending: %(values)s. Use: %(choices)s.") % {
            "values": ", ".join(bad),
            "choices": ", ".join(ATTENDING),
        }
    if query.open_on and query.open_on not in WEEKDAYS:
        errors["open_on"] = _("Give the weekday as one of: %(choices)s.") % {
            "choices": ", ".join(WEEKDAYS)
        }
    if query.near is not None:
        lat, lon = query.near
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["near"] = _(
                "Latitude must lie between -90 and 90, longitude between -180 and 180."
            )
    if query.radius_km is not None:
        if not 0 < query.radius_km <= MAX_RADIUS_KM:
            errors["radius_km"] = _("The radius must be more than 0 and at most %(max)d km.") % {
                "max": MAX_RADIUS_KM
            }
        elif query.near is None and not query.place:
            errors["radius_km"] = _("A radius needs a place or a point (near).")
    if query.sort == "distance" and query.near is None and not query.place:
        errors["sort"] = _("Sorting by distance needs a place or a point (near).")
    if query.near is not None and query.place:
        errors["place"] = _("Give either a place or a point (near), not both.")
    if errors:
        raise InvalidQuery(errors)


POSTCODE = re.compile(r"^\d{5}$")


def resolve_place(place):
    """(lat, lon) of a town or municipality name or a German postcode, or None if unknown.

    Social areas (municipalities, districts) with a centroid answer first; otherwise the
    average position of the places (locations) in that town or postcode.
    """
    from lotse.directory.models import Location
    from lotse.network.models import SocialArea

    place = " ".join(place.split())
    if not place:
        return None
    if POSTCODE.match(place):
        for area in SocialArea.objects.filter(
            postcodes__contains=place, latitude__isnull=False, longitude__isnull=False
        ).order_by("kind", "name"):
            if place in area.postcode_list:
                return (area.latitude, area.longitude)
        locations = Location.objects.filter(postcode=place)
    else:
        area = (
            SocialArea.objects.filter(
                name__iexact=place, latitude__isnull=False, longitude__isnull=False
            )
            .order_by("kind")
            .first()
        )
        if area is not None:
            return (area.latitude, area.longitude)
        locations = Location.objects.filter(town__iexact=place)
    points = list(
        locations.filter(latitude__isnull=False, longitude__isnull=False).values_list(
            "latitude", "longitude"
        )
    )
    if not points:
        return None
    return (
        sum(lat for lat, _lon in points) / len(points),
        sum(lon for _lat, lon in points) / len(points),
    )


def prepare(query: SearchQuery) -> SearchQuery:
    """The query a backend sees: checked, `place` resolved to `near`, `now` filled in."""
    query = dataclasses.replace(query, q=" ".join(query.q.split()))
    validate(query)
    changes = {}
    if query.place:
        point = resolve_place(query.place)
        if point is None:
            raise InvalidQuery(
                {
                    "place": _(
                        "Unknown place “%(place)s”: give a town or a postcode of the county."
                    )
                    % {"place": query.place}
                }
            )
        changes["near"] = point
    if query.now is None:
        changes["now"] = timezone.now()
    return dataclasses.replace(query, **changes) if changes else query


def search(query: SearchQuery) -> SearchResult:
    """Answer a query; raises `InvalidQuery` for bad parameters."""
    return get_backend().search(prepare(query))


def suggest(prefix, limit=10):
    """Autocomplete suggestions for what a user has typed so far."""
    prefix = " ".join((prefix or "").split())[:MAX_QUERY_LENGTH]
    if len(prefix) < 2:
        return []
    return get_backend().suggest(prefix, limit=limit)


def related_topics(query, limit=6):
    """Topics to offer when a search found nothing.

    The topics of offers that match single words of the search text (without filters), or,
    failing that, the topics with the most offers.
    """
    counts, labels = {}, {}
    for word in query.q.split()[:5] if query else []:
        result = search(SearchQuery(q=word, page_size=1))
        for value in result.facets.get("topic", []):
            counts[value.value] = counts.get(value.value, 0) + value.count
            labels[value.value] = value.label
    if not counts:
        for value in search(SearchQuery(page_size=1)).facets.get("topic", []):
            counts[value.value] = value.count
            labels[value.value] = value.label
    best = sorted(counts, key=lambda slug: (-counts[slug], str(labels[slug]).casefold()))
    return [{"value": slug, "label": labels[slug], "count": counts[slug]} for slug in best[:limit]]


# Keeping the index in step


def index_offers(page_ids):
    """(Re)index these offers: live ones are written, the others removed."""
    from .backends import database
    from .documents import documents_for

    documents, gone = documents_for(page_ids)
    database.index(documents)
    database.delete(gone)
    return documents, gone


def rebuild_index(progress=None):
    """Rebuild the database index from every live offer; returns how many were indexed."""
    from .backends import database

    return database.rebuild(progress=progress)
