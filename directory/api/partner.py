"""Partner API v1: organisations that keep their data elsewhere sync their offers.

Token (or session) authentication. Which offers a user may read and write, and whether their
changes are published or go to the coordination's review, is decided by `lotse.network.permissions`
alone; the writes themselves are `lotse.directory.services.create_offer` and `update_offer`, which
make a page revision exactly as the admin does. Offers of other organisations answer 404 like
unknown ids, so ids cannot be probed. Related objects are named by their stable HSDS ids
(languages by ISO code), never by database ids.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from wagtail.rich_text import expand_db_html

from lotse.network import inputs, permissions
from lotse.network.api import LotseAPIMixin
from lotse.network.models import Language, Person, SocialArea
from lotse.network.openapi import VALIDATION_ERRORS, extend_schema
from lotse.network.ratelimit import ScopedRateThrottle
from lotse.network.tokens import HashedTokenAuthentication

from .. import opening_hours, services
from ..fields import WEEKDAY_CHOICES
from ..models import Location, OfferPage, OpeningHours, TargetGroup, Topic

TAGS = ["Partner"]


# Fields


class ChoosableSlugField(serializers.SlugRelatedField):
    """A related object by a stable key, among those the user may choose (`permissions`)."""

    default_error_messages = {
        "does_not_exist": _("Unknown id, or not one you may use: {value}"),
        "invalid": _("Not a valid id."),
    }

    def __init__(self, model, slug_field, **kwargs):
        kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(slug_field=slug_field, **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return permissions.filter_queryset(user, permissions.CHOOSE, super().get_queryset())


@extend_schema_field(OpenApiTypes.UUID)
class HsdsRelatedField(ChoosableSlugField):
    """An HSDS id (UUID) of a topic, target group, social area, place or person."""

    def __init__(self, model, **kwargs):
        super().__init__(model, "hsds_id", **kwargs)

    def to_internal_value(self, data):
        try:
            value = uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(value)

    def to_representation(self, obj):
        return str(obj.hsds_id)


@extend_schema_field(OpenApiTypes.STR)
class LanguageField(ChoosableSlugField):
    """An ISO 639 language code such as "de" or "tr"."""

    def __init__(self, **kwargs):
        super().__init__(Language, "code", **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().lower())


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"})
class ClockTimeField(serializers.TimeField):
    """A time of day as "HH:MM", as the API answers (JSON Schema's `time` format would ask for
    seconds and a UTC offset)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class RichTextHTMLField(serializers.CharField):
    """HTML as the public sees it; on input, what the admin's editor allows is kept."""

    def to_representation(self, value):
        return expand_db_html(value or "")


# Serializers


def public_url(page, request):
    """The live page's address in the site's main language: stable for partners' systems."""
    if not page.live:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return page.get_url(request)


STATUS_FIELD = serializers.ChoiceField(choices=services.OFFER_STATUSES)


