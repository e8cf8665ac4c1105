"""JSON API of the offer search: `GET /api/v1/search/` and `GET /api/v1/search/suggest/`.

Public (no login), read-only, answered by `lotse.search.service`; bad parameters get 400 with a
message per parameter, in the `{"parameter": ["message"]}` shape DRF uses everywhere.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lotse.network.api import PublicAPIMixin
from lotse.network.cors import PublicCORSMixin
from lotse.network.openapi import VALIDATION_ERRORS, extend_schema
from lotse.network.ratelimit import ScopedRateThrottle

from . import service
from .backends.database import FACETS
from .highlight import safe_highlight
from .query import ATTENDING, MAX_PAGE_SIZE, SORTS, SearchQuery


class StrictBooleanField(serializers.BooleanField):
    """true/false/1/0 only; an absent parameter is false."""

    TRUE_VALUES = {"true", "True", "1", "yes", "on", True}
    FALSE_VALUES = {"false", "False", "0", "no", "off", "", False}
    default_error_messages = {"invalid": _("Give true or false.")}


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=service.MAX_QUERY_LENGTH,
        default="",
        help_text="Search text (German analysis: inflections, compounds, typos, synonyms).",
    )
    topic = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Topic slug; repeatable. Broader topics include their narrower ones.",
    )
    target_group = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Target group slug; repeatable.",
    )
    language = serializers.ListField(
        child=serializers.CharField(max_length=8),
        required=False,
        default=list,
        help_text="ISO 639 language code; repeatable.",
    )
    area = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Social area or municipality slug; repeatable.",
    )
    near = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A point to measure distances from: `lat,lon` in decimal degrees.",
    )
    place = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="A town or a postcode to measure distances from (instead of `near`).",
    )
    radius_km = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0.1,
        max_value=service.MAX_RADIUS_KM,
        help_text="Only offers at most this far from `near` or `place`.",
    )
    open_now = StrictBooleanField(required=False, default=False)
    open_on = serializers.ChoiceField(
        choices=service.WEEKDAYS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only offers open on this weekday (MO … SU).",
    )
    free = StrictBooleanField(required=False, default=False, help_text="Only free offers.")
    step_free = StrictBooleanField(
        required=False, default=False, help_text="Only offers with step-free access."
    )
    attending = serializers.ListField(
        child=serializers.ChoiceField(choices=ATTENDING),
        required=False,
        default=list,
        help_text="Way of attending; repeatable.",
    )
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=10_000)
    page_size = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def validate_near(self, value):
        if not value:
            return None
        try:
            lat, lon = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(_("Give the point as lat,lon, e.g. 50.55,8.50.")) from None
        return (lat, lon)

    def to_query(self):
        data = self.validated_data
        return SearchQuery(
            q=data["q"],
            topics=tuple(data["topic"]),
            target_groups=tuple(data["target_group"]),
            languages=tuple(code.lower() for code in data["language"]),
            areas=tuple(data["area"]),
            near=data["near"],
            place=data["place"].strip(),
            radius_km=data["radius_km"],
            open_now=data["open_now"],
            open_on=data["open_on"],
            free=data["free"],
            step_free=data["step_free"],
            attending=tuple(data["attending"]),
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
        )


class SearchOrganisationRef(serializers.Serializer):
    id = serializers.CharField(help_text="The organisation's HSDS id.")
    name = serializers.CharField()


class HitSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The offer's HSDS id.")
    title = serializers.CharField()
    url = serializers.CharField(help_text="Absolute URL of the offer page.")
    organisation = SearchOrganisationRef()
    summary = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    distance_km = serializers.FloatField(allow_null=True)
    open_now = serializers.BooleanField(allow_null=True)
    highlight = serializers.CharField(
        help_text="HTML-escaped snippet with <mark> around the matched words."
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    backend = serializers.CharField(help_text="database, elasticsearch or database (fallback)")
    results = HitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        help_text="Per facet (" + ", ".join(FACETS) + "): values with counts under the "
        "other active filters.",
    )


class SuggestResponseSerializer(serializers.Serializer):
    q = serializers.CharField()
    suggestions = serializers.ListField(child=serializers.CharField())


def result_json(result, request):
    return {
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "backend": result.backend,
        "results": [
            {
                "id": hit.id,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "organisation": {"id": hit.organisation_id, "name": hit.organisation_name},
                "summary": hit.summary,
                "topics": hit.topics,
                "distance_km": hit.distance_km,
                "open_now": hit.open_now,
                "highlight": str(safe_highlight(hit.highlight)),
            }
            for hit in result.hits
        ],
        "facets": {
            name: [
                {"value": v.value, "label": str(v.label), "count": v.count, "selected": v.selected}
                for v in values
            ]
            for name, values in result.facets.items()
        },
    }


SEARCH_EXAMPLE = {
    "count": 1,
    "page": 1,
    "page_size": 20,
    "backend": "database",
    "results": [
        {
            "id": "3f0c5a52-8d1e-4a7e-9d0b-2f6c1c7a9e41",
            "title": "Schuldner- und Insolvenzberatung in Lahnfeld",
            "url": "https://lotse.example/caritas/schuldnerberatung-lahnfeld/",
            "organisation": {
                "id": "8b1d2c3e-5f60-4a1b-9c2d-3e4f5a6b7c8d",
                "name": "Caritasverband Lahnfeld",
            },
            "summary": "Hilfe bei Schulden und drohender Überschuldung.",
            "topics": ["Schulden"],
            "distance_km": 1.25,
            "open_now": True,
            "highlight": "Hilfe bei <mark>Schulden</mark> und drohender Überschuldung.",
        }
    ],
    "facets": {
        "topic": [{"value": "schulden", "label": "Schulden", "count": 1, "selected": True}],
        "target_group": [],
        "language": [{"value": "tr", "label": "Türkisch", "count": 1, "selected": False}],
        "area": [{"value": "lahnfeld", "label": "Lahnfeld", "count": 1, "selected": False}],
        "free": [{"value": "true", "label": "Free of charge", "count": 1, "selected": False}],
        "step_free": [],
        "attending": [{"value": "in_person", "label": "In person", "count": 1, "selected": False}],
    },
}


class PublicAPIView(PublicCORSMixin, PublicAPIMixin, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    # Per address (LOTSE_RATELIMIT_SEARCH / _SUGGEST); the search page counts with the API.
    throttle_classes = [ScopedRateThrottle]


class SearchView(PublicAPIView):
    ratelimit_scope = "search"

    @extend_schema(
        operation_id="search_offers",
        summary="Search offers",
        description="Full text with German analysis, filters with facet counts, opening "
        "times and distance. Repeat a list parameter for several values "
        "(`topic=schulden&topic=pflege`): values of one parameter widen the search, different "
        "parameters narrow it.",
        parameters=[SearchParamsSerializer],
        responses={200: SearchResponseSerializer, 400: VALIDATION_ERRORS},
        examples=[
            OpenApiExample(
                "Debt advice near Lahnfeld",
                summary="q=Schulden&topic=schulden&place=Lahnfeld&radius_km=10",
                value=SEARCH_EXAMPLE,
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Bad parameters",
                value={"page_size": ["Ensure this value is less than or equal to 100."]},
                response_only=True,
                status_codes=["400"],
            ),
        ],
        tags=["search"],
    )
    def get(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            result = service.search(params.to_query())
        except service.InvalidQuery as error:
            raise ValidationError({k: [str(v)] for k, v in error.messages.items()}) from None
        return Response(result_json(result, request))


class SuggestView(PublicAPIView):
    ratelimit_scope = "suggest"

    @extend_schema(
        operation_id="suggest_offers",
        summary="Autocomplete for the offer search",
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description="What was typed so far (2+ characters)."
            ),
            OpenApiParameter("limit", int, description="At most this many (1–20, default 10)."),
        ],
        responses={200: SuggestResponseSerializer, 400: VALIDATION_ERRORS},
        examples=[
            OpenApiExample(
                "Pfle",
                summary="q=Pfle",
                value={
                    "q": "Pfle",
                    "suggestions": ["Pflege", "Pflegeberatung", "Pflegestützpunkt Wetzbach"],
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
        tags=["search"],
    )
    def get(self, request):
        q = request.query_params.get("q")
        if q is None:
            raise ValidationError({"q": [_("Give the text typed so far in q.")]})
        if len(q) > service.MAX_QUERY_LENGTH:
            raise ValidationError({"q": [_("The search text is too long.")]})
        try:
            limit = int(request.query_params.get("limit", 10))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 20:
            raise ValidationError({"limit": [_("Give a limit between 1 and 20.")]})
        return Response({"q": q, "suggestions": service.suggest(q, limit=limit)})


urlpatterns = [
    path("", SearchView.as_view(), name="search-api"),
    path("suggest/", SuggestView.as_view(), name="search-suggest-api"),
]
