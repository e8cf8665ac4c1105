"""The self-grant attacks of issue #13, through the real admin, API and e-mail link.

An AWO editor edits the named contact's Person in the admin and makes their own Person its
deputy; a Diakonie organisation admin links the contact to their own account. Neither may read
a single handover afterwards (past or new), the real recipient keeps reading, and the attempts
and every change of a contact's handover fields are in the hash-chained audit.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.handover import audit, services
from lotse.handover.models import AuditEntry, Handover, OutboxMessage
from lotse.network.models import Membership, Person
from tests import factories

from .conftest import CITIZEN_NAME, contact, member

pytestmark = pytest.mark.django_db

Role = Membership.Role
HANDOVERS = 6


def person_form(person, **changes):
    """The Person edit form's fields as the admin would post them back, with `changes`."""
    data = {
        "organisation": person.organisation_id,
        "name": person.name,
        "function": person.function,
        "phone": person.phone,
        "email": person.email,
        "languages": [language.pk for language in person.languages.all()],
        "user": person.user_id or "",
        "deputy": person.deputy_id or "",
    }
    if person.accepts_handovers:
        data["accepts_handovers"] = "on"
    data.update({key: "" if value is None else value for key, value in changes.items()})
    return data


def edit_person(actor, person, **changes):
    client = Client()
    client.force_login(actor)
    url = reverse("wagtailsnippets_lotse_network_person:edit", args=[person.pk])
    return client.post(url, person_form(person, **changes))


def reads(user, handovers):
    """How many of `handovers` show their content to `user`: admin page, API, e-mail link."""
    admin, api = Client(), APIClient()
    admin.force_login(user)
    api.force_authenticate(user)
    counts = {"admin": 0, "api": 0, "email link": 0, "inbox": 0}
    inbox = admin.get(reverse("handovers:inbox")).content.decode()
    for handover in handovers:
        detail = admin.get(reverse("handovers:detail", args=[handover.pk]))
        counts["admin"] += CITIZEN_NAME in detail.content.decode()
        content = api.get(f"/api/v1/handovers/{handover.pk}/")
        counts["api"] += content.status_code == 200 and CITIZEN_NAME in content.content.decode()
        message = OutboxMessage.objects.filter(handover=handover).order_by("pk").first()
        link = re.search(r"https?://\S+", message.body).group(0)
        path = link.split("://", 1)[1].split("/", 1)[1]
        followed = admin.get("/" + path, follow=True)
        counts["email link"] += CITIZEN_NAME in followed.content.decode()
        counts["inbox"] += reverse("handovers:detail", args=[handover.pk]) in inbox
    return counts


NONE = {"admin": 0, "api": 0, "email link": 0, "inbox": 0}


def every(n):
    return dict.fromkeys(NONE, n)


@pytest.fixture
def diakonie_contact(cast):
    return contact("dana", cast.diakonie, email="dana@diakonie.example")


def test_awo_editor_cannot_make_themselves_the_contacts_deputy(cast):
    editor = member("eddi", Role.EDITOR, cast.awo)
    own = factories.PersonFactory(organisation=cast.awo, user=editor, name="Eddi")
    past = [factories.make_handover(cast.adviser, cast.recipient) for _ in range(HANDOVERS)]
    assert reads(editor, past) == NONE

    response = edit_person(editor, cast.recipient, deputy=own.pk)

    assert response.status_code == 200  # the form again, with an error
    assert "Nur die Person selbst oder die Koordination" in response.content.decode()
    cast.recipient.refresh_from_db()
    assert cast.recipient.deputy_id == cast.deputy.pk
    new = [factories.make_handover(cast.adviser, cast.recipient) for _ in range(2)]
    assert reads(editor, past + new) == NONE
    assert reads(cast.recipient.user, past + new) == every(HANDOVERS + 2)
    assert reads(cast.deputy.user, past + new) == every(HANDOVERS + 2)


def test_diakonie_org_admin_cannot_link_the_contact_to_their_own_account(cast, diakonie_contact):
    admin = member("dirk", Role.ORG_ADMIN, cast.diakonie)
    real = diakonie_contact.user
    past = [factories.make_handover(cast.adviser, diakonie_contact) for _ in range(HANDOVERS)]

    response = edit_person(admin, diakonie_contact, user=admin.pk)

    assert response.status_code == 200
    diakonie_contact.refresh_from_db()
    assert diakonie_contact.user_id == real.pk
    assert reads(admin, past) == NONE
    assert reads(real, past) == every(HANDOVERS)


