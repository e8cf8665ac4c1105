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
FACET_TITLES = {
    "topic": gettext_lazy("Topic"),
    "target_group": gettext_lazy("For whom"),
    "language": gettext_lazy("Language"),
    "area": gettext_lazy("Town or area"),
    "attending": gettext_lazy("Way of attending"),
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

    numbers = sorted({1, pages, *range(max(1, result.page - 2), min(pages, result.page + 2) + 1)})
    return {
        "pages": pages,
        "previous": url(result.page - 1) if result.page > 1 else None,
        "next": url(result.page + 1) if result.page < pages else None,
        "numbers": [(n, url(n), n == result.page) for n in numbers],
    }


def without_filters_url(request):
    """The same search text and place without any filter."""
    params = request.GET.copy()
    for name in list(params):
        if name not in ("q", "place", "near", "radius_km"):
            del params[name]
    return "?" + params.urlencode()


def directory_search_context(page, request, context):
    """Add `search` to the DirectoryIndexPage's context."""
    searching = any(name in request.GET for name in SEARCH_PARAMS)
    params = request.GET.copy()
    params.setdefault("page_size", str(PAGE_SIZE))
    serializer = SearchParamsSerializer(data=params)
    errors = {}
    result = None
    query = None
    if serializer.is_valid():
        query = serializer.to_query()
        try:
            result = service.search(query)
        except service.InvalidQuery as error:
            errors = error.messages
    else:
        errors = {key: " ".join(str(m) for m in value) for key, value in serializer.errors.items()}
    if result is None:
        # Show the form with all facets even when the parameters were wrong.
        result = service.search(service.SearchQuery(page_size=PAGE_SIZE))
        searching = searching and not errors

    for hit in result.hits:
        hit.url = localised_url(hit.url)
    facets = [
        {"name": name, "title": FACET_TITLES[name], "values": result.facets.get(name, [])}
        for name in FACET_TITLES
        if result.facets.get(name)
    ]
    context["search"] = {
        "searching": searching,
        "result": result,
        "errors": errors,
        "error_messages": [f"{message}" for message in errors.values()],
        "q": request.GET.get("q", ""),
        "place": request.GET.get("place", ""),
        "near": request.GET.get("near", ""),
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
        "without_filters_url": without_filters_url(request),
        "related_topics": (
            service.related_topics(query) if searching and query and not result.count else []
        ),
        "has_location": bool(request.GET.get("place") or request.GET.get("near")),
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
