"""The read-only HSDS 3.0 API (`/api/hsds/…`): the paths and query parameters of the official
OpenAPI description, answered from published offers and what they use.

Public, no login. Ids are the stable HSDS ids (UUIDs). Lists carry the HSDS `Page` envelope;
`format=ndjson` streams every result, one JSON object per line, without pages. `search` goes
through the project's search (`lotse.search.service.search`), so it finds what the public search
finds. Unknown ids answer 404, bad parameters 400 with a message per parameter.
"""

import datetime as dt
import json
import math
import uuid

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from lotse.network.api import PublicAPIMixin
from lotse.network.cors import PublicCORSMixin
from lotse.network.models import SocialArea
from lotse.network.openapi import VALIDATION_ERRORS, ErrorDetailSerializer, extend_schema
from lotse.network.ratelimit import ScopedRateThrottle

from ..models import Location, OfferLocation, OfferPage, TargetGroup, Topic
from . import mapping, queries
from . import openapi as hsds_openapi

TAGS = ["HSDS"]
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
#: The `search` parameter reads at most this many best matches from the search.
MAX_SEARCH_RESULTS = 1000
MAX_PROXIMITY_METRES = 500_000
#: Offers loaded per query while streaming ndjson.
STREAM_CHUNK = 200
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off"}


# Parameters


class Params:
    """Reads query parameters; every bad one is reported at once as a 400."""

    def __init__(self, request):
        self.query = request.query_params
        self.errors = {}

    def fail(self, name, message):
        self.errors.setdefault(name, []).append(message)

    def text(self, name, max_length=200):
        value = " ".join(self.query.get(name, "").split())
        if len(value) > max_length:
            self.fail(name, _("At most %(n)d characters.") % {"n": max_length})
            return ""
        return value

    def integer(self, name, default, minimum, maximum=None):
        raw = self.query.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.fail(name, _("Give a whole number."))
            return default
        if value < minimum or (maximum is not None and value > maximum):
            if maximum is None:
                message = _("Give a number of at least %(min)d.") % {"min": minimum}
            else:
                message = _("Give a number from %(min)d to %(max)d.") % {
                    "min": minimum,
                    "max": maximum,
                }
            self.fail(name, message)
            return default
        return value

    def number(self, name, minimum, maximum):
        raw = self.query.get(name, "").strip()
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            self.fail(name, _("Give a number."))
            return None
        if not (minimum < value <= maximum) or math.isnan(value):
            self.fail(
                name,
                _("Give a number above %(min)s and at most %(max)s.")
                % {"min": minimum, "max": maximum},
            )
            return None
        return value

    def boolean(self, name):
        raw = self.query.get(name, "").strip().lower()
        if not raw or raw in FALSE:
            return False
        if raw in TRUE:
            return True
        self.fail(name, _("Give true or false."))
        return False

    def uuid(self, name):
        raw = self.query.get(name, "").strip()
        if not raw:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError:
            self.fail(name, _("Not a valid id (a UUID)."))
            return None

    def moment(self, name):
        raw = self.query.get(name, "").strip()
        if not raw:
            return None
        try:
            value = parse_datetime(raw.replace(" ", "+"))
            if value is None:
                day = parse_date(raw)
                if day is not None:
                    value = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        except ValueError:
            value = None
        if value is None:
            self.fail(
                name,
                _(
                    "Give a date and time such as 2026-03-01T09:00:00Z, "
                    "or a date such as 2026-03-01."
                ),
            )
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def choice(self, name, choices, default):
        raw = self.query.get(name, "").strip().lower()
        if not raw:
            return default
        if raw not in choices:
            self.fail(name, _("Give one of: %(choices)s.") % {"choices": ", ".join(choices)})
            return default
        return raw

    def check(self):
        if self.errors:
            raise ValidationError(self.errors)


def paging(params, default=DEFAULT_PER_PAGE):
    return (
        params.integer("page", 1, 1),
        params.integer("per_page", default, 1, MAX_PER_PAGE),
        params.choice("format", ("json", "ndjson"), "json"),
    )


def envelope(total, page, per_page, contents):
    """The HSDS `Page`: `size` is the number of entities on this page."""
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# Filters shared by /services and /service_at_locations


