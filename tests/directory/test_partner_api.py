"""Partner API: partners' systems sync their offers through the same review as the admin."""

import io
import logging
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from rest_framework.test import APIClient
from wagtail.models import APIToken, PageLogEntry, Revision, TaskState, WorkflowState

from lotse.directory import services
from lotse.directory.models import OfferLocation, OfferPage, OpeningHours
from lotse.network.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

Role = Membership.Role
OFFERS = "/api/v1/partner/offers/"


def member(username, role, organisation):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return get_user_model().objects.get(pk=user.pk)


def client_for(user, language="en"):
    """Token authentication, as a partner's own system uses it."""
    client = APIClient()
    token = factories.api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE=language)
    return client


def detail(offer):
    return f"{OFFERS}{offer.hsds_id}/"


@pytest.fixture
def p(directory):
    """Partner A (reviewed), partner B, a trusted partner T, the county and shared terms."""
    a = factories.make_organisation_page(factories.OrganisationFactory(name="AWO Lahnfeld"))
    b = factories.make_organisation_page(factories.OrganisationFactory(name="Caritas Lahnfeld"))
    t = factories.make_organisation_page(
        factories.OrganisationFactory(name="Kreisverwaltung", trusted=True)
    )
    county = factories.OrganisationFactory(name="Sozialbüro")
    location_a = factories.LocationFactory(organisation=a.organisation, name="AWO-Haus")
    location_b = factories.LocationFactory(organisation=b.organisation, name="Caritas-Haus")
    location_t = factories.LocationFactory(organisation=t.organisation, name="Kreishaus")
    topic = factories.TopicFactory(name="Schulden")
    ns = SimpleNamespace(
        a=a,
        b=b,
        t=t,
        location_a=location_a,
        location_b=location_b,
        location_t=location_t,
        person_a=factories.PersonFactory(organisation=a.organisation, name="Anna AWO"),
        person_b=factories.PersonFactory(organisation=b.organisation, name="Bea Caritas"),
        person_t=factories.PersonFactory(organisation=t.organisation, name="Tom Kreis"),
        topic=topic,
        other_topic=factories.TopicFactory(name="Wohnen"),
        group=factories.TargetGroupFactory(name="Familien"),
        area=factories.SocialAreaFactory(name="Lahnfeld"),
        german=factories.LanguageFactory(code="de", name="Deutsch"),
        turkish=factories.LanguageFactory(code="tr", name="Türkisch"),
        editor_a=member("redaktion-a", Role.EDITOR, a.organisation),
        editor_b=member("redaktion-b", Role.EDITOR, b.organisation),
        editor_t=member("redaktion-t", Role.EDITOR, t.organisation),
        coordinator=member("koordination", Role.COORDINATOR, county),
        adviser=member("beratung", Role.ADVISER, county),
        contact_a=member("kontakt-a", Role.CONTACT, a.organisation),
    )
    ns.offer_a = factories.make_offer(
        a,
        title="Schuldnerberatung AWO",
        topics=[topic],
        locations=[location_a],
        hours=[{**factories.WEEKDAY_HOURS, "location": 0}],
    )
    ns.offer_b = factories.make_offer(b, title="Schuldnerberatung Caritas", topics=[topic])
    ns.offer_t = factories.make_offer(
        t, title="Wohngeldstelle", topics=[topic], locations=[location_t]
    )
    return ns


def payload(p, location=None, person=None, **overrides):
    location = location or p.location_a
    data = {
        "title": "Mietschuldenberatung",
        "summary": "Hilfe, wenn die Miete nicht mehr reicht.",
        "description": "<p>Wir beraten <b>vertraulich</b>.</p>",
        "topics": [str(p.topic.hsds_id)],
        "target_groups": [str(p.group.hsds_id)],
        "languages": ["de", "tr"],
        "service_areas": [str(p.area.hsds_id)],
        "handover_contact": str((person or p.person_a).hsds_id),
        "phone": "06441 4070",
        "locations": [{"location": str(location.hsds_id), "note": "Raum 2"}],
        "opening_hours": [
            {
                "kind": "in_person",
                "location": str(location.hsds_id),
                "weekdays": ["MO", "WE"],
                "opens_at": "09:00",
                "closes_at": "12:00",
            },
            {"kind": "phone", "weekdays": ["TH"], "opens_at": "14:00", "closes_at": "16:00"},
        ],
    }
    data.update(overrides)
    return data


