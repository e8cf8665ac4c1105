"""REST API v1 for case-management software and the admin alike (session or token auth).

Every queryset comes from `services.visible_handovers()` (i.e. `lotse.network.permissions`), so an
invisible handover answers 404. Content (summary, citizen, consent purpose) is serialised
only for parties, and each such read is written to the audit trail; coordinators get the
metadata serializer. Transitions answer 409 when the status or the user does not allow them.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lotse.directory.models import OfferPage
from lotse.network import permissions
from lotse.network.api import LotseAPIMixin
from lotse.network.openapi import VALIDATION_ERRORS, AnyOf, ErrorDetailSerializer, extend_schema
from lotse.network.ratelimit import ScopedRateThrottle

from . import services
from .models import (
    ConsentMethod,
    DataCategory,
    DeclineReason,
    Handover,
    Outcome,
    Urgency,
)

#: The apps whose views Lotse's API description covers (`lotse.<app>`).
LOTSE_APPS = ("handover", "directory", "search", "network")


def is_lotse_view(callback):
    module = getattr(callback, "cls", callback).__module__.split(".")
    return len(module) > 1 and module[0] == "lotse" and module[1] in LOTSE_APPS


def api_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: Lotse's /api/ only — not Wagtail's admin API, nor
    a host site's own DRF views."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/") and is_lotse_view(endpoint[3])
    ]


# Serializers


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    person = PersonRefSerializer(allow_null=True)
    memberships = MembershipSerializer(many=True)


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    function = serializers.CharField()
    organisation = OrganisationRefSerializer()


class CitizenSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    preferred_language = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    best_times = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConsentInputSerializer(serializers.Serializer):
    given_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    adviser_declaration = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required true for verbal_documented: the adviser read the text to the "
        "citizen, who understood and agreed.",
    )
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), allow_empty=False
    )
    purpose = serializers.CharField(max_length=1000)
    valid_until = serializers.DateField()
    language = serializers.ChoiceField(
        choices=[("de", "Deutsch"), ("en", "English")],
        required=False,
        default="de",
        help_text="Language of the consent text the citizen saw.",
    )


class HandoverCreateSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(help_text="Person id (see /api/v1/contacts/).")
    offer = serializers.UUIDField(allow_null=True, required=False, help_text="Offer hsds_id.")
    summary = serializers.CharField(max_length=10000)
    citizen = CitizenSerializer()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    consent = ConsentInputSerializer()


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, a) for a in services.TRANSITIONS])
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, help_text="For decline."
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, help_text="For close."
    )
    contact_date = serializers.DateField(required=False, help_text="For contact.")
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="Seen by the parties only."
    )


def _organisation(organisation):
    return None if organisation is None else {"id": organisation.pk, "name": organisation.name}


class HandoverSerializer(serializers.ModelSerializer):
    """Metadata: what coordinators see. No person, no content."""

    sender_organisation = serializers.SerializerMethodField()
    recipient_organisation = serializers.SerializerMethodField()
    offer = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    content_purged = serializers.SerializerMethodField()
    # Empty until the handover is declined or closed (the model's blank choice).
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices, allow_blank=True, read_only=True
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "status",
            "urgency",
            "sender_organisation",
            "recipient_organisation",
            "offer",
            "topics",
            "created_at",
            "sent_at",
            "opened_at",
            "accepted_at",
            "declined_at",
            "in_contact_at",
            "contact_date",
            "closed_at",
            "withdrawn_at",
            "expired_at",
            "due_at",
            "reminded_at",
            "escalated_at",
            "decline_reason",
            "outcome",
            "content_purged",
        ]
        read_only_fields = fields

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_sender_organisation(self, obj):
        return _organisation(obj.sender_organisation)

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_recipient_organisation(self, obj):
        return _organisation(obj.recipient_organisation)

    @extend_schema_field(serializers.UUIDField(allow_null=True, help_text="The offer's HSDS id."))
    def get_offer(self, obj):
        return str(obj.offer.hsds_id) if obj.offer_id else None

    def get_topics(self, obj) -> list[str]:
        return [topic.name for topic in obj.topics.all()]

    def get_content_purged(self, obj) -> bool:
        return obj.content_purged_at is not None


class PartyHandoverSerializer(HandoverSerializer):
    """What the sender, recipient and deputy see in listings: plus people and actions."""

    recipient = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(HandoverSerializer.Meta):
        fields = [*HandoverSerializer.Meta.fields, "recipient", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_recipient(self, obj):
        person = obj.recipient
        return None if person is None else {"id": person.pk, "name": person.name}

    def get_allowed_actions(self, obj) -> list[str]:
        return services.allowed_actions(self.context["request"].user, obj)


class ConsentOutputSerializer(serializers.Serializer):
    given_at = serializers.DateTimeField()
    method = serializers.CharField()
    adviser_declaration = serializers.BooleanField()
    data_categories = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    valid_until = serializers.DateField()
    text_version = serializers.CharField()
    text_language = serializers.CharField()
    text = serializers.CharField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class CitizenOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    preferred_language = serializers.CharField()
    best_times = serializers.CharField()


class HandoverDetailSerializer(PartyHandoverSerializer):
    """A party's full view, content included (the caller records the read)."""

    summary = serializers.SerializerMethodField()
    citizen = serializers.SerializerMethodField()
    response_note = serializers.SerializerMethodField()
    consent = serializers.SerializerMethodField()

    class Meta(PartyHandoverSerializer.Meta):
        fields = [
            *PartyHandoverSerializer.Meta.fields,
            "summary",
            "citizen",
            "response_note",
            "consent",
        ]
        read_only_fields = fields

    def _content(self):
        return self.context.get("content")

    def get_summary(self, obj) -> str | None:
        content = self._content()
        return content.summary if content else None

    @extend_schema_field(CitizenOutputSerializer(allow_null=True))
    def get_citizen(self, obj):
        content = self._content()
        if content is None:
            return None
        return {
            "name": content.citizen_name,
            "phone": content.citizen_phone,
            "email": content.citizen_email,
            "preferred_language": content.preferred_language,
            "best_times": content.best_times,
        }

    def get_response_note(self, obj) -> str | None:
        content = self._content()
        return content.response_note if content else None

    @extend_schema_field(ConsentOutputSerializer(allow_null=True))
    def get_consent(self, obj):
        consent = obj.consent
        if consent is None:
            return None
        return {
            "given_at": consent.given_at,
            "method": consent.method,
            "adviser_declaration": consent.adviser_declaration,
            "data_categories": consent.data_categories,
            "purpose": consent.purpose,
            "valid_until": consent.valid_until,
            "text_version": consent.text_version,
            "text_language": consent.text_language,
            "text": consent.text,
            "withdrawn_at": consent.withdrawn_at,
        }


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[("status", "status"), ("user", "user")])