class PartnerOfferLocationSerializer(serializers.Serializer):
    location = HsdsRelatedField(Location, help_text="A place of the offer's organisation.")
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class PartnerOpeningHoursSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=OpeningHours.Kind.choices, default=OpeningHours.Kind.IN_PERSON
    )
    location = HsdsRelatedField(
        Location,
        allow_null=True,
        default=None,
        help_text="Required for in_person and mobile; must be one of the offer's locations.",
    )
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAY_CHOICES), default=list
    )
    opens_at = ClockTimeField(allow_null=True, default=None)
    closes_at = ClockTimeField(allow_null=True, default=None)
    frequency = serializers.ChoiceField(
        choices=OpeningHours.Frequency.choices, default=OpeningHours.Frequency.WEEKLY
    )
    interval = serializers.IntegerField(
        min_value=1, max_value=52, default=1, help_text="2: every other week from valid_from."
    )
    week_of_month = serializers.ChoiceField(
        choices=OpeningHours.WeekOfMonth.choices,
        allow_null=True,
        default=None,
        help_text="For monthly hours: 1 to 4, or -1 for the last.",
    )
    valid_from = serializers.DateField(allow_null=True, default=None)
    valid_to = serializers.DateField(allow_null=True, default=None)
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class PartnerOfferSerializer(serializers.Serializer):
    """An offer's newest version (live, or waiting for review) and where it stands."""

    id = serializers.UUIDField(source="hsds_id", read_only=True, help_text="The HSDS id.")
    organisation = serializers.UUIDField(
        source="organisation.hsds_id",
        required=False,
        help_text="HSDS id of the organisation. Needed when creating an offer as a user who "
        "edits several organisations; an offer never moves to another one.",
    )
    title = serializers.CharField(max_length=255)
    slug = serializers.SlugField(
        max_length=255,
        allow_unicode=True,
        required=False,
        help_text="Last part of the public address; made from the title when left out.",
    )
    summary = serializers.CharField(max_length=300)
    description = RichTextHTMLField(
        allow_blank=True,
        default="",
        help_text="HTML with h3, p, b, i, ul, ol, li and a href; anything else is removed.",
    )
    easy_language_summary = serializers.CharField(allow_blank=True, default="")
    topics = HsdsRelatedField(Topic, many=True, allow_empty=False)
    target_groups = HsdsRelatedField(TargetGroup, many=True, default=list)
    languages = LanguageField(many=True, default=list)
    service_areas = HsdsRelatedField(
        SocialArea, many=True, default=list, help_text="Empty: the whole county."
    )
    is_free = serializers.BooleanField(default=True)
    fee_description = serializers.CharField(max_length=300, allow_blank=True, default="")
    eligibility = serializers.CharField(allow_blank=True, default="")
    how_to_apply = serializers.CharField(allow_blank=True, default="")
    what_to_bring = serializers.CharField(allow_blank=True, default="")
    min_age = serializers.IntegerField(min_value=0, max_value=150, allow_null=True, default=None)
    max_age = serializers.IntegerField(min_value=0, max_value=150, allow_null=True, default=None)
    phone = serializers.CharField(max_length=40, allow_blank=True, default="")
    email = serializers.EmailField(allow_blank=True, default="")
    website = serializers.URLField(allow_blank=True, default="")
    handover_contact = HsdsRelatedField(
        Person,
        allow_null=True,
        default=None,
        help_text="A person of the offer's organisation who receives handovers.",
    )
    locations = PartnerOfferLocationSerializer(source="offer_locations", many=True, default=list)
    opening_hours = PartnerOpeningHoursSerializer(many=True, default=list)
    status = serializers.SerializerMethodField(
        help_text="published: the newest version is public; in_review: it waits for the "
        "coordination; changes_requested: the coordination sent it back; draft: not submitted."
    )
    live = serializers.BooleanField(
        read_only=True, help_text="Some version of the offer is public."
    )
    revision_id = serializers.IntegerField(source="latest_revision_id", read_only=True)
    url = serializers.SerializerMethodField(help_text="The public page, if live.")
    updated_at = serializers.DateTimeField(source="latest_revision_created_at", read_only=True)
    last_published_at = serializers.SerializerMethodField()
    confirmed_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the offer was last confirmed as current (null: not yet).",
    )

    def validate_opening_hours(self, value):
        """As many rows as the admin form allows (`opening_hours.too_many`)."""
        problems = opening_hours.too_many(item.get("location") for item in value)
        if problems:
            raise serializers.ValidationError([message for _index, message in problems])
        return value

    def _page(self, obj):
        """The stored page (obj may be the newest revision's content)."""
        page = self.context.get("page")
        return page if page is not None and page.pk == obj.pk else obj

    @extend_schema_field(STATUS_FIELD)
    def get_status(self, obj):
        return services.offer_status(self._page(obj))

    def get_url(self, obj) -> str | None:
        return public_url(self._page(obj), self.context.get("request"))

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_last_published_at(self, obj):
        value = self._page(obj).last_published_at
        return None if value is None else serializers.DateTimeField().to_representation(value)