def search_hits(text):
    """hsds_ids of the offers the project search finds for `text`, best first."""
    from lotse.search import service as search_service
    from lotse.search.query import MAX_PAGE_SIZE, SearchQuery

    found, page = [], 1
    while len(found) < MAX_SEARCH_RESULTS:
        try:
            result = search_service.search(SearchQuery(q=text, page=page, page_size=MAX_PAGE_SIZE))
        except search_service.InvalidQuery as error:
            raise ValidationError({"search": list(error.messages.values())}) from None
        found.extend(hit.id for hit in result.hits)
        if not result.hits or len(found) >= result.count:
            break
        page += 1
    return found[:MAX_SEARCH_RESULTS]


def term_and_narrower(term_id):
    """The topic or target group with this id and all its narrower terms, as a Q on offers."""
    terms = mapping.Terms()
    for key, field in ((mapping.TOPICS, "topics"), (mapping.TARGET_GROUPS, "target_groups")):
        by_pk = terms.by_key[key]
        term = next((t for t in by_pk.values() if t.hsds_id == term_id), None)
        if term is None:
            continue
        wanted = {term.pk}
        grew = True
        while grew:
            more = {t.pk for t in by_pk.values() if t.parent_id in wanted} - wanted
            wanted |= more
            grew = bool(more)
        return Q(**{f"{field}__in": wanted})
    return None


def covering_areas(postcode):
    """Social areas whose postcodes (or whose narrower areas' postcodes) include `postcode`."""
    areas = {area.pk: area for area in SocialArea.objects.all()}
    matched = {pk for pk, area in areas.items() if postcode in area.postcode_list}
    covering = set(matched)
    for pk in matched:
        node = areas[pk]
        while node.parent_id and node.parent_id not in covering:
            covering.add(node.parent_id)
            node = areas.get(node.parent_id)
            if node is None:
                break
    return covering


def distance_m(lat1, lon1, lat2, lon2):
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def locations_within(postcode, metres):
    from lotse.search.service import resolve_place

    centre = resolve_place(postcode)
    if centre is None:
        raise ValidationError(
            {"postcode": [_("Unknown postcode: no place or area of the directory has it.")]}
        )
    rows = Location.objects.filter(latitude__isnull=False, longitude__isnull=False)
    return {
        pk
        for pk, lat, lon in rows.values_list("pk", "latitude", "longitude")
        if distance_m(centre[0], centre[1], lat, lon) <= metres
    }


class OfferFilters:
    """taxonomy_term_id, taxonomy_id, organization_id, modified_after, postcode, proximity."""

    def __init__(self, params):
        self.term_id = params.uuid("taxonomy_term_id")
        self.taxonomy_id = params.uuid("taxonomy_id")
        self.organisation_id = params.uuid("organization_id")
        self.modified_after = params.moment("modified_after")
        self.postcode = params.text("postcode", max_length=10)
        self.proximity = params.number("proximity", 0, MAX_PROXIMITY_METRES)
        if self.proximity is not None and not self.postcode:
            params.fail("proximity", _("Proximity needs a postcode to measure from."))
        self.search = params.text("search")
        self.near = None

    def offers(self):
        """Published offers that pass the filters (without `search`, which orders)."""
        offers = queries.published_offers()
        if self.term_id:
            condition = term_and_narrower(self.term_id)
            if condition is None:
                return offers.none()
            offers = offers.filter(pk__in=OfferPage.objects.filter(condition).values("pk"))
        if self.taxonomy_id:
            if self.taxonomy_id == mapping.TAXONOMY_IDS[mapping.TOPICS]:
                offers = offers.filter(
                    pk__in=OfferPage.objects.filter(topics__isnull=False).values("pk")
                )
            elif self.taxonomy_id == mapping.TAXONOMY_IDS[mapping.TARGET_GROUPS]:
                offers = offers.filter(
                    pk__in=OfferPage.objects.filter(target_groups__isnull=False).values("pk")
                )
            else:
                return offers.none()
        if self.organisation_id:
            offers = offers.filter(organisation__hsds_id=self.organisation_id)
        if self.modified_after:
            offers = offers.filter(last_published_at__gte=self.modified_after)
        if self.postcode:
            covered = OfferPage.objects.filter(
                Q(service_areas__isnull=True) | Q(service_areas__in=covering_areas(self.postcode))
            )
            offers = offers.filter(pk__in=covered.values("pk"))
            if self.proximity is not None:
                self.near = locations_within(self.postcode, self.proximity)
                offers = offers.filter(
                    pk__in=OfferLocation.objects.filter(location__in=self.near).values("offer_id")
                )
        return offers

    def ordered_offer_pks(self):
        """Pks of the matching offers in list order (by title, or best search match first)."""
        offers = self.queryset = self.offers()
        if not self.search:
            return list(offers.order_by("title", "hsds_id").values_list("pk", flat=True))
        hits = search_hits(self.search)
        pks = dict(
            offers.filter(hsds_id__in=[h for h in hits if is_uuid(h)]).values_list("hsds_id", "pk")
        )
        return [pks[uuid.UUID(h)] for h in hits if is_uuid(h) and uuid.UUID(h) in pks]