# Examples

CREATE_EXAMPLE = OpenApiExample(
    "Debt counselling, urgent",
    request_only=True,
    value={
        "recipient": 42,
        "offer": "6f1c1f53-5a0e-4c4e-9d1e-0b7f6c0e2a11",
        "summary": "Stromsperre angedroht, Rückstand rund 600 Euro.",
        "citizen": {
            "name": "Maria Beispiel",
            "phone": "06441 12345",
            "email": "",
            "preferred_language": "Deutsch",
            "best_times": "vormittags",
        },
        "urgency": "urgent",
        "consent": {
            "given_at": "2026-03-02T10:15:00+01:00",
            "method": "written",
            "data_categories": ["contact", "finances", "housing"],
            "purpose": "Schuldnerberatung und Sicherung der Wohnung",
            "valid_until": "2026-06-30",
        },
    },
)
MISSING_CONSENT_EXAMPLE = OpenApiExample(
    "Consent incomplete",
    response_only=True,
    status_codes=["400"],
    value={"consent": {"purpose": ["This field is required."]}},
)
METADATA_EXAMPLE = {
    "id": 12,
    "status": "accepted",
    "urgency": "urgent",
    "sender_organisation": {"id": 1, "name": "Sozialbüro Lahnfeld"},
    "recipient_organisation": {"id": 5, "name": "AWO Lahnfeld"},
    "offer": "6f1c1f53-5a0e-4c4e-9d1e-0b7f6c0e2a11",
    "topics": ["Schulden"],
    "created_at": "2026-03-02T10:20:00+01:00",
    "sent_at": "2026-03-02T10:20:00+01:00",
    "opened_at": "2026-03-02T11:02:00+01:00",
    "accepted_at": "2026-03-02T11:05:00+01:00",
    "declined_at": None,
    "in_contact_at": None,
    "contact_date": None,
    "closed_at": None,
    "withdrawn_at": None,
    "expired_at": None,
    "due_at": "2026-03-04T00:00:00+01:00",
    "reminded_at": None,
    "escalated_at": None,
    "decline_reason": "",
    "outcome": "",
    "content_purged": False,
}
PARTY_EXAMPLE = {
    **METADATA_EXAMPLE,
    "recipient": {"id": 42, "name": "Rita Roth"},
    "allowed_actions": ["contact", "close"],
}
CREATED_EXAMPLE = OpenApiExample(
    "Sent",
    response_only=True,
    status_codes=["201"],
    value={
        **PARTY_EXAMPLE,
        "status": "sent",
        "opened_at": None,
        "accepted_at": None,
        "allowed_actions": [],
    },
)
CONFLICT_EXAMPLE = OpenApiExample(
    "Already accepted",
    response_only=True,
    status_codes=["409"],
    value={"detail": "This is not possible while the handover is “Accepted”.", "code": "status"},
)