class PartnerOfferSummarySerializer(serializers.Serializer):
    """One line of the offer list; the detail has everything."""

    id = serializers.UUIDField(source="hsds_id")
    organisation = serializers.UUIDField(source="organisation.hsds_id")
    title = serializers.CharField(source="draft_title", help_text="Of the newest version.")
    status = serializers.SerializerMethodField()
    live = serializers.BooleanField()
    revision_id = serializers.IntegerField(source="latest_revision_id")
    updated_at = serializers.DateTimeField(source="latest_revision_created_at")
    url = serializers.SerializerMethodField()

    @extend_schema_field(STATUS_FIELD)
    def get_status(self, obj):
        return services.offer_status(obj)

    def get_url(self, obj) -> str | None:
        return public_url(obj, self.context.get("request"))


class PartnerDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# Examples

OFFER_ID = "6f1c1f53-5a0e-4c4e-9d1e-0b7f6c0e2a11"
WRITE_EXAMPLE = {
    "title": "Schuldnerberatung",
    "summary": "Kostenlose Beratung bei Schulden und drohender Überschuldung.",
    "description": "<p>Wir helfen bei Mahnungen, Pfändungen und Insolvenz.</p>",
    "topics": ["0b9d2c1e-8f0a-4f4e-a7c3-4b1f1d7e2a01"],
    "target_groups": [],
    "languages": ["de", "tr"],
    "service_areas": [],
    "is_free": True,
    "phone": "06441 407-0",
    "email": "schuldnerberatung@example.org",
    "handover_contact": "5d7e9a3b-2c4f-4e1a-9b8c-3f2e1d0c9b8a",
    "locations": [{"location": "c3a1f2e4-7b6d-4c5e-8a9f-1e2d3c4b5a69", "note": "Raum 2.14"}],
    "opening_hours": [
        {
            "kind": "in_person",
            "location": "c3a1f2e4-7b6d-4c5e-8a9f-1e2d3c4b5a69",
            "weekdays": ["MO", "TU", "TH"],
            "opens_at": "08:30",
            "closes_at": "12:30",
        },
        {"kind": "phone", "weekdays": ["WE"], "opens_at": "14:00", "closes_at": "16:00"},
    ],
}
OFFER_EXAMPLE = {
    "id": OFFER_ID,
    "organisation": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    **WRITE_EXAMPLE,
    "slug": "schuldnerberatung",
    "easy_language_summary": "",
    "fee_description": "",
    "eligibility": "",
    "how_to_apply": "",
    "what_to_bring": "",
    "min_age": None,
    "max_age": None,
    "website": "",
    "opening_hours": [
        {
            "kind": "in_person",
            "location": "c3a1f2e4-7b6d-4c5e-8a9f-1e2d3c4b5a69",
            "weekdays": ["MO", "TU", "TH"],
            "opens_at": "08:30",
            "closes_at": "12:30",
            "frequency": "weekly",
            "interval": 1,
            "week_of_month": None,
            "valid_from": None,
            "valid_to": None,
            "note": "",
        }
    ],
    "status": "in_review",
    "live": True,
    "revision_id": 4711,
    "url": "/hilfe/diakonie-lahnfeld/schuldnerberatung/",
    "updated_at": "2026-03-02T10:15:00+01:00",
    "last_published_at": "2026-01-12T09:00:00+01:00",
    "confirmed_at": "2026-01-12T09:00:00+01:00",
}
EXAMPLES = [
    OpenApiExample("New offer", request_only=True, value=WRITE_EXAMPLE),
    OpenApiExample("Waiting for review", response_only=True, value=OFFER_EXAMPLE),
    OpenApiExample(
        "Invalid data",
        response_only=True,
        status_codes=["400"],
        value={
            "handover_contact": [
                "The handover contact must work for the organisation that makes this offer."
            ],
            "opening_hours": [
                {},
                {"closes_at": ["Closing time must be after opening time."]},
            ],
        },
    ),
]
NOT_FOUND_EXAMPLE = OpenApiExample(
    "Unknown, or another organisation's",
    response_only=True,
    status_codes=["404"],
    value={"detail": "Not found."},
)
LOCKED_EXAMPLE = OpenApiExample(
    "Locked",
    response_only=True,
    status_codes=["409"],
    value={"detail": "Someone else is working on this offer or reviewing it. Try again later."},
)


