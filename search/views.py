"""The public search on the directory's entry page (DirectoryIndexPage).

`directory_search_context` adds the form, results, facets and pagination to the page's
context (registered as the `lotse_directory_index_context` Wagtail hook). Everything is in the
GET parameters, the same as the JSON API's, so result pages can be shared and bookmarked and
the back button returns to the same state; it all works without JavaScript.
"""

from urllib.parse import unquote

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import service
from .api import SearchParamsSerializer
from .highlight import safe_highlight

#: GET parameters that make the page show results (rather than only the form).
SEARCH_PARAMS = (
    "q",
    "topic",
    "target_group",
    "language",
    "area",
    "near",
    "place",
    "radius_km",
    "open_now",
    "open_on",
    "free",
    "step_free",
    "attending",
    "sort",
    "page",
)
#: Parameters that narrow a search (as opposed to the text, the place and the order).
FILTER_PARAMS = (
    "topic",
    "target_group",
    "language",
    "area",
    "open_now",
    "open_on",
    "free",
    "step_free",
    "attending",
)
FACET_TITLES = {
    "topic": gettext_lazy("Topic"),
    "target_group": gettext_lazy("For whom"),
    "language": gettext_lazy("Language"),
    "area": gettext_lazy("Town or area"),
    "attending": gettext_lazy("Way of attending"),
}
#: Parameter -> (field name, element id) of the form control that sets it, so that an error
#: can point at its field and the field at its error.
FIELDS = {
    "q": ("q", "search-q"),
    "place": ("place", "search-place"),
    "near": ("place", "search-place"),
    "radius_km": ("radius_km", "search-radius"),
    "open_on": ("open_on", "search-open-on"),
    "sort": ("sort", "search-sort"),
}
PARAM_TITLES = {
    **FACET_TITLES,
    "q": gettext_lazy("Search text"),
    "place": gettext_lazy("Town or postcode"),
    "near": gettext_lazy("Your location"),
    "radius_km": gettext_lazy("Distance"),
    "open_now": gettext_lazy("Open now"),
    "open_on": gettext_lazy("Open on"),
    "free": gettext_lazy("Free of charge"),
    "step_free": gettext_lazy("Step-free access"),
    "sort": gettext_lazy("Sort by"),
    "page": gettext_lazy("Page"),
    "page_size": gettext_lazy("Results per page"),
}
RADII = (2, 5, 10, 25, 50)
PAGE_SIZE = 10


def localised_url(path):
    """The offer's URL in the active language (documents store the default language's)."""
    try:
        return reverse("wagtail_serve", args=(unquote(path).lstrip("/"),))
    except NoReverseMatch:
        return path


def page_links(request, result):
    """Previous/next and numbered page links that keep every other parameter."""
    pages = max(1, -(-result.count // result.page_size))

    def url(number):
        params = request.GET.copy()
        params["page"] = number
        return "?" + params.urlencode()

    current = min(result.page, pages)
    numbers = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    return {
        "pages": pages,
        "previous": url(current - 1) if 1 < result.page <= pages else None,
        "next": url(result.page + 1) if result.page < pages else None,
        "numbers": [(n, url(n), n == result.page) for n in numbers],
        "first": url(1),
        "beyond_last": result.page > pages,
    }


def without_filters_url(request):
    """The same search text and place without any filter."""
    params = request.GET.copy()
    for name in list(params):
        if name not in ("q", "place", "near", "radius_km"):
            del params[name]
    return "?" + params.urlencode()


def topic_url(request, slug):
    """A search for one topic near the same place, without the text that found nothing."""
    params = request.GET.copy()
    for name in list(params):
        if name not in ("place", "near", "radius_km"):
            del params[name]
    params["topic"] = slug
    return "?" + params.urlencode()


def _flatten(detail):
    """DRF error details (lists, or dicts per list item) as one list of strings."""
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def error_list(errors):
    """Errors as dicts for the page: the parameter's title, message and form field."""
    return [
        {
            "param": name,
            "title": PARAM_TITLES.get(name, name),
            "message": message,
            "field_id": FIELDS[name][1] if name in FIELDS else "",
        }
        for name, message in errors.items()
    ]


def directory_search_context(page, request, context):
    """Add `search` to the DirectoryIndexPage's context."""
    searching = any(name in request.GET for name in SEARCH_PARAMS)
    params = request.GET.copy()
    params.setdefault("page_size", str(PAGE_SIZE))
    if params.get("place", "").strip():
        # The form keeps an earlier location in a hidden field; a typed place replaces it.
        params.pop("near", None)
    serializer = SearchParamsSerializer(data=params)
    errors = {}
    result = None
    query = None
    if serializer.is_valid():
        query = serializer.to_query()
        try:
            result = service.search(query)
        except service.InvalidQuery as error:
            errors = {key: str(message) for key, message in error.messages.items()}
    else:
        errors = {key: " ".join(_flatten(value)) for key, value in serializer.errors.items()}
    if result is None:
        # Show the form with all facets even when the parameters were wrong.
        result = service.search(service.SearchQuery(page_size=PAGE_SIZE))
        searching = searching and not errors

    for hit in result.hits:
        hit.url = localised_url(hit.url)
        hit.highlight = safe_highlight(hit.highlight)
    facets = [
        {"name": name, "title": FACET_TITLES[name], "values": result.facets.get(name, [])}
        for name in FACET_TITLES
        if result.facets.get(name)
    ]
    related = service.related_topics(query) if searching and query and not result.count else []
    # A location that was wrong is not carried on (the form has no visible field for it).
    near = "" if "near" in errors else params.get("near", "")
    context["search"] = {
        "searching": searching,
        "result": result,
        "errors": error_list(errors),
        # field name -> id of its error message, for aria-invalid and aria-describedby
        "invalid": {FIELDS[name][0]: f"search-error-{name}" for name in errors if name in FIELDS},
        "q": request.GET.get("q", ""),
        "place": request.GET.get("place", ""),
        "near": near,
        "radius_km": request.GET.get("radius_km", ""),
        "radii": RADII,
        "open_now": request.GET.get("open_now") in ("true", "1", "on"),
        "open_on": request.GET.get("open_on", ""),
        "free": request.GET.get("free") in ("true", "1", "on"),
        "step_free": request.GET.get("step_free") in ("true", "1", "on"),
        "sort": request.GET.get("sort", "relevance"),
        "weekdays": weekday_choices(),
        "facets": facets,
        "free_count": _count(result.facets.get("free")),
        "step_free_count": _count(result.facets.get("step_free")),
        "pagination": page_links(request, result) if searching else None,
        "first_number": (result.page - 1) * result.page_size + 1,
        "filtered": any(request.GET.get(name) for name in FILTER_PARAMS),
        "without_filters_url": without_filters_url(request),
        "related_topics": [
            {**topic, "url": topic_url(request, topic["value"])} for topic in related
        ],
        "has_location": bool(request.GET.get("place") or near),
    }


def _count(values):
    return values[0].count if values else 0


def weekday_choices():
    return [
        ("MO", _("Monday")),
        ("TU", _("Tuesday")),
        ("WE", _("Wednesday")),
        ("TH", _("Thursday")),
        ("FR", _("Friday")),
        ("SA", _("Saturday")),
        ("SU", _("Sunday")),
    ]
