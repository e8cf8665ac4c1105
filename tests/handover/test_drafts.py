"""Drafts: kept for the sender alone, completed and sent later, or thrown away; and the
recipient picker for a county's worth of contacts."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.handover import services
from lotse.handover.models import AuditEntry, Handover, HandoverContent, OutboxMessage, Status
from tests import factories

from .conftest import CITIZEN_NAME, SECRETS, SUMMARY
from .test_admin import form_data

pytestmark = pytest.mark.django_db


def save_draft(client, cast, **data):
    values = {"offer": cast.offer.pk, "summary": SUMMARY, "citizen_name": CITIZEN_NAME}
    values.update(data)
    return client.post(reverse("handovers:add"), {**values, "save_draft": "1"})


def test_a_draft_is_the_senders_alone_until_it_is_sent(client, cast):
    client.force_login(cast.adviser)
    saved = save_draft(client, cast, recipient=cast.recipient.pk)
    draft = Handover.objects.get()
    assert saved.status_code == 302 and saved.url == reverse("handovers:detail", args=[draft.pk])
    assert draft.status == Status.DRAFT and draft.consent is None and draft.due_at is None
    assert draft.recipient == cast.recipient and list(draft.topics.all()) == [cast.topic]
    assert HandoverContent.objects.get().summary == SUMMARY
    assert not OutboxMessage.objects.exists() and not mail.outbox
    assert services.process_deadlines(timezone.now() + dt.timedelta(days=30)) == 0
    mine = client.get(reverse("handovers:sent")).content.decode()
    assert reverse("handovers:detail", args=[draft.pk]) in mine
    detail = client.get(reverse("handovers:detail", args=[draft.pk])).content.decode()
    assert SUMMARY in detail and reverse("handovers:edit", args=[draft.pk]) in detail

    # Named as recipient or deputy, nobody sees a draft; the county sees its metadata only.
    for user in (cast.recipient.user, cast.deputy.user, cast.colleague, cast.same_org.user):
        client.force_login(user)
        assert client.get(reverse("handovers:detail", args=[draft.pk])).status_code == 404
        inbox = client.get(reverse("handovers:inbox")).content.decode()
        assert reverse("handovers:detail", args=[draft.pk]) not in inbox
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(f"/api/v1/handovers/{draft.pk}/").status_code == 404
        assert draft.pk not in {h["id"] for h in api.get("/api/v1/handovers/").json()}
        with pytest.raises(services.TransitionNotAllowed):
            services.transition(user, draft, "accept")
    client.force_login(cast.coordinator)
    detail = client.get(reverse("handovers:detail", args=[draft.pk])).content.decode()
    assert not [secret for secret in SECRETS if secret in detail]


def test_completing_a_draft_sends_it_with_consent(client, cast):
    client.force_login(cast.adviser)
    save_draft(client, cast)
    draft = Handover.objects.get()
    assert draft.recipient is None
    edit = client.get(reverse("handovers:edit", args=[draft.pk])).content.decode()
    assert SUMMARY in edit and CITIZEN_NAME in edit
    assert AuditEntry.objects.filter(action="content_read", handover_id=draft.pk).exists()

    # Without consent it stays a draft.
    refused = client.post(
        reverse("handovers:edit", args=[draft.pk]), form_data(cast, method="", purpose="")
    )
    assert refused.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.consent is None

    sent = client.post(reverse("handovers:edit", args=[draft.pk]), form_data(cast))
    assert sent.status_code == 302
    handover = Handover.objects.get()
    assert handover.pk == draft.pk and handover.status == Status.SENT
    assert handover.consent.recipient_organisation == cast.awo and handover.due_at
    assert [m.to for m in OutboxMessage.objects.all()] == ["rita@awo.example"]
    actions = AuditEntry.objects.filter(handover_id=handover.pk).values_list("action", flat=True)
    assert list(actions)[-1] == "sent"
    # Sent is sent: no second sending, no editing.
    assert client.get(reverse("handovers:edit", args=[draft.pk])).status_code == 302
    with pytest.raises(services.TransitionNotAllowed):
        services.create_handover(
            cast.adviser,
            recipient=cast.recipient,
            summary=SUMMARY,
            citizen={"name": CITIZEN_NAME, "phone": "1"},
            consent=factories.handover_consent(),
            draft=handover,
        )


def test_only_the_sender_edits_or_deletes_a_draft(client, cast):
    client.force_login(cast.adviser)
    save_draft(client, cast, recipient=cast.recipient.pk)
    draft = Handover.objects.get()
    for user in (cast.colleague, cast.recipient.user, cast.coordinator):
        client.force_login(user)
        client.post(reverse("handovers:discard", args=[draft.pk]))
        client.post(reverse("handovers:edit", args=[draft.pk]), form_data(cast))
        assert Handover.objects.get().status == Status.DRAFT
    client.force_login(cast.adviser)
    assert client.post(reverse("handovers:discard", args=[draft.pk])).status_code == 302
    assert not Handover.objects.exists() and not HandoverContent.objects.exists()
    assert AuditEntry.objects.filter(action="draft_discarded", handover_id=draft.pk).exists()


def test_forgotten_drafts_are_deleted_after_the_retention_period(cast, settings):
    settings.LOTSE_HANDOVER_RETENTION_DAYS = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.save_draft(cast.adviser, summary=SUMMARY, citizen={"name": CITIZEN_NAME})
    with time_machine.travel(start + dt.timedelta(days=29), tick=False):
        services.purge_due_content()
        assert Handover.objects.filter(status=Status.DRAFT).exists()
    with time_machine.travel(start + dt.timedelta(days=31), tick=False):
        services.purge_due_content()
        assert not Handover.objects.exists() and not HandoverContent.objects.exists()


def test_the_recipient_list_is_grouped_by_organisation_and_filterable(client, cast):
    for number in range(150):
        organisation = cast.awo if number % 2 else cast.diakonie
        user = factories.UserFactory(username=f"contact{number}")
        factories.PersonFactory(organisation=organisation, user=user, name=f"Kontakt {number:03}")
    client.force_login(cast.adviser)
    page = client.get(reverse("handovers:add")).content.decode()
    assert page.count("<optgroup") == 2
    assert '<optgroup label="AWO Lahnfeld">' in page
    assert '<optgroup label="Diakonie Lahnfeld">' in page
    awo_group = page.split('<optgroup label="AWO Lahnfeld">')[1].split("</optgroup>")[0]
    assert "Kontakt 001" in awo_group and "Kontakt 000" not in awo_group
    # The filter is labelled, announces its result, and only appears with JavaScript.
    assert 'aria-controls="id_recipient"' in page and 'for="recipient-filter"' in page
    assert "lotse_handover/recipient-filter.js" in page
    assert '<div class="w-field__wrapper" hidden>' in page