# Views


class EditsOffers(BasePermission):
    """The partner API is for people who edit some organisation's offers."""

    message = _("Your account does not edit any organisation's offers.")

    def has_permission(self, request, view):
        return permissions.model_permission(request.user, permissions.CHANGE, OfferPage)


class PartnerRateThrottle(ScopedRateThrottle):
    """Per user (LOTSE_RATELIMIT_PARTNER), counted in the store every worker shares."""

    scope = "partner"


class OfferPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        """DRF's, in OpenAPI 3.1 terms: `next` and `previous` are a URL or null, always sent.

        The `example`s are those of a one-page answer: drf-spectacular builds the examples of
        list operations from them and one item."""
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"]["example"] = 1
        for name in ("next", "previous"):
            result["properties"][name] = {
                "type": ["string", "null"],
                "format": "uri",
                "example": None,
            }
        result["required"] = ["count", "next", "previous", "results"]
        return result


def partner_offers(user):
    """The offers `user` may change: those of the organisations they edit."""
    return permissions.filter_queryset(user, permissions.CHANGE, OfferPage.objects.all())


class PartnerView(LotseAPIMixin, GenericAPIView):
    # Token first, so that a missing or wrong token answers 401 with WWW-Authenticate.
    authentication_classes = [HashedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, EditsOffers]
    throttle_classes = [PartnerRateThrottle]
    parser_classes = [inputs.JSONParser]
    serializer_class = PartnerOfferSerializer

    def dispatch(self, request, *args, **kwargs):
        """Messages in the client's language (Accept-Language): these URLs have no prefix."""
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        return response

    def write_serializer(self, data):
        """Validated input; unknown fields are errors, so that typos do not vanish."""
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send a JSON object with the offer's fields.")]}
            )
        serializer = PartnerOfferSerializer(data=data, context=self.get_serializer_context())
        unknown = sorted(set(data) - set(serializer.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        serializer.is_valid(raise_exception=True)
        return serializer

    def offer_response(self, offer, status_code=status.HTTP_200_OK):
        context = {**self.get_serializer_context(), "page": offer}
        content = offer.get_latest_revision_as_object()
        return Response(PartnerOfferSerializer(content, context=context).data, status=status_code)


def _values(validated):
    """Serializer output as `services` takes it."""
    values = dict(validated)
    values.pop("organisation", None)
    if "offer_locations" in values:
        values["locations"] = values.pop("offer_locations")
    return values


class OfferListView(PartnerView):
    pagination_class = OfferPagination

    def get_queryset(self):
        return (
            partner_offers(self.request.user)
            .select_related("organisation")
            .prefetch_workflow_states()
            .order_by("pk")
        )

    @extend_schema(
        tags=TAGS,
        summary="The offers you may sync",
        responses=PartnerOfferSummarySerializer(many=True),
        parameters=[
            OpenApiParameter("page", int, description="Page number, from 1"),
            OpenApiParameter("page_size", int, description="Offers per page (at most 200)"),
        ],
        examples=[
            OpenApiExample(
                "One page",
                response_only=True,
                # One item: drf-spectacular puts it on a page (see OfferPagination).
                value={
                    "id": OFFER_ID,
                    "organisation": OFFER_EXAMPLE["organisation"],
                    "title": "Schuldnerberatung",
                    "status": "published",
                    "live": True,
                    "revision_id": 4711,
                    "updated_at": "2026-03-02T10:15:00+01:00",
                    "url": OFFER_EXAMPLE["url"],
                },
            )
        ],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = PartnerOfferSummarySerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        tags=TAGS,
        summary="Add an offer",
        description="Published at once if you may publish (trusted organisations, the "
        "coordination); otherwise submitted to the coordination's review. Invalid data "
        "changes nothing.",
        request=PartnerOfferSerializer,
        responses={
            201: PartnerOfferSerializer,
            400: VALIDATION_ERRORS,
            401: PartnerDetailSerializer,
            403: PartnerDetailSerializer,
        },
        examples=EXAMPLES,
    )
    def post(self, request):
        serializer = self.write_serializer(request.data)
        organisation = (serializer.validated_data.get("organisation") or {}).get("hsds_id")
        try:
            organisation, parent = services.partner_organisation(request.user, organisation)
            saved = services.create_offer(
                request.user, organisation, parent, _values(serializer.validated_data)
            )
        except services.InvalidOffer as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        return self.offer_response(saved.offer, status.HTTP_201_CREATED)


class OfferDetailView(PartnerView):
    def get_object(self):
        try:
            hsds_id = uuid.UUID(self.kwargs["hsds_id"])
        except ValueError:
            raise Http404 from None
        offer = partner_offers(self.request.user).filter(hsds_id=hsds_id).first()
        if offer is None:
            raise Http404
        return offer

    @extend_schema(
        tags=TAGS,
        summary="An offer's newest version",
        responses={200: PartnerOfferSerializer, 404: PartnerDetailSerializer},
        examples=[
            OpenApiExample("Waiting for review", response_only=True, value=OFFER_EXAMPLE),
            NOT_FOUND_EXAMPLE,
        ],
    )
    def get(self, request, hsds_id):
        return self.offer_response(self.get_object())

    def write(self, request, offer, data):
        serializer = self.write_serializer(data)
        organisation = serializer.validated_data.get("organisation")
        if organisation and organisation["hsds_id"] != offer.organisation.hsds_id:
            return Response(
                {"organisation": [_("An offer cannot move to another organisation.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            saved = services.update_offer(request.user, offer, _values(serializer.validated_data))
        except services.InvalidOffer as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        except services.OfferLocked as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except DjangoPermissionDenied:
            raise Http404 from None
        return self.offer_response(saved.offer)

    @extend_schema(
        tags=TAGS,
        summary="Replace an offer",
        description="Sends every field; left-out optional fields become empty. A new revision "
        "is published at once if you may publish, otherwise submitted to the coordination's "
        "review while the public keeps seeing the live version. Sending unchanged content "
        "writes nothing. Invalid data changes nothing.",
        request=PartnerOfferSerializer,
        responses={
            200: PartnerOfferSerializer,
            400: VALIDATION_ERRORS,
            401: PartnerDetailSerializer,
            404: PartnerDetailSerializer,
            409: PartnerDetailSerializer,
        },
        examples=[*EXAMPLES, NOT_FOUND_EXAMPLE, LOCKED_EXAMPLE],
    )
    def put(self, request, hsds_id):
        return self.write(request, self.get_object(), request.data)

    @extend_schema(
        tags=TAGS,
        summary="Change some fields of an offer",
        description="Fields left out keep their newest values; a list (topics, locations, "
        "opening_hours, …) is replaced as a whole. Otherwise as PUT.",
        request=PartnerOfferSerializer,
        responses={
            200: PartnerOfferSerializer,
            400: VALIDATION_ERRORS,
            401: PartnerDetailSerializer,
            404: PartnerDetailSerializer,
            409: PartnerDetailSerializer,
        },
        examples=[
            OpenApiExample(
                "New opening hours",
                request_only=True,
                value={"opening_hours": WRITE_EXAMPLE["opening_hours"]},
            ),
            OpenApiExample("Waiting for review", response_only=True, value=OFFER_EXAMPLE),
            NOT_FOUND_EXAMPLE,
            LOCKED_EXAMPLE,
        ],
    )
    def patch(self, request, hsds_id):
        offer = self.get_object()
        if not isinstance(request.data, dict):
            return self.write(request, offer, request.data)
        # PATCH is PUT on the newest version with the given fields replaced.
        context = {**self.get_serializer_context(), "page": offer}
        current = PartnerOfferSerializer(
            offer.get_latest_revision_as_object(), context=context
        ).data
        writable = {
            name for name, field in PartnerOfferSerializer().fields.items() if not field.read_only
        }
        return self.write(request, offer, {**{k: current[k] for k in writable}, **request.data})
