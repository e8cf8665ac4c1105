"""The admin screens: start from an offer, inbox, act, decline, hand over again, print."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.handover.models import AuditEntry, Handover, Status
from tests import factories

from .conftest import CITIZEN_NAME, SUMMARY

pytestmark = pytest.mark.django_db


def form_data(cast, **overrides):
    data = {
        "recipient": cast.recipient.pk,
        "offer": cast.offer.pk,
        "urgency": "normal",
        "summary": SUMMARY,
        "citizen_name": CITIZEN_NAME,
        "citizen_phone": "06441 998877",
        "citizen_email": "",
        "preferred_language": "Türkisch",
        "best_times": "vormittags",
        "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "written",
        "data_categories": ["finances", "housing"],
        "purpose": "Schuldnerberatung",
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "language": "de",
    }
    data.update(overrides)
    return data


def test_the_public_offer_page_links_advisers_only_to_the_form(client, cast):
    start = f"{reverse('handovers:add')}?offer={cast.offer.pk}"
    url = cast.offer.url
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert reverse("handovers:add") not in anonymous.content.decode()
    for user in (cast.recipient.user, cast.deputy.user, cast.coordinator, cast.superuser):
        client.force_login(user)
        assert reverse("handovers:add") not in client.get(url).content.decode()
    client.force_login(cast.adviser)
    assert start in client.get(url).content.decode()
    english = "/en" + cast.offer.url
    assert start in client.get(english).content.decode()


def test_the_directory_knows_nothing_of_handovers():
    """The offer page has an action slot; handover fills it (dependencies point one way)."""
    from django.template.loader import get_template

    source = get_template("lotse_directory/offer_page.html").template.source
    assert "handover" not in source
    assert "{% block offer_actions %}" in source


def test_advisers_start_a_handover_from_the_offer_in_the_page_admin(client, cast):
    start = f"{reverse('handovers:add')}?offer={cast.offer.pk}"
    explore = reverse("wagtailadmin_explore", args=[cast.awo_page.pk])
    client.force_login(cast.adviser)
    response = client.get(explore)
    assert response.status_code == 200
    assert start in response.content.decode().replace("&amp;", "&")
    client.force_login(cast.coordinator)
    assert start not in client.get(explore).content.decode()


def test_full_lifecycle_through_the_admin(client, cast):
    client.force_login(cast.adviser)
    form = client.get(reverse("handovers:add") + f"?offer={cast.offer.pk}")
    assert form.status_code == 200
    page = form.content.decode()
    assert f'<option value="{cast.recipient.pk}" selected>' in page
    assert "Schuldnerberatung der AWO" in page
    # Everyone who receives handovers can be chosen, also at other partners.
    assert f'<option value="{cast.other_org.pk}"' in page

    preview = client.post(reverse("handovers:consent_preview"), form_data(cast))
    assert preview.status_code == 200
    preview_text = preview.content.decode()
    assert "AWO Lahnfeld" in preview_text and "Schuldnerberatung" in preview_text
    assert not Handover.objects.exists()

    sent = client.post(reverse("handovers:add"), form_data(cast))
    handover = Handover.objects.get()
    assert sent.status_code == 302 and sent.url == reverse("handovers:detail", args=[handover.pk])
    assert handover.status == Status.SENT and handover.consent.data_categories == [
        "contact",
        "finances",
        "housing",
    ]
    # The stored consent text is exactly what the preview printed.
    assert handover.consent.text.splitlines()[0] in preview_text
    mine = client.get(reverse("handovers:sent")).content.decode()
    assert reverse("handovers:detail", args=[handover.pk]) in mine

    client.force_login(cast.recipient.user)
    inbox = client.get(reverse("handovers:inbox")).content.decode()
    assert reverse("handovers:detail", args=[handover.pk]) in inbox and SUMMARY not in inbox
    detail = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    assert SUMMARY in detail and CITIZEN_NAME in detail
    handover.refresh_from_db()
    assert handover.status == Status.OPENED

    act = lambda action, **data: client.post(  # noqa: E731
        reverse("handovers:act", args=[handover.pk, action]), data
    )
    assert act("accept").status_code == 302
    act("contact", contact_date="2026-03-05")
    act("close", outcome="helped", note="Termin hat stattgefunden")
    handover.refresh_from_db()
    assert handover.status == Status.CLOSED and handover.contact_date == dt.date(2026, 3, 5)
    printed = client.get(reverse("handovers:consent", args=[handover.pk])).content.decode()
    assert CITIZEN_NAME in printed and handover.consent.text.splitlines()[-1] in printed

    client.force_login(cast.adviser)
    detail = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    assert "Termin hat stattgefunden" in detail
    assert "content_read" in AuditEntry.objects.values_list("action", flat=True)


def test_form_errors_keep_everything_unsaved(client, cast):
    client.force_login(cast.adviser)
    for data, field in (
        (form_data(cast, purpose=""), "purpose"),
        (form_data(cast, method="verbal_documented"), "adviser_declaration"),
        (form_data(cast, citizen_phone=""), "citizen_phone"),
    ):
        response = client.post(reverse("handovers:add"), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert not Handover.objects.exists()


def test_the_consent_form_prints_in_english(client, cast):
    client.force_login(cast.adviser)
    preview = client.post(reverse("handovers:consent_preview"), form_data(cast, language="en"))
    text = preview.content.decode()
    assert 'lang="en"' in text and "I agree that" in text
    missing = client.post(reverse("handovers:consent_preview"), form_data(cast, purpose=""))
    assert missing.status_code == 400


def test_decline_shows_alternatives_and_hands_over_again_in_one_step(client, cast):
    handover = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
    alternative = factories.make_offer(
        factories.make_organisation_page(cast.diakonie),
        topics=[cast.topic],
        title="Schuldnerberatung der Diakonie",
        handover_contact=cast.other_org,
    )
    client.force_login(cast.deputy.user)
    client.post(reverse("handovers:act", args=[handover.pk, "decline"]), {"reason": "no_capacity"})
    client.force_login(cast.adviser)
    detail = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    again_url = reverse("handovers:again", args=[handover.pk]) + f"?offer={alternative.pk}"
    assert "Schuldnerberatung der Diakonie" in detail and again_url in detail
    form = client.get(again_url).content.decode()
    assert f'<option value="{cast.other_org.pk}" selected>' in form
    # Another organisation: a new consent is needed.
    refused = client.post(
        again_url, {"recipient": cast.other_org.pk, "offer": alternative.pk, "urgency": "normal"}
    )
    assert refused.status_code == 200 and Handover.objects.count() == 1
    data = form_data(cast, recipient=cast.other_org.pk, offer=alternative.pk)
    done = client.post(again_url, data)
    assert done.status_code == 302
    new = Handover.objects.exclude(pk=handover.pk).get()
    assert new.previous == handover and new.recipient == cast.other_org
    client.force_login(cast.other_org.user)
    assert SUMMARY in client.get(reverse("handovers:detail", args=[new.pk])).content.decode()


def test_menu_shows_what_the_user_may_use(client, cast):
    client.force_login(cast.adviser)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("handovers:add") in home and reverse("handovers:overview") not in home
    client.force_login(cast.coordinator)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("handovers:overview") in home and reverse("handovers:add") not in home
    client.force_login(cast.recipient.user)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("handovers:inbox") in home and reverse("handovers:add") not in home


def test_withdrawal_through_the_admin(client, cast):
    handover = factories.make_handover(cast.adviser, cast.recipient)
    client.force_login(cast.adviser)
    url = reverse("handovers:withdraw", args=[handover.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Status.WITHDRAWN and not handover.has_content


def test_the_history_names_people_for_the_parties_only(client, cast, handover):
    cast.recipient.user.first_name, cast.recipient.user.last_name = "Rita", "Roth"
    cast.recipient.user.save()
    client.force_login(cast.recipient.user)
    client.post(reverse("handovers:act", args=[handover.pk, "accept"]))
    client.force_login(cast.adviser)
    page = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    history = page.split('id="history-heading"')[1]
    assert "Angenommen" in history or "Accepted" in history
    assert "Rita Roth" in history
    client.force_login(cast.coordinator)
    page = client.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    history = page.split('id="history-heading"')[1]
    assert "Rita Roth" not in history and "lea" not in history
    assert "Angenommen" in history or "Accepted" in history
