"""Service rules: consent required, transitions, reading, withdrawal, alternatives."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotse.handover import services
from lotse.handover.models import (
    AuditEntry,
    Consent,
    Handover,
    HandoverContent,
    OutboxMessage,
    Status,
)
from lotse.network import contacts, permissions
from tests import factories

from .conftest import SUMMARY

pytestmark = pytest.mark.django_db


def test_create_stores_consent_content_and_tells_only_the_recipient(cast, handover):
    assert handover.status == Status.SENT
    assert handover.recipient_organisation == cast.awo
    assert handover.sender_organisation == cast.county
    assert list(handover.topics.all()) == [cast.topic]
    consent = handover.consent
    assert consent.recipient_organisation == cast.awo
    assert consent.recipient_person == cast.recipient
    assert consent.text_version == services.CONSENT_TEXT_VERSION
    assert "AWO Lahnfeld" in consent.text and "Schuldnerberatung" in consent.text
    assert consent.data_categories == ["contact", "finances", "housing"]
    assert HandoverContent.objects.get(handover=handover).summary == SUMMARY
    messages = OutboxMessage.objects.filter(handover=handover)
    assert [m.to for m in messages] == ["rita@awo.example"]
    assert messages[0].kind == "waiting"
    assert list(AuditEntry.objects.of_handovers().values_list("action", flat=True)) == ["created"]


@pytest.mark.parametrize(
    "field, value, key",
    [
        ("method", "", "consent.method"),
        ("purpose", " ", "consent.purpose"),
        ("data_categories", [], "consent.data_categories"),
        ("valid_until", None, "consent.valid_until"),
        ("given_at", None, "consent.given_at"),
    ],
)
def test_incomplete_consent_stores_nothing(cast, field, value, key):
    consent = factories.handover_consent(**{field: value})
    with pytest.raises(ValidationError) as error:
        factories.make_handover(cast.adviser, cast.recipient, consent=consent)
    assert key in error.value.message_dict
    assert not Handover.objects.exists() and not Consent.objects.exists()
    assert not AuditEntry.objects.of_handovers().exists() and not OutboxMessage.objects.exists()


def test_verbal_consent_needs_the_advisers_declaration(cast):
    consent = factories.handover_consent(method="verbal_documented")
    with pytest.raises(ValidationError) as error:
        factories.make_handover(cast.adviser, cast.recipient, consent=consent)
    assert "consent.adviser_declaration" in error.value.message_dict
    consent["adviser_declaration"] = True
    assert factories.make_handover(cast.adviser, cast.recipient, consent=consent).pk


def test_expired_consent_and_future_consent_are_refused(cast):
    for consent in (
        factories.handover_consent(valid_until=timezone.localdate() - dt.timedelta(days=1)),
        factories.handover_consent(given_at=timezone.now() + dt.timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            factories.make_handover(cast.adviser, cast.recipient, consent=consent)
    assert not Handover.objects.exists()


def test_only_advisers_send_and_only_to_people_who_can_read(cast):
    with pytest.raises(PermissionDenied):
        factories.make_handover(cast.recipient.user, cast.other_org)
    person_without_account = factories.PersonFactory(organisation=cast.awo)
    with pytest.raises(ValidationError) as error:
        factories.make_handover(cast.adviser, person_without_account)
    assert "recipient" in error.value.message_dict
    cast.same_org.accepts_handovers = False
    cast.same_org.save()
    with pytest.raises(ValidationError):
        factories.make_handover(cast.adviser, cast.same_org)


def test_database_refuses_a_sent_handover_without_consent(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.create(status=Status.SENT, sender=cast.adviser, recipient=cast.recipient)
    draft = Handover.objects.create(status=Status.DRAFT, sender=cast.adviser)
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=draft.pk).update(status=Status.ACCEPTED)
    assert Handover.objects.get(pk=draft.pk).status == Status.DRAFT


def test_database_refuses_an_incomplete_consent(handover):
    consent = handover.consent
    for values in (
        {"method": "nodded"},
        {"data_categories": []},
        {"text_version": ""},
        {"text_language": ""},
        {"method": "verbal_documented", "adviser_declaration": False},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Consent.objects.filter(pk=consent.pk).update(**values)
    consent.refresh_from_db()
    assert consent.method == "written" and consent.data_categories


def test_database_refuses_decline_without_reason_and_close_without_outcome(handover):
    for values in ({"status": "declined"}, {"status": "closed"}, {"status": "in_contact"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Handover.objects.filter(pk=handover.pk).update(**values)


def test_lifecycle_and_who_may_act(cast, handover):
    with pytest.raises(services.TransitionNotAllowed) as refused:
        services.transition(cast.adviser, handover, "accept")
    assert refused.value.code == "user"
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(cast.same_org.user, handover, "accept")
    with pytest.raises(services.TransitionNotAllowed) as refused:
        services.transition(cast.recipient.user, handover, "contact", contact_date=dt.date.today())
    assert refused.value.code == "status"
    services.transition(cast.recipient.user, handover, "open")
    services.transition(cast.deputy.user, handover, "accept")
    with pytest.raises(ValidationError):
        services.transition(cast.recipient.user, handover, "contact")
    services.transition(cast.recipient.user, handover, "contact", contact_date=dt.date.today())
    with pytest.raises(ValidationError):
        services.transition(cast.recipient.user, handover, "close", outcome="nonsense")
    services.transition(cast.recipient.user, handover, "close", outcome="helped")
    handover.refresh_from_db()
    assert handover.status == Status.CLOSED and handover.outcome == "helped"
    assert handover.finished_at is not None and handover.next_step_at is None
    actions = list(
        AuditEntry.objects.of_handovers().values_list("action", "from_status", "to_status")
    )
    assert actions == [
        ("created", "", "sent"),
        ("open", "sent", "opened"),
        ("accept", "opened", "accepted"),
        ("contact", "accepted", "in_contact"),
        ("close", "in_contact", "closed"),
    ]
    # The adviser hears of each of the four changes; the recipient only of the handover.
    to_adviser = OutboxMessage.objects.filter(to=cast.adviser.email)
    assert to_adviser.count() == 4


def test_reading_content_is_audited_and_opens_for_the_recipient(cast, handover):
    content = services.read_content(cast.adviser, handover, mark_opened=True)
    assert content.summary == SUMMARY
    assert Handover.objects.get(pk=handover.pk).status == Status.SENT
    services.read_content(cast.deputy.user, handover, mark_opened=True)
    assert Handover.objects.get(pk=handover.pk).status == Status.OPENED
    for outsider in (cast.coordinator, cast.superuser, cast.same_org.user, cast.colleague):
        with pytest.raises(PermissionDenied):
            services.read_content(outsider, handover)
    reads = AuditEntry.objects.filter(action="content_read")
    assert sorted(reads.values_list("actor_id", flat=True)) == sorted(
        [cast.adviser.pk, cast.deputy.user.pk]
    )


def test_permissions_parties_and_metadata(cast, handover):
    parties = (cast.adviser, cast.recipient.user, cast.deputy.user)
    for user in parties:
        assert permissions.can(user, permissions.READ_CONTENT, handover)
        assert permissions.can(user, permissions.CHANGE, handover)
    for user in (cast.coordinator, cast.superuser):
        assert permissions.can(user, permissions.VIEW, handover)
        assert not permissions.can(user, permissions.READ_CONTENT, handover)
        assert not permissions.can(user, permissions.CHANGE, handover)
    for user in (cast.same_org.user, cast.other_org.user, cast.colleague):
        assert not any(
            permissions.can(user, action, handover)
            for action in (*permissions.ACTIONS, permissions.READ_CONTENT)
        )
    everything = Handover.objects.all()
    assert permissions.filter_queryset(cast.coordinator, "view", everything).count() == 1
    assert not permissions.filter_queryset(cast.coordinator, "read_content", everything)
    assert not permissions.filter_queryset(cast.same_org.user, "view", everything)
    assert permissions.filter_queryset(cast.deputy.user, "read_content", everything).count() == 1


def test_withdrawal_purges_closes_and_tells_the_recipient(cast, handover):
    with pytest.raises(services.TransitionNotAllowed):
        services.withdraw_consent(cast.recipient.user, handover)
    services.withdraw_consent(cast.adviser, handover)
    handover.refresh_from_db()
    assert handover.status == Status.WITHDRAWN and handover.content_purged_at
    assert not HandoverContent.objects.exists()
    assert handover.consent.withdrawn_at is not None
    assert OutboxMessage.objects.filter(kind="withdrawn", to="rita@awo.example").exists()
    assert services.read_content(cast.adviser, handover) is None
    with pytest.raises(services.TransitionNotAllowed):
        services.withdraw_consent(cast.adviser, handover)
    # Statistics stay.
    assert handover.recipient_organisation == cast.awo and list(handover.topics.all())


def test_decline_proposes_alternatives_and_rehandover_needs_covering_consent(cast, handover):
    other_page = factories.make_organisation_page(cast.diakonie)
    second_topic = factories.TopicFactory(name="Wohnen")
    best = factories.make_offer(
        other_page,
        topics=[cast.topic],
        title="Schuldnerberatung Diakonie",
        handover_contact=cast.other_org,
    )
    factories.make_offer(other_page, topics=[second_topic], title="Wohnberatung")
    factories.make_offer(other_page, topics=[cast.topic], title="Entwurf", publish=False)
    factories.make_offer(cast.awo_page, topics=[cast.topic], title="AWO again")
    services.transition(cast.recipient.user, handover, "decline", reason="no_capacity")
    found = services.alternatives(handover)
    assert [offer.title for offer in found] == ["Schuldnerberatung Diakonie"]
    # Another organisation: the old consent does not cover it.
    with pytest.raises(ValidationError) as error:
        services.rehandover(cast.adviser, handover, cast.other_org, offer=best)
    assert "consent" in error.value.message_dict
    again = services.rehandover(
        cast.adviser, handover, cast.other_org, offer=best, consent=factories.handover_consent()
    )
    assert again.previous == handover and again.consent.recipient_organisation == cast.diakonie
    assert services.read_content(cast.other_org.user, again).summary == SUMMARY
    # The same organisation: the consent is copied.
    services.transition(cast.other_org.user, again, "decline", reason="other")
    with pytest.raises(ValidationError):
        services.rehandover(cast.adviser, again, cast.same_org)
    third = services.rehandover(cast.adviser, handover, cast.same_org)
    assert third.consent.text == handover.consent.text and third.consent.pk != handover.consent_id


def test_alternatives_serve_the_same_area_or_the_whole_county(cast):
    county = factories.SocialAreaFactory(name="Landkreis", kind="county")
    here = factories.SocialAreaFactory(name="Wetzlar", parent=county)
    part = factories.SocialAreaFactory(name="Wetzlar-Nord", kind="social_area", parent=here)
    elsewhere = factories.SocialAreaFactory(name="Braunfels", parent=county)
    offer = factories.make_offer(
        cast.awo_page, topics=[cast.topic], title="AWO Wetzlar", service_areas=[here]
    )
    handover = factories.make_handover(cast.adviser, cast.recipient, offer=offer)
    services.transition(cast.recipient.user, handover, "decline", reason="no_capacity")
    other_page = factories.make_organisation_page(cast.diakonie)
    for title, areas in (
        ("Kreisweit", []),
        ("Ganzer Landkreis", [county]),
        ("Nur Wetzlar-Nord", [part]),
        ("Nur Braunfels", [elsewhere]),
    ):
        factories.make_offer(other_page, topics=[cast.topic], title=title, service_areas=areas)
    titles = {offer.title for offer in services.alternatives(handover)}
    assert titles == {"Kreisweit", "Ganzer Landkreis", "Nur Wetzlar-Nord"}


def test_withdrawal_covers_the_whole_case_and_tells_an_escalated_deputy(cast, handover):
    services.transition(cast.recipient.user, handover, "decline", reason="no_capacity")
    contacts.name_deputy(cast.same_org.user, cast.same_org, cast.deputy)
    again = services.rehandover(cast.adviser, handover, cast.same_org)
    Handover.objects.filter(pk=again.pk).update(escalated_at=timezone.now())
    services.withdraw_consent(cast.adviser, handover)
    assert not HandoverContent.objects.exists()
    again.refresh_from_db()
    handover.refresh_from_db()
    assert again.status == Status.WITHDRAWN and again.consent.withdrawn_at
    assert handover.status == Status.DECLINED and handover.content_purged_at
    told = set(OutboxMessage.objects.filter(kind="withdrawn").values_list("to", flat=True))
    assert told == {"rita@awo.example", cast.same_org.email, cast.deputy.email}