def snapshot():
    """Everything a write could touch."""
    return {
        "pages": list(
            OfferPage.objects.order_by("pk").values_list(
                "pk", "title", "summary", "live", "has_unpublished_changes", "latest_revision_id"
            )
        ),
        "revisions": Revision.objects.count(),
        "workflows": list(WorkflowState.objects.values_list("pk", "status")),
        "places": list(OfferLocation.objects.values_list("pk", "offer_id", "location_id", "note")),
        "hours": list(OpeningHours.objects.values_list("pk", "offer_id", "opens_at")),
        "log": PageLogEntry.objects.count(),
    }


def workflow_state(offer):
    return WorkflowState.objects.filter(object_id=str(offer.pk)).order_by("pk").last()


# Creating offers


def test_untrusted_partner_creates_an_offer_that_waits_for_review(client, p):
    response = client_for(p.editor_a).post(OFFERS, payload(p), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    offer = OfferPage.objects.get(hsds_id=body["id"])
    assert body["status"] == "in_review"
    assert body["live"] is False and body["url"] is None
    assert body["revision_id"] == offer.latest_revision_id
    assert body["organisation"] == str(p.a.organisation.hsds_id)
    assert offer.get_parent().pk == p.a.pk
    assert offer.organisation_id == p.a.organisation_id
    assert offer.owner == p.editor_a
    assert not offer.live
    state = workflow_state(offer)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == services.REVIEW_WORKFLOW_NAME
    assert state.requested_by == p.editor_a
    # What was sent comes back, relations by their stable ids.
    assert body["title"] == "Mietschuldenberatung"
    assert body["slug"] == "mietschuldenberatung"
    assert body["topics"] == [str(p.topic.hsds_id)]
    assert sorted(body["languages"]) == ["de", "tr"]
    assert body["handover_contact"] == str(p.person_a.hsds_id)
    assert body["locations"] == [{"location": str(p.location_a.hsds_id), "note": "Raum 2"}]
    assert [h["kind"] for h in body["opening_hours"]] == ["in_person", "phone"]
    assert body["opening_hours"][0]["opens_at"] == "09:00"
    assert body["opening_hours"][0]["weekdays"] == ["MO", "WE"]
    assert list(offer.offer_locations.values_list("location", flat=True)) == [p.location_a.pk]
    # Nothing public yet.
    assert client.get(f"/{p.a.slug}/{offer.slug}/").status_code == 404


def test_trusted_partner_publishes_a_new_offer_at_once(client, p):
    response = client_for(p.editor_t).post(
        OFFERS, payload(p, location=p.location_t, person=p.person_t), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "published" and body["live"] is True
    offer = OfferPage.objects.get(hsds_id=body["id"])
    assert offer.live and not offer.has_unpublished_changes
    assert not WorkflowState.objects.filter(object_id=str(offer.pk)).exists()
    assert body["url"] == offer.url
    assert "Mietschuldenberatung" in client.get(offer.url).text
    assert offer.confirmed_at is not None, "publishing confirms the offer current"


def test_coordinators_name_the_organisation_and_publish(p):
    api = client_for(p.coordinator)
    missing = api.post(OFFERS, payload(p), format="json")
    assert missing.status_code == 400
    assert list(missing.json()) == ["organisation"]

    data = payload(p, organisation=str(p.a.organisation.hsds_id))
    response = api.post(OFFERS, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "published"
    assert OfferPage.objects.get(hsds_id=response.json()["id"]).get_parent().pk == p.a.pk


def test_a_partner_cannot_add_offers_to_another_organisation(p):
    before = snapshot()
    for organisation in (p.b.organisation.hsds_id, "0b0b0b0b-0000-4000-8000-000000000000"):
        data = payload(p, organisation=str(organisation))
        response = client_for(p.editor_a).post(OFFERS, data, format="json")
        assert response.status_code == 400
        assert response.json() == {"organisation": ["You cannot add offers to this organisation."]}
    assert snapshot() == before


def test_editors_of_several_organisations_say_which(p):
    factories.MembershipFactory(user=p.editor_a, organisation=p.b.organisation, role=Role.EDITOR)
    api = client_for(p.editor_a)
    assert api.post(OFFERS, payload(p), format="json").status_code == 400
    data = payload(p, organisation=str(p.a.organisation.hsds_id))
    assert api.post(OFFERS, data, format="json").status_code == 201


def test_a_taken_slug_gets_a_number_unless_it_was_asked_for(p):
    api = client_for(p.editor_a)
    first = api.post(OFFERS, payload(p), format="json").json()
    second = api.post(OFFERS, payload(p), format="json").json()
    assert (first["slug"], second["slug"]) == ("mietschuldenberatung", "mietschuldenberatung-2")

    before = snapshot()
    response = api.post(OFFERS, payload(p, slug="mietschuldenberatung"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["slug"]
    assert snapshot() == before


# Changing offers


def test_untrusted_change_waits_for_review_and_the_public_page_stays(client, p):
    offer = p.offer_a
    public_before = client.get(offer.url)
    assert "Schuldnerberatung AWO" in public_before.text

    response = client_for(p.editor_a).put(detail(offer), payload(p), format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_review" and body["live"] is True
    assert body["title"] == "Mietschuldenberatung"
    assert body["id"] == str(offer.hsds_id)
    live = OfferPage.objects.get(pk=offer.pk)
    assert live.title == "Schuldnerberatung AWO", "the live content is unchanged"
    assert live.has_unpublished_changes
    assert body["revision_id"] == live.latest_revision_id != offer.latest_revision_id
    assert list(live.opening_hours.values_list("opens_at", flat=True)) == [
        factories.WEEKDAY_HOURS["opens_at"]
    ]
    public_after = client.get(offer.url)
    assert public_after.content == public_before.content
    assert workflow_state(offer).status == WorkflowState.STATUS_IN_PROGRESS
    entry = PageLogEntry.objects.filter(page=offer, action="wagtail.edit").latest("pk")
    assert entry.user == p.editor_a and entry.revision_id == live.latest_revision_id

    # The coordination approves it as any admin edit, and then it is public.
    task_state = workflow_state(offer).current_task_state.specific
    task_state.task.specific.on_action(task_state, p.coordinator, "approve")
    live.refresh_from_db()
    assert live.title == "Mietschuldenberatung" and not live.has_unpublished_changes
    assert "Mietschuldenberatung" in client.get(live.url).text
    assert client_for(p.editor_a).get(detail(offer)).json()["status"] == "published"


def test_trusted_change_is_published(client, p):
    data = payload(p, location=p.location_t, person=p.person_t, title="Wohngeld und Lastenzuschuss")
    response = client_for(p.editor_t).put(detail(p.offer_t), data, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    live = OfferPage.objects.get(pk=p.offer_t.pk)
    assert live.title == "Wohngeld und Lastenzuschuss" and not live.has_unpublished_changes
    assert "Wohngeld und Lastenzuschuss" in client.get(live.url).text


def test_coordinators_publish_changes_of_any_partner(p):
    response = client_for(p.coordinator).put(detail(p.offer_a), payload(p), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert OfferPage.objects.get(pk=p.offer_a.pk).title == "Mietschuldenberatung"


def test_patch_changes_only_the_given_fields(p):
    api = client_for(p.editor_a)
    response = api.patch(detail(p.offer_a), {"summary": "Neu: auch samstags."}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == "Neu: auch samstags."
    assert body["title"] == "Schuldnerberatung AWO"
    assert body["topics"] == [str(p.topic.hsds_id)]
    assert body["locations"] == [{"location": str(p.location_a.hsds_id), "note": ""}]
    assert body["opening_hours"][0]["weekdays"] == ["MO", "TU", "FR"]
    assert body["status"] == "in_review"
    content = OfferPage.objects.get(pk=p.offer_a.pk).get_latest_revision_as_object()
    assert content.summary == "Neu: auch samstags." and content.title == "Schuldnerberatung AWO"


def test_put_resets_left_out_optional_fields(p):
    api = client_for(p.editor_t)
    full = payload(p, location=p.location_t, person=p.person_t, website="https://example.org/")
    assert api.put(detail(p.offer_t), full, format="json").json()["website"] == (
        "https://example.org/"
    )
    minimal = {"title": "Wohngeldstelle", "summary": "Kurz.", "topics": [str(p.topic.hsds_id)]}
    body = api.put(detail(p.offer_t), minimal, format="json").json()
    assert body["website"] == "" and body["languages"] == [] and body["opening_hours"] == []
    assert body["handover_contact"] is None


def test_places_kept_by_a_change_keep_their_ids(p):
    kept = p.offer_a.offer_locations.get()
    response = client_for(p.coordinator).put(detail(p.offer_a), payload(p), format="json")
    assert response.status_code == 200
    row = OfferLocation.objects.get(offer=p.offer_a)
    assert (row.pk, row.hsds_id, row.note) == (kept.pk, kept.hsds_id, "Raum 2")


def test_sending_the_same_content_again_writes_nothing(p):
    api = client_for(p.editor_a)
    first = api.put(detail(p.offer_a), payload(p), format="json").json()
    before = snapshot()
    again = api.put(detail(p.offer_a), payload(p), format="json")
    assert again.status_code == 200
    assert again.json()["revision_id"] == first["revision_id"]
    assert again.json()["status"] == "in_review"
    assert snapshot() == before
    # Nor does a GET sent straight back as a PUT.
    current = api.get(detail(p.offer_a)).json()
    assert api.put(detail(p.offer_a), current, format="json").status_code == 200
    assert snapshot() == before


def test_a_second_change_restarts_the_review_on_the_newest_version(p):
    api = client_for(p.editor_a)
    api.put(detail(p.offer_a), payload(p), format="json")
    first = workflow_state(p.offer_a)

    response = api.put(detail(p.offer_a), payload(p, title="Mietschulden"), format="json")

    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.status == WorkflowState.STATUS_CANCELLED
    second = workflow_state(p.offer_a)
    assert second.pk != first.pk and second.status == WorkflowState.STATUS_IN_PROGRESS
    assert second.current_task_state.revision_id == response.json()["revision_id"]
    assert WorkflowState.objects.filter(object_id=str(p.offer_a.pk)).active().count() == 1


def test_a_review_someone_else_asked_for_is_not_taken_over(p):
    colleague = member("redaktion-a2", Role.EDITOR, p.a.organisation)
    client_for(colleague).put(detail(p.offer_a), payload(p), format="json")
    before = snapshot()

    response = client_for(p.editor_a).put(
        detail(p.offer_a), payload(p, title="Anders"), format="json"
    )

    assert response.status_code == 409
    assert "reviewing" in response.json()["detail"]
    assert snapshot() == before


def test_a_rejected_change_is_resubmitted_to_the_same_review(p):
    api = client_for(p.editor_a)
    api.put(detail(p.offer_a), payload(p), format="json")
    state = workflow_state(p.offer_a)
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(
        task_state, p.coordinator, "reject", comment="Bitte Zeiten prüfen."
    )
    assert api.get(detail(p.offer_a)).json()["status"] == "changes_requested"

    response = api.put(detail(p.offer_a), payload(p, title="Korrigiert"), format="json")

    assert response.json()["status"] == "in_review"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert state.current_task_state.pk != task_state.pk


def test_a_page_locked_by_someone_else_answers_409(p):
    offer = OfferPage.objects.get(pk=p.offer_a.pk)
    offer.locked, offer.locked_by = True, p.coordinator
    offer.save()
    before = snapshot()
    response = client_for(p.editor_a).put(detail(offer), payload(p), format="json")
    assert response.status_code == 409
    assert snapshot() == before


def test_a_draft_offer_is_changed_and_submitted(p):
    draft = factories.make_offer(p.a, title="Entwurf", topics=[p.topic], publish=False)
    response = client_for(p.editor_a).put(detail(draft), payload(p), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    draft.refresh_from_db()
    assert not draft.live and draft.title == "Mietschuldenberatung"
    assert list(draft.opening_hours.values_list("kind", flat=True)) == ["in_person", "phone"]


def test_rich_text_keeps_only_what_the_editor_allows(p):
    html = '<p onclick="x()">Hallo <script>alert(1)</script><a href="javascript:x()">a</a></p>'
    response = client_for(p.editor_t).put(
        detail(p.offer_t),
        payload(p, location=p.location_t, person=p.person_t, description=html),
        format="json",
    )
    stored = OfferPage.objects.get(pk=p.offer_t.pk).description
    assert response.status_code == 200
    assert "<script" not in stored and "onclick" not in stored and "javascript:" not in stored
    assert "Hallo" in stored


# Reading


def test_the_list_holds_only_the_users_own_offers(p):
    response = client_for(p.editor_a).get(OFFERS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == str(p.offer_a.hsds_id)
    assert item["title"] == "Schuldnerberatung AWO"
    assert item["status"] == "published" and item["url"] == p.offer_a.url
    assert "Caritas" not in response.text and "Wohngeld" not in response.text


def test_the_list_is_paginated(p):
    for number in range(3):
        factories.make_offer(p.a, title=f"Angebot {number}", topics=[p.topic])
    api = client_for(p.editor_a)
    first = api.get(OFFERS, {"page_size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    ids = {item["id"] for item in first["results"] + second["results"]}
    assert len(ids) == 4


def test_the_detail_shows_the_newest_version(p):
    api = client_for(p.editor_a)
    api.patch(detail(p.offer_a), {"title": "Neuer Titel"}, format="json")
    body = api.get(detail(p.offer_a)).json()
    assert body["title"] == "Neuer Titel" and body["status"] == "in_review"
    assert body["organisation"] == str(p.a.organisation.hsds_id)


# Who may do what


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_another_organisations_offer_is_not_found_like_an_unknown_one(p, method):
    api = client_for(p.editor_a)
    before = snapshot()
    other = getattr(api, method)(detail(p.offer_b), payload(p), format="json")
    unknown = getattr(api, method)(
        f"{OFFERS}0b0b0b0b-0000-4000-8000-000000000000/", payload(p), format="json"
    )
    garbage = getattr(api, method)(f"{OFFERS}not-an-id/", payload(p), format="json")
    assert other.status_code == unknown.status_code == garbage.status_code == 404
    assert other.json() == unknown.json() == garbage.json()
    assert "Caritas" not in other.text
    assert snapshot() == before


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(p):
    before = snapshot()
    anonymous = APIClient()
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    for api in (anonymous, wrong):
        for response in (
            api.get(OFFERS),
            api.post(OFFERS, payload(p), format="json"),
            api.get(detail(p.offer_a)),
            api.put(detail(p.offer_a), payload(p), format="json"),
            api.patch(detail(p.offer_a), {"title": "x"}, format="json"),
        ):
            assert response.status_code == 401
            assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.parametrize("who", ["adviser", "contact_a", "nobody", "inactive"])
def test_users_who_edit_no_offers_are_refused(p, who):
    if who == "nobody":
        user = factories.UserFactory(username="niemand")
    elif who == "inactive":
        user = p.editor_a
    else:
        user = getattr(p, who)
    api = client_for(user)
    if who == "inactive":
        user.is_active = False
        user.save()
    before = snapshot()
    responses = [
        api.get(OFFERS),
        api.post(OFFERS, payload(p), format="json"),
        api.get(detail(p.offer_a)),
        api.put(detail(p.offer_a), payload(p), format="json"),
    ]
    # An inactive user's token is no longer accepted at all.
    expected = 401 if who == "inactive" else 403
    assert [r.status_code for r in responses] == [expected] * 4
    assert snapshot() == before


def test_tokens_never_reach_the_log(p, caplog):
    token = factories.api_token(p.editor_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with caplog.at_level(logging.DEBUG):
        api.put(detail(p.offer_a), payload(p), format="json")
        api.put(detail(p.offer_b), payload(p), format="json")
    assert token not in caplog.text


# Invalid data


def invalid_cases(p):
    """(what is wrong, the data, the field that must carry the error)."""
    hours = payload(p)["opening_hours"]
    return [
        ("no title", payload(p, title=""), "title"),
        ("no topic", payload(p, topics=[]), "topics"),
        ("unknown topic", payload(p, topics=["0b0b0b0b-0000-4000-8000-000000000000"]), "topics"),
        ("topic not a UUID", payload(p, topics=["Schulden"]), "topics"),
        ("unknown language", payload(p, languages=["xx"]), "languages"),
        ("contact of B", payload(p, person=p.person_b), "handover_contact"),
        ("place of B", payload(p, location=p.location_b), "locations"),
        (
            "hours at a place not listed",
            payload(p, locations=[], opening_hours=hours[:1]),
            "opening_hours",
        ),
        (
            "closes before it opens",
            payload(p, opening_hours=[{**hours[1], "closes_at": "13:00"}]),
            "opening_hours",
        ),
        (
            "monthly without week",
            payload(p, opening_hours=[{**hours[1], "frequency": "monthly"}]),
            "opening_hours",
        ),
        ("ages the wrong way round", payload(p, min_age=60, max_age=18), "max_age"),
        ("costs without description", payload(p, is_free=False), "fee_description"),
        ("bad e-mail", payload(p, email="nicht-mail"), "email"),
        ("summary too long", payload(p, summary="x" * 301), "summary"),
        (
            "same place twice",
            payload(p, locations=payload(p)["locations"] * 2),
            "locations",
        ),
        ("unknown field", payload(p, colour="blau"), "colour"),
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_invalid_data_gets_field_errors_and_changes_nothing(p, method):
    api = client_for(p.editor_a)
    url = OFFERS if method == "post" else detail(p.offer_a)
    for case, data, field in invalid_cases(p):
        before = snapshot()
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 400, (case, response.content)
        assert field in response.json(), (case, response.json())
        assert snapshot() == before, case


def test_nested_errors_point_at_the_item(p):
    hours = payload(p)["opening_hours"]
    data = payload(p, opening_hours=[hours[0], {**hours[1], "closes_at": "13:00"}])
    response = client_for(p.editor_a).put(detail(p.offer_a), data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "opening_hours": [{}, {"closes_at": ["Closing time must be after opening time."]}]
    }


def test_model_rules_hold_for_coordinators_too(p):
    """Coordinators may choose anything, but an offer's places and contact are its own."""
    data = payload(p, location=p.location_b, person=p.person_b)
    before = snapshot()
    response = client_for(p.coordinator).put(detail(p.offer_a), data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["handover_contact"] == [
        "The handover contact must work for the organisation that makes this offer."
    ]
    assert errors["locations"] == [{"location": ["This place belongs to another organisation."]}]
    assert snapshot() == before


def test_error_messages_follow_the_language(p):
    response = client_for(p.editor_a, language="de").put(
        detail(p.offer_a), payload(p, min_age=60, max_age=18), format="json"
    )
    assert response.json()["max_age"] == [
        "Das Höchstalter kann nicht unter dem Mindestalter liegen."
    ]


def test_an_offer_does_not_move_to_another_organisation(p):
    data = payload(p, organisation=str(p.b.organisation.hsds_id))
    before = snapshot()
    response = client_for(p.coordinator).put(detail(p.offer_a), data, format="json")
    assert response.status_code == 400 and list(response.json()) == ["organisation"]
    assert snapshot() == before


# OpenAPI


def test_the_schema_describes_the_partner_api_with_examples(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths[OFFERS]) >= {"get", "post"}
    assert set(paths[OFFERS + "{hsds_id}/"]) >= {"get", "put", "patch"}
    for path, method in [
        (OFFERS, "post"),
        (OFFERS + "{hsds_id}/", "put"),
        (OFFERS + "{hsds_id}/", "patch"),
    ]:
        operation = paths[path][method]
        assert operation["tags"] == ["Partner"]
        assert {"tokenAuth": []} in operation["security"]
        assert operation["requestBody"]["content"]["application/json"]["examples"]
        success = "201" if method == "post" else "200"
        assert operation["responses"][success]["content"]["application/json"]["examples"]
        assert "400" in operation["responses"]
    assert "404" in paths[OFFERS + "{hsds_id}/"]["put"]["responses"]
    assert "409" in paths[OFFERS + "{hsds_id}/"]["put"]["responses"]
    offer = schema["components"]["schemas"]["PartnerOffer"]["properties"]
    assert {"id", "status", "revision_id", "opening_hours", "locations"} <= set(offer)
    assert schema["components"]["schemas"]["OfferStatusEnum"]["enum"] == [
        "published",
        "in_review",
        "changes_requested",
        "draft",
    ]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


# Tokens


def test_create_partner_token_prints_a_new_working_token(p):
    out = io.StringIO()
    call_command("create_partner_token", "redaktion-a", stdout=out)
    key = out.getvalue().strip()
    (row,) = APIToken.objects.filter(user=p.editor_a)
    assert key.startswith(row.prefix) and key not in (row.key_hash, row.prefix)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(OFFERS).status_code == 200

    call_command("create_partner_token", "redaktion-a", stdout=io.StringIO())
    assert api.get(OFFERS).status_code == 401, "a new token replaces the old one"
    assert APIToken.objects.filter(user=p.editor_a, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("username", ["unbekannt", "beratung", "kontakt-a"])
def test_create_partner_token_refuses_unknown_users_and_non_editors(p, username):
    with pytest.raises(CommandError) as error:
        call_command("create_partner_token", username, stdout=io.StringIO())
    assert username in str(error.value) and "\n" not in str(error.value)
    assert not APIToken.objects.filter(user__username=username).exists()


def test_create_partner_token_exits_non_zero_with_one_line(p, capsys):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "create_partner_token", "beratung"])
    assert exit_.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().count("\n") == 0 and "beratung" in captured.err


def test_an_offer_written_in_the_admin_syncs_back_unchanged(p):
    """The editor's HTML (block keys) comes back as the public sees it; no new revision."""
    offer = OfferPage.objects.get(pk=p.offer_a.pk)
    offer.description = '<p data-block-key="a1b2c">Wir <b>helfen</b>.</p>'
    offer.save_revision(user=p.coordinator).publish()
    api = client_for(p.editor_a)
    current = api.get(detail(offer)).json()
    assert current["description"] == '<p data-block-key="a1b2c">Wir <b>helfen</b>.</p>'
    before = snapshot()
    assert api.put(detail(offer), current, format="json").status_code == 200
    assert snapshot() == before