def is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# Views


class JSONOnly(BaseContentNegotiation):
    """Always JSON: HSDS's `format` parameter is ours (json/ndjson), not DRF's format override."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HsdsView(PublicCORSMixin, PublicAPIMixin, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    # Per address, shared by all HSDS endpoints (LOTSE_RATELIMIT_HSDS).
    throttle_classes = [ScopedRateThrottle]
    ratelimit_scope = "hsds"
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly

    def initial(self, request, *args, **kwargs):
        """Wording (hours in words, kinds of hours, taxonomy names) in the language the client
        asks for with Accept-Language, among the site's languages; the main one otherwise."""
        super().initial(request, *args, **kwargs)
        self.previous_language = translation.get_language()
        translation.activate(translation.get_language_from_request(request, check_path=False))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        response.setdefault("Vary", "Accept-Language")
        previous = getattr(self, "previous_language", None)
        if previous:
            translation.activate(previous)
        return response

    def listing(self, params, pks, load, to_item, per_page_default=DEFAULT_PER_PAGE):
        """A `Page` of items, or all of them as ndjson; `load(pks)` gives objects in order."""
        page, per_page, output = paging(params, per_page_default)
        params.check()
        if output == "ndjson":
            return ndjson(pks, load, to_item)
        chunk = pks[(page - 1) * per_page : page * per_page]
        contents = [to_item(obj) for obj in load(chunk)]
        return Response(envelope(len(pks), page, per_page, contents))


def in_order(queryset, pks):
    """Objects with these pks, in the order of `pks`."""
    by_pk = {obj.pk: obj for obj in queryset.filter(pk__in=pks)}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def ndjson(pks, load, to_item):
    language = translation.get_language()

    def lines():
        with translation.override(language):
            for start in range(0, len(pks), STREAM_CHUNK):
                for obj in load(pks[start : start + STREAM_CHUNK]):
                    yield json.dumps(to_item(obj), ensure_ascii=False) + "\n"

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")


def parameter(name, kind, description, enum=None):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum)


PAGE_PARAMETERS = [
    parameter("page", OpenApiTypes.INT, "Page number of paginated result (from 1)."),
    parameter(
        "per_page",
        OpenApiTypes.INT,
        f"Results per page (default {DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE}).",
    ),
    parameter(
        "format",
        OpenApiTypes.STR,
        "`json` (default) or `ndjson`: every result, one JSON object per line, no pages.",
        enum=["json", "ndjson"],
    ),
]
SEARCH_PARAMETER = parameter(
    "search", OpenApiTypes.STR, "Full-text search, answered by the directory's offer search."
)
OFFER_PARAMETERS = [
    SEARCH_PARAMETER,
    parameter(
        "taxonomy_term_id",
        OpenApiTypes.UUID,
        "Only services with this taxonomy term (or one of its narrower terms).",
    ),
    parameter("taxonomy_id", OpenApiTypes.UUID, "Only services with a term of this taxonomy."),
    parameter("organization_id", OpenApiTypes.UUID, "Only services of this organization."),
    parameter(
        "modified_after",
        OpenApiTypes.DATETIME,
        "Only services published (changed) at or after this moment.",
    ),
    parameter(
        "postcode",
        OpenApiTypes.STR,
        "Only services whose service areas include this postcode (or that have none).",
    ),
    parameter(
        "proximity",
        OpenApiTypes.NUMBER,
        "With `postcode`: only services at a place at most this many metres from its centre.",
    ),
]
FULL = parameter("full", OpenApiTypes.BOOL, "Fully nested objects instead of list fields.")
ID = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The HSDS id (a UUID)."
)
ERRORS = {
    400: OpenApiResponse(VALIDATION_ERRORS, description="Bad parameters, with a message each."),
}
NOT_FOUND = {
    404: OpenApiResponse(ErrorDetailSerializer, description="No published object with this id.")
}