# Views


def _field_errors(error):
    """A service ValidationError ({"consent.purpose": [...]}) as nested DRF-style errors."""
    result = {}
    for key, messages in error.message_dict.items():
        target = result
        *parents, leaf = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = messages
    return result


class HandoverAPIMixin(LotseAPIMixin):
    """Rate-limited per user (LOTSE_RATELIMIT_HANDOVER_API); no answer is stored by any cache."""

    throttle_classes = [ScopedRateThrottle]
    ratelimit_scope = "handover_api"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class MeView(HandoverAPIMixin, APIView):
    @extend_schema(
        responses=MeSerializer,
        examples=[
            OpenApiExample(
                "Adviser",
                response_only=True,
                value={
                    "username": "beratung",
                    "person": {"id": 7, "name": "Lea Lotse"},
                    "memberships": [
                        {"organisation": {"id": 1, "name": "Sozialbüro"}, "role": "adviser"}
                    ],
                },
            )
        ],
    )
    def get(self, request):
        user = request.user
        person = getattr(user, "person", None)
        memberships = user.memberships.select_related("organisation").order_by("pk")
        return Response(
            {
                "username": user.get_username(),
                "person": {"id": person.pk, "name": person.name} if person else None,
                "memberships": [
                    {"organisation": _organisation(m.organisation), "role": m.role}
                    for m in memberships
                ],
            }
        )


