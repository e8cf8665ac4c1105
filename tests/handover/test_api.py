"""REST API v1: the whole lifecycle, validation, conflicts and the OpenAPI schema."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.handover.models import AuditEntry, Consent, Handover, HandoverContent, OutboxMessage
from tests import factories

from .conftest import CITIZEN_NAME, SUMMARY

pytestmark = pytest.mark.django_db


def client_for(user):
    """Token authentication, as case-management software uses it."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(user)}")
    return client


def payload(cast, **overrides):
    consent = factories.handover_consent()
    consent["given_at"] = consent["given_at"].isoformat()
    consent["valid_until"] = consent["valid_until"].isoformat()
    data = {
        "recipient": cast.recipient.pk,
        "offer": str(cast.offer.hsds_id),
        "summary": SUMMARY,
        "citizen": {"name": CITIZEN_NAME, "phone": "06441 998877", "preferred_language": "tr"},
        "urgency": "urgent",
        "consent": consent,
    }
    data.update(overrides)
    return data


def test_full_lifecycle_through_the_api(cast):
    adviser, recipient = client_for(cast.adviser), client_for(cast.recipient.user)
    created = adviser.post("/api/v1/handovers/", payload(cast), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "sent" and body["urgency"] == "urgent"
    assert body["offer"] == str(cast.offer.hsds_id)
    assert body["recipient"] == {"id": cast.recipient.pk, "name": cast.recipient.name}
    pk = body["id"]

    listed = recipient.get("/api/v1/handovers/").json()
    assert [h["id"] for h in listed] == [pk]
    assert listed[0]["allowed_actions"] == ["open", "accept", "decline"]
    assert "summary" not in listed[0]

    detail = recipient.get(f"/api/v1/handovers/{pk}/").json()
    assert detail["summary"] == SUMMARY
    assert detail["citizen"]["name"] == CITIZEN_NAME
    assert detail["consent"]["method"] == "written"
    assert detail["consent"]["text_version"]

    url = f"/api/v1/handovers/{pk}/transitions/"
    assert recipient.post(url, {"action": "open"}, format="json").json()["status"] == "opened"
    assert recipient.post(url, {"action": "open"}, format="json").status_code == 409
    assert recipient.post(url, {"action": "accept"}, format="json").json()["status"] == "accepted"
    missing_date = recipient.post(url, {"action": "contact"}, format="json")
    assert missing_date.status_code == 400 and "contact_date" in missing_date.json()
    contact = recipient.post(
        url, {"action": "contact", "contact_date": "2026-03-05"}, format="json"
    ).json()
    assert contact["status"] == "in_contact" and contact["contact_date"] == "2026-03-05"
    closed = recipient.post(url, {"action": "close", "outcome": "helped"}, format="json")
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "helped"
    assert recipient.post(url, {"action": "accept"}, format="json").status_code == 409
    assert adviser.get(f"/api/v1/handovers/{pk}/").json()["status"] == "closed"
    actions = list(AuditEntry.objects.filter(handover_id=pk).values_list("action", flat=True))
    assert actions == [
        "created",
        "content_read",
        "open",
        "accept",
        "contact",
        "close",
        "content_read",
    ]


def test_decline_needs_a_reason_and_only_parties_act(cast):
    handover = factories.make_handover(cast.adviser, cast.recipient)
    url = f"/api/v1/handovers/{handover.pk}/transitions/"
    deputy = client_for(cast.deputy.user)
    assert deputy.post(url, {"action": "decline"}, format="json").status_code == 400
    refused = client_for(cast.adviser).post(url, {"action": "accept"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "user"
    assert (
        client_for(cast.coordinator).post(url, {"action": "accept"}, format="json").status_code
        == 409
    )
    assert (
        client_for(cast.same_org.user).post(url, {"action": "accept"}, format="json").status_code
        == 404
    )
    declined = deputy.post(url, {"action": "decline", "reason": "no_capacity"}, format="json")
    assert (
        declined.json()["status"] == "declined"
        and declined.json()["decline_reason"] == "no_capacity"
    )


def _without(key):
    return lambda data: data.pop(key)


def _consent(**values):
    return lambda data: data["consent"].update(values)


BAD_INPUT = {
    "no consent": _without("consent"),
    "empty consent": lambda data: data.update(consent={}),
    "no purpose": _consent(purpose=""),
    "no data categories": _consent(data_categories=[]),
    "unknown data category": _consent(data_categories=["horoscope"]),
    "verbal without declaration": _consent(method="verbal_documented"),
    "consent expired": _consent(valid_until="2020-01-01"),
    "no method": lambda data: data["consent"].pop("method"),
    "unknown recipient": lambda data: data.update(recipient=999999),
    "unknown offer": lambda data: data.update(offer="00000000-0000-0000-0000-000000000000"),
    "no phone or e-mail": lambda data: data.update(citizen={"name": CITIZEN_NAME}),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_400_with_field_errors_and_stores_nothing(cast, case):
    data = payload(cast)
    BAD_INPUT[case](data)
    response = client_for(cast.adviser).post("/api/v1/handovers/", data, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) & {"consent", "recipient", "offer", "citizen"}
    assert not Handover.objects.exists() and not Consent.objects.exists()
    assert not HandoverContent.objects.exists() and not OutboxMessage.objects.exists()


def test_only_advisers_create_and_look_up_contacts(cast):
    contact = client_for(cast.recipient.user)
    assert contact.post("/api/v1/handovers/", payload(cast), format="json").status_code == 403
    assert contact.get("/api/v1/contacts/").status_code == 403
    contacts = client_for(cast.adviser).get("/api/v1/contacts/").json()
    names = {c["name"] for c in contacts}
    assert {"Rita", "Dora", "Otto", "Dieter"} <= names
    only_awo = client_for(cast.adviser).get(f"/api/v1/contacts/?organisation={cast.awo.pk}&q=rit")
    assert [c["name"] for c in only_awo.json()] == ["Rita"]
    assert only_awo.json()[0]["organisation"] == {"id": cast.awo.pk, "name": "AWO Lahnfeld"}


def test_me(cast):
    me = client_for(cast.recipient.user).get("/api/v1/me/").json()
    assert me == {
        "username": "rita",
        "person": {"id": cast.recipient.pk, "name": "Rita"},
        "memberships": [
            {"organisation": {"id": cast.awo.pk, "name": "AWO Lahnfeld"}, "role": "contact"}
        ],
    }
    assert client_for(cast.adviser).get("/api/v1/me/").json()["person"] is None
    assert APIClient().get("/api/v1/me/").status_code in (401, 403)


def test_withdraw_consent_purges(cast):
    handover = factories.make_handover(cast.adviser, cast.recipient)
    url = f"/api/v1/handovers/{handover.pk}/withdraw-consent/"
    assert client_for(cast.recipient.user).post(url).status_code == 409
    response = client_for(cast.adviser).post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn" and response.json()["content_purged"]
    detail = client_for(cast.recipient.user).get(f"/api/v1/handovers/{handover.pk}/").json()
    assert detail["summary"] is None and detail["citizen"] is None
    assert client_for(cast.adviser).post(url).status_code == 409


def test_session_authentication_needs_csrf(cast):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.adviser)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/api/v1/handovers/", payload(cast), format="json").status_code == 403
    assert not Handover.objects.exists()


def test_schema_describes_every_endpoint_with_examples(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/me/",
        "/api/v1/contacts/",
        "/api/v1/handovers/",
        "/api/v1/handovers/{id}/",
        "/api/v1/handovers/{id}/transitions/",
        "/api/v1/handovers/{id}/withdraw-consent/",
    ):
        assert path in paths, path
    assert not any(p.startswith("/admin/") for p in paths)
    create = paths["/api/v1/handovers/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    for path in paths:
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/partner/"):
            continue
        if path.startswith(("/api/v1/search", "/api/v1/health")):
            continue
        for method, operation in paths[path].items():
            bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
            examples = [
                name
                for body in bodies
                for media in body.get("content", {}).values()
                for name in media.get("examples", {})
            ]
            assert examples, f"{method.upper()} {path} has no example"
    assert "409" in paths["/api/v1/handovers/{id}/transitions/"]["post"]["responses"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_due_date_of_an_urgent_handover_is_one_working_day(cast):
    created = client_for(cast.adviser).post("/api/v1/handovers/", payload(cast), format="json")
    due = dt.datetime.fromisoformat(created.json()["due_at"])
    assert timezone.now() < due <= timezone.now() + dt.timedelta(days=5)