def test_a_changed_link_or_deputy_never_reaches_past_handovers(cast):
    """Even when the contact data does change (here by the coordination, or straight in the
    database), handovers sent before keep the accounts they were sent to."""
    editor = member("eddi", Role.EDITOR, cast.awo)
    own = factories.PersonFactory(organisation=cast.awo, user=editor, name="Eddi")
    admin = member("anna", Role.ORG_ADMIN, cast.awo)
    past = [factories.make_handover(cast.adviser, cast.recipient) for _ in range(HANDOVERS)]
    rita = cast.recipient.user

    # Straight in the database: nobody named this deputy, so it counts for nothing.
    Person.objects.filter(pk=cast.recipient.pk).update(deputy=own, deputy_named_by=None)
    assert reads(editor, past) == NONE
    cast.recipient.refresh_from_db()
    assert reads(editor, [factories.make_handover(cast.adviser, cast.recipient)]) == NONE

    # The coordination links the contact to another account: new handovers go there, past
    # ones stay with the account they were sent to.
    assert edit_person(cast.coordinator, cast.recipient, user=admin.pk).status_code == 302
    cast.recipient.refresh_from_db()
    assert cast.recipient.user_id == admin.pk
    assert reads(admin, past) == NONE
    assert reads(rita, past) == every(HANDOVERS)
    later = factories.make_handover(cast.adviser, cast.recipient)
    assert reads(admin, [later])["api"] == 1
    assert reads(rita, [later]) == NONE


def test_the_coordination_reassigns_open_handovers_explicitly_and_audited(cast):
    admin = member("anna", Role.ORG_ADMIN, cast.awo)
    rita = cast.recipient.user
    handover = factories.make_handover(cast.adviser, cast.recipient)
    assert edit_person(cast.coordinator, cast.recipient, user=admin.pk).status_code == 302

    client = Client()
    client.force_login(admin)
    url = reverse("handovers:reassign", args=[handover.pk])
    assert client.post(url).status_code == 404  # not even visible to them
    client.force_login(cast.recipient.user)
    assert client.post(url).status_code in (302, 403)
    handover.refresh_from_db()
    assert handover.recipient_user_id == rita.pk

    client.force_login(cast.coordinator)
    assert client.post(url).status_code == 302
    handover.refresh_from_db()
    assert handover.recipient_user_id == admin.pk
    assert reads(admin, [handover])["admin"] == 1
    assert reads(rita, [handover]) == NONE
    entry = AuditEntry.objects.filter(handover_id=handover.pk, action="reassigned").get()
    assert entry.actor_id == cast.coordinator.pk
    # The deputy was named by the previous account, not by the new one: it no longer counts.
    assert entry.detail == (
        f"recipient user {rita.pk} -> {admin.pk}; deputy user {cast.deputy.user_id} -> none"
    )
    assert audit.verify() is None


def test_every_change_of_a_contacts_handover_fields_is_in_the_audit_chain(cast):
    colleague = cast.same_org
    before = AuditEntry.objects.count()
    # The person themselves names a deputy, through their own screen.
    client = Client()
    client.force_login(cast.recipient.user)
    response = client.post(reverse("network_my_deputy"), {"deputy": colleague.pk})
    assert response.status_code == 302
    cast.recipient.refresh_from_db()
    assert cast.recipient.deputy_id == colleague.pk
    assert cast.recipient.deputy_named_by_id == cast.recipient.user_id
    # An editor switches off receiving handovers; the coordination unlinks the account.
    linked = cast.recipient.user_id
    editor = member("eddi", Role.EDITOR, cast.awo)
    assert edit_person(editor, cast.recipient, accepts_handovers="").status_code == 302
    cast.recipient.refresh_from_db()
    assert edit_person(cast.coordinator, cast.recipient, user=None).status_code == 302
    entries = list(AuditEntry.objects.order_by("sequence")[before:])
    seen = [(e.action, e.actor_id, e.person_id, e.detail) for e in entries]
    assert seen == [
        (
            "contact_deputy_changed",
            cast.recipient.user_id,
            cast.recipient.pk,
            f"deputy {cast.deputy.pk} -> {colleague.pk}",
        ),
        ("contact_accepts_changed", editor.pk, cast.recipient.pk, "accepts_handovers 1 -> 0"),
        ("contact_user_changed", cast.coordinator.pk, cast.recipient.pk, f"user {linked} -> none"),
    ]
    assert audit.verify() is None
    assert services  # the services module connects the audit receiver
    assert Handover.objects.count() == 0