class ContactListView(HandoverAPIMixin, generics.ListAPIView):
    """People who can receive handovers (advisers only)."""

    serializer_class = ContactSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", int, description="Organisation id"),
            OpenApiParameter("q", str, description="Part of the name or function"),
        ],
        examples=[
            OpenApiExample(
                "Debt counsellors",
                response_only=True,
                # One item: drf-spectacular shows it in a list.
                value={
                    "id": 42,
                    "name": "Rita Roth",
                    "function": "Schuldnerberaterin",
                    "organisation": {"id": 5, "name": "AWO Lahnfeld"},
                },
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        if not permissions.is_adviser(request.user):
            raise PermissionDenied("Only advisers look up handover contacts.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        people = services.receivable_contacts().select_related("organisation")
        organisation = self.request.query_params.get("organisation")
        if organisation:
            if not organisation.isdigit():
                return people.none()
            people = people.filter(organisation_id=int(organisation))
        q = (self.request.query_params.get("q") or "").strip()
        if q:
            people = people.filter(Q(name__icontains=q) | Q(function__icontains=q))
        return people.order_by("organisation__name", "name")

    def list(self, request, *args, **kwargs):
        return Response(
            [
                {
                    "id": p.pk,
                    "name": p.name,
                    "function": p.function,
                    "organisation": _organisation(p.organisation),
                }
                for p in self.get_queryset()
            ]
        )


def _queryset(user):
    return (
        services.visible_handovers(user)
        .select_related(
            "sender", "sender_organisation", "recipient_organisation", "offer", "consent"
        )
        .prefetch_related("topics")
    )


class HandoverListView(HandoverAPIMixin, generics.ListCreateAPIView):
    """Handovers the user sent or may receive (coordinators: all, metadata only)."""

    pagination_class = None

    def get_queryset(self):
        return _queryset(self.request.user)

    def get_serializer_class(self):
        return HandoverCreateSerializer if self.request.method == "POST" else HandoverSerializer

    @extend_schema(
        responses=AnyOf(
            "PartyHandoverOrMetadata", [PartyHandoverSerializer, HandoverSerializer], many=True
        ),
        description="Parties get people and their allowed actions; coordinators get every "
        "handover's metadata only (no recipient, no allowed_actions).",
        examples=[
            # One item each: drf-spectacular shows them in a list.
            OpenApiExample("As sender or recipient", response_only=True, value=PARTY_EXAMPLE),
            OpenApiExample("As coordinator", response_only=True, value=METADATA_EXAMPLE),
        ],
    )
    def get(self, request, *args, **kwargs):
        user = request.user
        data = []
        for handover in self.get_queryset():
            serializer = (
                PartyHandoverSerializer if services.is_party(user, handover) else HandoverSerializer
            )
            data.append(serializer(handover, context={"request": request}).data)
        return Response(data)

    @extend_schema(
        request=HandoverCreateSerializer,
        responses={201: PartyHandoverSerializer, 400: VALIDATION_ERRORS},
        examples=[CREATE_EXAMPLE, CREATED_EXAMPLE, MISSING_CONSENT_EXAMPLE],
    )
    def post(self, request, *args, **kwargs):
        if not permissions.is_adviser(request.user):
            raise PermissionDenied("Only advisers hand over cases.")
        serializer = HandoverCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offer = None
        if data.get("offer"):
            offer = OfferPage.objects.live().filter(hsds_id=data["offer"]).first()
            if offer is None:
                return Response(
                    {"offer": ["No published offer with this id."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        try:
            handover = services.create_handover(
                request.user,
                recipient=data["recipient"],
                offer=offer,
                summary=data["summary"],
                citizen=data["citizen"],
                urgency=data["urgency"],
                consent=data["consent"],
            )
        except DjangoValidationError as error:
            return Response(_field_errors(error), status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return Response(
            PartyHandoverSerializer(handover, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class HandoverDetailView(HandoverAPIMixin, APIView):
    @extend_schema(
        responses={
            200: AnyOf("HandoverDetailOrMetadata", [HandoverDetailSerializer, HandoverSerializer]),
            404: ErrorDetailSerializer,
        },
        description="Parties get summary, citizen and consent (each read is audited); "
        "coordinators get metadata only; everyone else 404.",
        examples=[
            OpenApiExample(
                "As sender or recipient",
                response_only=True,
                value={
                    **PARTY_EXAMPLE,
                    "summary": "Stromsperre angedroht, Rückstand rund 600 Euro.",
                    "citizen": {
                        "name": "Maria Beispiel",
                        "phone": "06441 12345",
                        "email": "",
                        "preferred_language": "Deutsch",
                        "best_times": "vormittags",
                    },
                    "response_note": "",
                    "consent": {
                        "given_at": "2026-03-02T10:15:00+01:00",
                        "method": "written",
                        "adviser_declaration": False,
                        "data_categories": ["contact", "finances", "housing"],
                        "purpose": "Schuldnerberatung",
                        "valid_until": "2026-06-30",
                        "text_version": "2026-1",
                        "text_language": "de",
                        "text": "Einwilligung in die Weitergabe meiner Daten …",
                        "withdrawn_at": None,
                    },
                },
            ),
            OpenApiExample("As coordinator", response_only=True, value=METADATA_EXAMPLE),
        ],
    )
    def get(self, request, pk):
        handover = get_object_or_404(_queryset(request.user), pk=pk)
        if not permissions.can(request.user, permissions.READ_CONTENT, handover):
            return Response(HandoverSerializer(handover, context={"request": request}).data)
        content = services.read_content(request.user, handover)
        return Response(
            HandoverDetailSerializer(
                handover, context={"request": request, "content": content}
            ).data
        )


def _conflict(error):
    return Response({"detail": str(error), "code": error.code}, status=status.HTTP_409_CONFLICT)


class TransitionView(HandoverAPIMixin, APIView):
    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: PartyHandoverSerializer,
            400: VALIDATION_ERRORS,
            404: ErrorDetailSerializer,
            409: ConflictSerializer,
        },
        examples=[
            OpenApiExample("Accept", request_only=True, value={"action": "accept"}),
            OpenApiExample(
                "Decline", request_only=True, value={"action": "decline", "reason": "no_capacity"}
            ),
            OpenApiExample(
                "In contact",
                request_only=True,
                value={"action": "contact", "contact_date": "2026-03-04"},
            ),
            OpenApiExample(
                "Close", request_only=True, value={"action": "close", "outcome": "helped"}
            ),
            OpenApiExample(
                "Accepted", response_only=True, status_codes=["200"], value=PARTY_EXAMPLE
            ),
            CONFLICT_EXAMPLE,
        ],
    )
    def post(self, request, pk):
        handover = get_object_or_404(_queryset(request.user), pk=pk)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.transition(
                request.user,
                handover,
                data["action"],
                reason=data.get("reason", ""),
                outcome=data.get("outcome", ""),
                contact_date=data.get("contact_date"),
                note=data.get("note", ""),
            )
        except services.TransitionNotAllowed as error:
            return _conflict(error)
        except DjangoValidationError as error:
            return Response(_field_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(PartyHandoverSerializer(handover, context={"request": request}).data)


class WithdrawConsentView(HandoverAPIMixin, APIView):
    @extend_schema(
        request=None,
        responses={
            200: PartyHandoverSerializer,
            404: ErrorDetailSerializer,
            409: ConflictSerializer,
        },
        description="The sender records that the citizen withdrew consent: the content is "
        "purged at once, the handover closed and the recipient told.",
        examples=[
            OpenApiExample(
                "Withdrawn",
                response_only=True,
                value={
                    **PARTY_EXAMPLE,
                    "status": "withdrawn",
                    "withdrawn_at": "2026-03-03T09:00:00+01:00",
                    "content_purged": True,
                    "allowed_actions": [],
                },
            ),
            CONFLICT_EXAMPLE,
        ],
    )
    def post(self, request, pk):
        handover = get_object_or_404(_queryset(request.user), pk=pk)
        try:
            services.withdraw_consent(request.user, handover)
        except services.TransitionNotAllowed as error:
            return _conflict(error)
        return Response(PartyHandoverSerializer(handover, context={"request": request}).data)


app_name = "handover_api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("contacts/", ContactListView.as_view(), name="contacts"),
    path("handovers/", HandoverListView.as_view(), name="handovers"),
    path("handovers/<int:pk>/", HandoverDetailView.as_view(), name="handover"),
    path("handovers/<int:pk>/transitions/", TransitionView.as_view(), name="handover_transitions"),
    path(
        "handovers/<int:pk>/withdraw-consent/",
        WithdrawConsentView.as_view(),
        name="handover_withdraw_consent",
    ),
]
