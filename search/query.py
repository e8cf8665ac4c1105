"""The one search interface: what is asked and what comes back, whatever the backend.

The public page, the JSON API (`/api/v1/search/`) and the HSDS API's `search` parameter build a
`SearchQuery`, call `lotse.search.service.search(query)` and read a `SearchResult`. Backends
(`lotse.search.backends.database`, `lotse.search.backends.elasticsearch`) take the same query and
return the same result, so tests can run one set of expectations against both.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

#: Ways of attending an offer, as filter values (OpeningHours.Kind values).
ATTENDING = ("in_person", "phone", "video", "mobile", "appointment")
#: The attending facet's labels: the opening-hours kinds' own labels ("Opening hours") name
#: the hours, not the way of attending.
ATTENDING_LABELS = {
    "in_person": _("In person"),
    "phone": _("By phone"),
    "video": _("By video"),
    "mobile": _("Mobile consultation"),
    "appointment": _("By appointment"),
}
SORTS = ("relevance", "distance", "title")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchQuery:
    """A validated search request. Slugs for taxonomy terms and areas, ISO codes for languages."""

    q: str = ""
    topics: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    #: A point to measure distances from (lat, lon); `place` (town or postcode) is resolved to
    #: one by the service before a backend sees the query.
    near: tuple[float, float] | None = None
    place: str = ""
    radius_km: float | None = None
    open_now: bool = False
    #: Open on this weekday ("MO" … "SU") at some time.
    open_on: str = ""
    free: bool = False
    step_free: bool = False
    attending: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    #: The moment "open now" refers to; the service fills in the current time.
    now: dt.datetime | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    """One offer in a result list; enough to render it without loading the page."""

    id: str  # the offer's hsds_id
    page_id: int
    title: str
    url: str
    organisation_id: str  # the organisation's hsds_id
    organisation_name: str
    summary: str
    topics: list[str] = field(default_factory=list)
    distance_km: float | None = None
    open_now: bool | None = None
    #: HTML-safe snippet with <mark>…</mark> around the matched words.
    highlight: str = ""


@dataclass
class SearchResult:
    count: int
    page: int
    page_size: int
    backend: str  # "database", "elasticsearch", or "database (fallback)"
    hits: list[Hit] = field(default_factory=list)
    #: facet name ("topic", "target_group", "language", "area", "free", "step_free",
    #: "attending") -> values with counts under the other active filters
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