def page_of(item, what):
    """A list operation's answers: a `Page` of `item`s (the official component), or ndjson."""
    return {
        (200, "application/json"): OpenApiResponse(
            hsds_openapi.page(item),
            description=f"An HSDS `Page` whose `contents` are {what}; with `format=ndjson` "
            "every one of them as a line of JSON, without pages.",
        ),
        (200, "application/x-ndjson"): OpenApiResponse(hsds_openapi.lines(item)),
        **ERRORS,
    }


def one(item, what):
    return {200: OpenApiResponse(hsds_openapi.ref(item), description=what), **NOT_FOUND}


class RootView(HsdsView):
    @extend_schema(
        operation_id="getAPIMetaInformation",
        summary="Information about this API and its relationship with HSDS.",
        tags=TAGS,
        responses={200: OpenApiResponse(hsds_openapi.ref("HsdsApiMeta"))},
    )
    def get(self, request):
        return Response(
            {"version": mapping.HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
        )


def load_services(full):
    def load(pks):
        offers = queries.published_offers()
        offers = queries.with_relations(offers) if full else queries.with_organisation(offers)
        return in_order(offers, pks)

    return load


class ServiceListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfServices",
        summary="Paginated list of published services (HSDS service_list items).",
        tags=TAGS,
        parameters=[
            *OFFER_PARAMETERS,
            *PAGE_PARAMETERS,
            parameter(
                "minimal",
                OpenApiTypes.BOOL,
                "Only id, name, status and last_modified; all services on one page by default.",
            ),
            FULL,
        ],
        responses=page_of("HsdsServiceList", "services"),
    )
    def get(self, request):
        params = Params(request)
        filters = OfferFilters(params)
        minimal, full = params.boolean("minimal"), params.boolean("full")
        if minimal and full:
            params.fail("minimal", _("Ask for minimal or for full services, not both."))
        params.check()
        pks = filters.ordered_offer_pks()
        catalogue = mapping.Catalogue()
        if minimal:
            item = mapping.minimal_service
        elif full:
            item = lambda offer: mapping.service_full(offer, catalogue)  # noqa: E731
        else:
            item = lambda offer: mapping.service(offer, catalogue)  # noqa: E731
        default = MAX_PER_PAGE if minimal else DEFAULT_PER_PAGE
        return self.listing(params, pks, load_services(full), item, default)


class ServiceDetailView(HsdsView):
    @extend_schema(
        operation_id="getFullyNestedServiceById",
        summary="A fully nested published service (HSDS service).",
        tags=TAGS,
        parameters=[ID],
        responses=one("HsdsService", "A fully nested HSDS service."),
    )
    def get(self, request, id):
        # Any language version's id answers with the version in the request's language.
        offer = is_uuid(id) and queries.with_relations(queries.published_versions(id)).first()
        if not offer:
            raise NotFound(_("There is nothing published with this id."))
        return Response(mapping.service_full(offer, mapping.Catalogue()))


def get_or_404(queryset, id, field="hsds_id"):
    if not is_uuid(id):
        raise NotFound(_("There is nothing published with this id."))
    obj = queryset.filter(**{field: uuid.UUID(id)}).first()
    if obj is None:
        raise NotFound(_("There is nothing published with this id."))
    return obj


class OrganizationListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfOrganizations",
        summary="Paginated list of organizations with published services or pages.",
        tags=TAGS,
        parameters=[
            SEARCH_PARAMETER,
            parameter(
                "full_service",
                OpenApiTypes.BOOL,
                "With `full`: the organizations' services fully nested.",
            ),
            FULL,
            *PAGE_PARAMETERS,
        ],
        responses=page_of("HsdsOrganizationList", "organizations"),
    )
    def get(self, request):
        params = Params(request)
        search = params.text("search")
        full, full_service = params.boolean("full"), params.boolean("full_service")
        params.check()
        organisations = queries.public_organisations()
        if search:
            hits = [h for h in search_hits(search) if is_uuid(h)]
            found = queries.published_offers().filter(hsds_id__in=hits).values("organisation_id")
            organisations = organisations.filter(
                Q(pk__in=found) | Q(name__icontains=search) | Q(short_name__icontains=search)
            )
        pks = list(organisations.order_by("name", "hsds_id").values_list("pk", flat=True))
        catalogue = mapping.Catalogue()

        def load(chunk):
            rows = queries.public_organisations()
            rows = (
                queries.with_published_offers(rows, full=full_service)
                if full
                else rows.select_related("parent")
            )
            return in_order(rows, chunk)

        if full:
            item = lambda org: mapping.organization_full(  # noqa: E731
                org, org.published_offers, catalogue, full_service=full_service
            )
        else:
            item = lambda org: mapping.organization(org, catalogue)  # noqa: E731
        return self.listing(params, pks, load, item)


class OrganizationDetailView(HsdsView):
    @extend_schema(
        operation_id="getOrganizationById",
        summary="A fully nested organization with its published services.",
        tags=TAGS,
        parameters=[
            ID,
            parameter(
                "full_service",
                OpenApiTypes.BOOL,
                "The services fully nested (otherwise their list fields).",
            ),
        ],
        responses={**one("HsdsOrganization", "A fully nested HSDS organization."), **ERRORS},
    )
    def get(self, request, id):
        params = Params(request)
        full_service = params.boolean("full_service")
        params.check()
        rows = queries.with_published_offers(queries.public_organisations(), full=True)
        org = get_or_404(rows, id)
        return Response(
            mapping.organization_full(
                org, org.published_offers, mapping.Catalogue(), full_service=full_service
            )
        )


class TaxonomyListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfTaxonomies",
        summary="The directory's taxonomies: topics and target groups.",
        tags=TAGS,
        parameters=[SEARCH_PARAMETER, *PAGE_PARAMETERS],
        responses=page_of("HsdsTaxonomy", "taxonomies"),
    )
    def get(self, request):
        params = Params(request)
        search = params.text("search").casefold()
        params.check()
        keys = [
            key
            for key in (mapping.TOPICS, mapping.TARGET_GROUPS)
            if search in mapping.taxonomy(key)["name"].casefold()
        ]
        return self.listing(params, keys, lambda chunk: chunk, mapping.taxonomy)


class TaxonomyDetailView(HsdsView):
    @extend_schema(
        operation_id="getTaxonomyById",
        summary="One of the directory's taxonomies.",
        tags=TAGS,
        parameters=[ID],
        responses=one("HsdsTaxonomy", "An HSDS taxonomy."),
    )
    def get(self, request, id):
        for key, taxonomy_id in mapping.TAXONOMY_IDS.items():
            if is_uuid(id) and uuid.UUID(id) == taxonomy_id:
                return Response(mapping.taxonomy(key))
        raise NotFound(_("There is no taxonomy with this id."))


def used_terms(terms):
    """Terms of published offers and their broader terms, by taxonomy, then name."""
    used = []
    for key, model in ((mapping.TOPICS, Topic), (mapping.TARGET_GROUPS, TargetGroup)):
        pks = set(
            model.objects.filter(offers__in=queries.published_offers()).values_list("pk", flat=True)
        )
        for pk in list(pks):
            term = terms.by_key[key].get(pk)
            if term is not None:
                pks.update(a.pk for a in terms.ancestors(term))
        used.extend(
            sorted(
                (terms.by_key[key][pk] for pk in pks if pk in terms.by_key[key]),
                key=lambda t: (t.name.casefold(), str(t.hsds_id)),
            )
        )
    return used


class TaxonomyTermListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfTaxonomyTerms",
        summary="Taxonomy terms of published services and their broader terms.",
        tags=TAGS,
        parameters=[
            SEARCH_PARAMETER,
            *PAGE_PARAMETERS,
            parameter("taxonomy_id", OpenApiTypes.UUID, "Only terms of this taxonomy."),
            parameter("top_only", OpenApiTypes.BOOL, "Only terms without a broader term."),
            parameter("parent_id", OpenApiTypes.UUID, "Only the narrower terms of this term."),
        ],
        responses=page_of("HsdsTaxonomyTerm", "taxonomy terms"),
    )
    def get(self, request):
        params = Params(request)
        search = params.text("search").casefold()
        taxonomy_id = params.uuid("taxonomy_id")
        top_only = params.boolean("top_only")
        parent_id = params.uuid("parent_id")
        params.check()
        terms = mapping.Terms()
        found = used_terms(terms)
        if search:
            found = [t for t in found if search in t.name.casefold()]
        if taxonomy_id:
            found = [
                t for t in found if mapping.TAXONOMY_IDS[mapping.taxonomy_key(t)] == taxonomy_id
            ]
        if top_only:
            found = [t for t in found if t.parent_id is None]
        if parent_id:
            found = [
                t for t in found if (p := terms.parent(t)) is not None and p.hsds_id == parent_id
            ]
        return self.listing(
            params, found, lambda chunk: chunk, lambda t: mapping.taxonomy_term(t, terms)
        )


class TaxonomyTermDetailView(HsdsView):
    @extend_schema(
        operation_id="getTaxonomyTermById",
        summary="A taxonomy term of a published service (or a broader term of one).",
        tags=TAGS,
        parameters=[ID],
        responses=one("HsdsTaxonomyTerm", "An HSDS taxonomy term."),
    )
    def get(self, request, id):
        terms = mapping.Terms()
        if is_uuid(id):
            wanted = uuid.UUID(id)
            for term in used_terms(terms):
                if term.hsds_id == wanted:
                    return Response(mapping.taxonomy_term(term, terms))
        raise NotFound(_("There is nothing published with this id."))


def load_places(full):
    def load(pks):
        rows = queries.with_offer(OfferLocation.objects.all(), full=full)
        return in_order(rows, pks)

    return load


class ServiceAtLocationListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfServiceAtLocation",
        summary="Paginated list of the places of published services.",
        tags=TAGS,
        parameters=[*OFFER_PARAMETERS, FULL, *PAGE_PARAMETERS],
        responses=page_of("HsdsServiceAtLocationList", "service_at_location items"),
    )
    def get(self, request):
        params = Params(request)
        filters = OfferFilters(params)
        full = params.boolean("full")
        params.check()
        offer_pks = filters.ordered_offer_pks()
        rows = OfferLocation.objects.filter(offer__in=filters.queryset)
        if filters.near is not None:
            rows = rows.filter(location_id__in=filters.near)
        position = {pk: number for number, pk in enumerate(offer_pks)}
        found = sorted(
            (row for row in rows.values_list("pk", "offer_id", "sort_order") if row[1] in position),
            key=lambda row: (position[row[1]], row[2] or 0, row[0]),
        )
        pks = [pk for pk, _offer, _order in found]
        catalogue = mapping.Catalogue()
        if full:
            item = lambda row: mapping.service_at_location_full(row, catalogue)  # noqa: E731
        else:
            item = lambda row: mapping.service_at_location(row, catalogue)  # noqa: E731
        return self.listing(params, pks, load_places(full), item)


class ServiceAtLocationDetailView(HsdsView):
    @extend_schema(
        operation_id="getServiceAtLocationWithNestedDataById",
        summary="A place of a published service, fully nested (HSDS service_at_location).",
        tags=TAGS,
        parameters=[ID],
        responses=one("HsdsServiceAtLocation", "A fully nested HSDS service_at_location."),
    )
    def get(self, request, id):
        rows = queries.with_offer(queries.published_offer_locations(), full=True)
        return Response(mapping.service_at_location_full(get_or_404(rows, id), mapping.Catalogue()))
