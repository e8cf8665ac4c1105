"""Freshness: confirmation dates, stale offers, the dashboard panel, "still current", digests."""

import datetime as dt
import io
import re
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from wagtail.log_actions import registry as log_actions
from wagtail.models import PageLogEntry, Revision

from lotse.directory import services, views
from lotse.directory.models import FreshnessReminder, OfferPage
from lotse.directory.tasks import send_freshness_reminders
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "geheim-b"
# Monday 1 March 2027, 10:00 in Berlin; six months and more before it offers are stale.
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=400)
RECENTLY = NOW - dt.timedelta(days=10)


def offer_published_at(moment, organisation_page, **fields):
    with time_machine.travel(moment, tick=False):
        return factories.make_offer(organisation_page, **fields)


def member(username, organisation, role):
    user = factories.UserFactory(username=username, email=f"{username}@example.org")
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def confirm_url(offer):
    return reverse("directory_confirm_current", args=[offer.pk])


@pytest.fixture
def partners(directory):
    """Partners A and B with stale and fresh offers; B's names carry SECRET."""
    a = factories.make_organisation_page(factories.OrganisationFactory(name="Partner A"))
    b = factories.make_organisation_page(
        factories.OrganisationFactory(name=f"Partner {SECRET}-organisation")
    )
    county = factories.OrganisationFactory(name="Kreis")
    return {
        "a": a,
        "b": b,
        "stale_a": offer_published_at(LONG_AGO, a, title="Schuldnerberatung A"),
        "older_a": offer_published_at(
            LONG_AGO - dt.timedelta(days=30), a, title="Wohnungsnotfallhilfe A"
        ),
        "fresh_a": offer_published_at(RECENTLY, a, title="Frische Beratung A"),
        "stale_b": offer_published_at(LONG_AGO, b, title=f"Angebot {SECRET}-stale"),
        "editor_a": member("redaktion-a", a.organisation, "editor"),
        "editor_b": member("redaktion-b", b.organisation, "editor"),
        "coordinator": member("koordination", county, "coordinator"),
        "adviser": member("beratung", county, "adviser"),
    }


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


# Confirmation by publishing


def test_publishing_confirms_the_offer(organisation_page):
    editor = factories.UserFactory()
    offer = offer_published_at(LONG_AGO, organisation_page)
    assert offer.confirmed_at == LONG_AGO

    with time_machine.travel(RECENTLY, tick=False):
        offer.title = "Schuldnerberatung (neu)"
        offer.save_revision(user=editor).publish()

    offer.refresh_from_db()
    assert offer.confirmed_at == RECENTLY
    assert offer.confirmed_by == editor


def test_saving_a_draft_does_not_confirm(organisation_page):
    offer = offer_published_at(LONG_AGO, organisation_page)
    with time_machine.travel(RECENTLY, tick=False):
        offer.title = "Entwurf"
        offer.save_revision()
    offer.refresh_from_db()
    assert offer.confirmed_at == LONG_AGO


def test_never_published_offers_are_not_confirmed(organisation_page):
    draft = factories.make_offer(organisation_page, publish=False)
    assert draft.confirmed_at is None


# "Still current"


def test_still_current_confirms_without_a_revision_and_shows_in_the_history(client, partners, now):
    offer = partners["stale_a"]
    revisions = Revision.page_revisions.filter(object_id=str(offer.pk)).count()
    latest = offer.latest_revision_id
    client.force_login(partners["editor_a"])

    response = client.post(confirm_url(offer), {"next": reverse("wagtailadmin_home")})

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    offer.refresh_from_db()
    assert offer.confirmed_at == NOW
    assert offer.confirmed_by == partners["editor_a"]
    assert Revision.page_revisions.filter(object_id=str(offer.pk)).count() == revisions
    assert offer.latest_revision_id == latest
    assert not offer.has_unpublished_changes
    entry = PageLogEntry.objects.get(page=offer, action=services.CONFIRM_ACTION)
    assert entry.user == partners["editor_a"]
    assert entry.revision is None
    history = client.get(reverse("wagtailadmin_pages:history", args=[offer.pk])).text
    message = log_actions.get_formatter(entry).format_message(entry)
    assert str(message) in history


def test_a_confirmation_survives_publishing_and_restoring_older_revisions(partners):
    offer = partners["stale_a"]
    old_revision = offer.latest_revision
    editor = partners["editor_a"]
    confirmed = LONG_AGO + dt.timedelta(days=200)
    with time_machine.travel(confirmed, tick=False):
        services.confirm_current(offer, editor)

    # Every revision holds an older value; restoring one must keep the confirmation.
    restored = old_revision.as_object()
    assert restored.confirmed_at == confirmed
    assert restored.confirmed_by_id == editor.pk
    restored.save()
    offer.refresh_from_db()
    assert offer.confirmed_at == confirmed

    # Re-publishing the old revision (Wagtail's revert) confirms anew, never back in time.
    with time_machine.travel(NOW, tick=False):
        old_revision.publish(previous_revision=old_revision)
    offer.refresh_from_db()
    assert offer.confirmed_at == NOW


def test_after_still_current_the_editor_does_not_bring_back_the_old_date(client, partners, now):
    """The edit form starts from the latest revision; publishing it keeps the newer moment."""
    offer = partners["stale_a"]
    client.force_login(partners["coordinator"])
    client.post(confirm_url(offer))
    latest = Revision.objects.get(pk=offer.latest_revision_id)
    # The revision was written before publishing confirmed the offer.
    assert OfferPage.from_serializable_data(latest.content).confirmed_at is None
    assert latest.as_object().confirmed_at == NOW
    response = client.get(reverse("wagtailadmin_pages:edit", args=[offer.pk]))
    assert response.context["page"].confirmed_at == NOW


def test_redirects_only_to_this_site(client, partners, now):
    client.force_login(partners["editor_a"])
    response = client.post(confirm_url(partners["stale_a"]), {"next": "https://evil.example/"})
    assert response.url == reverse("wagtailadmin_pages:edit", args=[partners["stale_a"].pk])


@pytest.mark.parametrize(
    ("who", "status", "redirect"),
    [
        # Another partner's offer does not exist for them.
        ("editor_b", 404, None),
        # Advisers may read it; Wagtail turns the 403 into its "no permission" redirect.
        ("adviser", 302, "/admin/"),
        ("anonymous", 302, "/admin/login/"),
    ],
)
def test_others_cannot_confirm_and_learn_nothing(client, partners, now, who, status, redirect):
    offer = partners["stale_a"]
    if who != "anonymous":
        client.force_login(partners[who])
    response = client.post(confirm_url(offer))
    assert response.status_code == status
    if redirect:
        assert response.url.split("?")[0] == redirect
    assert "Schuldnerberatung A" not in response.text
    offer.refresh_from_db()
    assert offer.confirmed_at == LONG_AGO
    assert not PageLogEntry.objects.filter(action=services.CONFIRM_ACTION).exists()


def test_still_current_needs_post_and_a_csrf_token(partners, now):
    offer = partners["stale_a"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(partners["editor_a"])

    assert client.get(confirm_url(offer)).status_code == 405
    assert client.post(confirm_url(offer)).status_code == 403
    offer.refresh_from_db()
    assert offer.confirmed_at == LONG_AGO

    # The dashboard's own form carries the token.
    dashboard = client.get(reverse("wagtailadmin_home")).text
    form = re.search(
        rf'<form method="post" action="{confirm_url(offer)}">(.*?)</form>', dashboard, re.S
    )
    assert form, "the dashboard offers a form for the stale offer"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)
    response = client.post(confirm_url(offer), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.confirmed_at == NOW


def test_unknown_offers_answer_404(client, partners, now):
    client.force_login(partners["coordinator"])
    assert client.post(reverse("directory_confirm_current", args=[999999])).status_code == 404
    # Organisation pages are no offers.
    assert client.post(confirm_url(partners["a"])).status_code == 404


def test_page_header_and_listing_offer_still_current_as_a_post_button(client, partners, now):
    client.force_login(partners["editor_a"])
    stale, fresh = partners["stale_a"], partners["fresh_a"]
    post_button = f'data-w-action-url-value="{confirm_url(stale)}"'

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[stale.pk])).text
    assert post_button in edit
    assert 'data-action="w-action#post"' in edit
    assert f'href="{confirm_url(stale)}"' not in edit
    edit_fresh = client.get(reverse("wagtailadmin_pages:edit", args=[fresh.pk])).text
    assert f'data-w-action-url-value="{confirm_url(fresh)}"' in edit_fresh

    listing = client.get(reverse("wagtailadmin_explore", args=[partners["a"].pk])).text
    assert post_button in listing
    assert f'data-w-action-url-value="{confirm_url(fresh)}"' not in listing, "stale offers only"

    client.force_login(partners["adviser"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[stale.pk])).text
    listing = client.get(reverse("wagtailadmin_explore", args=[partners["a"].pk])).text
    assert post_button not in edit
    assert post_button not in listing


# Public page


def test_public_page_shows_when_the_offer_was_last_confirmed(client, organisation_page, now):
    offer = offer_published_at(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), organisation_page)
    german = client.get(offer.url).text
    assert '<time datetime="2026-12-03">3. Dezember 2026</time>' in german
    english = client.get("/en" + offer.url).text
    assert "Last confirmed current:" in english
    assert '<time datetime="2026-12-03">Dec. 3, 2026</time>' in english
    assert "may be out of date" not in english


def test_public_page_says_discreetly_when_an_offer_is_stale(client, organisation_page, now):
    offer = offer_published_at(LONG_AGO, organisation_page)
    english = client.get("/en" + offer.url).text
    assert "These details are being checked and may be out of date." in english
    assert f'<time datetime="{LONG_AGO:%Y-%m-%d}">' in english


def test_json_ld_dates_the_offer_by_its_confirmation(client, organisation_page, now):
    offer = offer_published_at(RECENTLY, organisation_page)
    assert f'"dateModified":"{RECENTLY:%Y-%m-%d}"' in client.get(offer.url).text


# Which offers are stale


def test_stale_means_live_and_unconfirmed_for_more_than_the_period(organisation_page, settings):
    boundary = NOW - dt.timedelta(days=183)
    on_the_day = offer_published_at(boundary, organisation_page, title="Genau 183 Tage")
    just_over = offer_published_at(
        boundary - dt.timedelta(seconds=1), organisation_page, title="Eine Sekunde drüber"
    )
    unpublished = offer_published_at(LONG_AGO, organisation_page, title="Offline")
    unpublished.unpublish()
    never = offer_published_at(RECENTLY, organisation_page, title="Nie bestätigt")
    OfferPage.objects.filter(pk=never.pk).update(confirmed_at=None)

    stale = OfferPage.objects.stale(NOW)
    assert list(stale) == [never, just_over]
    with time_machine.travel(NOW, tick=False):
        assert [o.pk for o in OfferPage.objects.stale()] == [never.pk, just_over.pk]
        assert OfferPage.objects.get(pk=just_over.pk).is_stale
        assert not OfferPage.objects.get(pk=on_the_day.pk).is_stale

    settings.LOTSE_STALE_AFTER_DAYS = 7
    assert set(OfferPage.objects.stale(NOW)) == {never, just_over, on_the_day}


def test_settings_default_to_about_six_months():
    from django.conf import settings

    assert settings.LOTSE_STALE_AFTER_DAYS == 183


# Dashboard panel and list


def panel_html(client, user):
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).text
    match = re.search(r'<section[^>]*id="stale-offers-section".*?</section>', html, re.S)
    return match.group(0) if match else None, html


def test_coordinators_see_every_stale_offer_oldest_first(client, partners, now):
    panel, _html = panel_html(client, partners["coordinator"])
    assert panel is not None
    titles = ["Wohnungsnotfallhilfe A", "Schuldnerberatung A", f"Angebot {SECRET}-stale"]
    positions = [panel.index(title) for title in titles]
    assert positions[0] < positions[1], "oldest confirmation first"
    assert f"Partner {SECRET}-organisation" in panel
    assert "Frische Beratung A" not in panel
    assert reverse("wagtailadmin_pages:edit", args=[partners["stale_b"].pk]) in panel
    assert confirm_url(partners["stale_b"]) in panel


def test_editors_see_their_own_stale_offers_only(client, partners, now):
    panel, html = panel_html(client, partners["editor_a"])
    assert "Schuldnerberatung A" in panel
    assert "Wohnungsnotfallhilfe A" in panel
    assert "Partner A" in panel
    assert "Frische Beratung A" not in panel
    assert confirm_url(partners["stale_a"]) in panel
    assert SECRET not in html
    assert confirm_url(partners["stale_b"]) not in html

    panel_b, html_b = panel_html(client, partners["editor_b"])
    assert f"Angebot {SECRET}-stale" in panel_b
    assert "Schuldnerberatung A" not in html_b


def test_advisers_and_partners_without_stale_offers_get_no_panel(client, partners, now):
    panel, html = panel_html(client, partners["adviser"])
    assert panel is None
    assert "Schuldnerberatung A" not in html

    calm = factories.make_organisation_page(factories.OrganisationFactory(name="Ruhig"))
    offer_published_at(RECENTLY, calm, title="Alles aktuell")
    panel, _html = panel_html(client, member("ruhig", calm.organisation, "editor"))
    assert panel is None


def test_contacts_of_a_partner_get_no_panel(client, partners, now):
    contact = member("kontakt-a", partners["a"].organisation, "contact")
    panel, html = panel_html(client, contact)
    assert panel is None
    assert "Schuldnerberatung A" not in html


def test_the_panel_is_limited_and_links_to_the_full_list(client, partners, now, monkeypatch):
    monkeypatch.setattr(views, "PANEL_LIMIT", 2)
    panel, _html = panel_html(client, partners["coordinator"])
    assert panel.count("<tr") == 3, "a header row and two offers"
    assert "Alle 3 zu prüfenden Angebote anzeigen" in panel
    assert reverse("directory_stale_offers") in panel

    full = client.get(reverse("directory_stale_offers")).text
    for title in ("Wohnungsnotfallhilfe A", "Schuldnerberatung A", f"Angebot {SECRET}-stale"):
        assert title in full


def test_the_full_list_shows_editors_their_own_offers_only(client, partners, now):
    client.force_login(partners["editor_a"])
    full = client.get(reverse("directory_stale_offers"))
    assert full.status_code == 200
    assert "Schuldnerberatung A" in full.text
    assert SECRET not in full.text

    client.force_login(partners["adviser"])
    full = client.get(reverse("directory_stale_offers"))
    assert full.status_code == 200
    assert "Schuldnerberatung A" not in full.text


def test_confirming_from_the_dashboard_takes_the_offer_off_it(client, partners, now):
    client.force_login(partners["editor_a"])
    response = client.post(
        confirm_url(partners["stale_a"]), {"next": reverse("wagtailadmin_home")}, follow=True
    )
    panel = re.search(r'<section[^>]*id="stale-offers-section".*?</section>', response.text, re.S)
    assert "Schuldnerberatung A" not in panel.group(0)
    assert "Wohnungsnotfallhilfe A" in panel.group(0)


# Digest e-mails


class FailingForB(BaseEmailBackend):
    """Delivers to the locmem outbox, but the mail server refuses partner B's editors."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("redaktion-b") for address in message.to):
                raise SMTPException("550 mailbox unavailable")
            mail.outbox.append(message)
        return len(messages)


@pytest.fixture
def digest_partners(partners):
    member("redaktion-a2", partners["a"].organisation, "org_admin")
    member("kontakt-a", partners["a"].organisation, "contact")
    inactive = member("ehemals-a", partners["a"].organisation, "editor")
    inactive.is_active = False
    inactive.save()
    calm = factories.make_organisation_page(factories.OrganisationFactory(name="Ruhig"))
    offer_published_at(RECENTLY, calm, title="Alles aktuell")
    member("ruhig", calm.organisation, "editor")
    return partners


def mails_by_organisation():
    return {"a" if "Partner A" in message.subject else "b": message for message in mail.outbox}


def test_each_organisation_gets_one_digest_for_its_editors_only(digest_partners, now):
    counts = services.send_freshness_reminders()

    assert counts == {"sent": 2, "skipped": 0, "failed": 0}
    assert len(mail.outbox) == 2
    by_org = mails_by_organisation()
    digest_a = by_org["a"]
    assert sorted(digest_a.to) == ["redaktion-a2@example.org", "redaktion-a@example.org"]
    assert "Schuldnerberatung A" in digest_a.body
    assert "Wohnungsnotfallhilfe A" in digest_a.body
    assert (
        "http://testserver"
        + reverse("wagtailadmin_pages:edit", args=[digest_partners["stale_a"].pk])
        in digest_a.body
    )
    assert "http://testserver" + reverse("directory_stale_offers") in digest_a.body
    assert "Frische Beratung A" not in digest_a.body
    assert SECRET not in digest_a.subject + digest_a.body
    assert by_org["b"].to == ["redaktion-b@example.org"]
    assert "Schuldnerberatung A" not in by_org["b"].body
    reminders = FreshnessReminder.objects.order_by("organisation__name")
    assert [(r.organisation.name, r.offer_count, r.sent_at) for r in reminders] == [
        ("Partner A", 2, NOW),
        (f"Partner {SECRET}-organisation", 1, NOW),
    ]


def test_digests_go_out_at_most_once_a_week(digest_partners):
    with time_machine.travel(NOW, tick=False):
        services.send_freshness_reminders()
    assert len(mail.outbox) == 2

    for later in (dt.timedelta(hours=1), dt.timedelta(days=6, hours=23)):
        with time_machine.travel(NOW + later, tick=False):
            counts = services.send_freshness_reminders()
        assert counts == {"sent": 0, "skipped": 2, "failed": 0}
        assert len(mail.outbox) == 2

    with time_machine.travel(NOW + dt.timedelta(days=7, seconds=1), tick=False):
        counts = services.send_freshness_reminders()
    assert counts["sent"] == 2
    assert len(mail.outbox) == 4


def test_confirmed_offers_leave_the_next_digest(digest_partners, now):
    services.confirm_current(digest_partners["stale_a"], digest_partners["editor_a"])
    services.confirm_current(digest_partners["older_a"], digest_partners["editor_a"])
    services.send_freshness_reminders()
    assert list(mails_by_organisation()) == ["b"]


def test_a_failed_digest_does_not_stop_the_others_and_is_retried(digest_partners, settings):
    settings.EMAIL_BACKEND = "tests.directory.test_freshness.FailingForB"
    with time_machine.travel(NOW, tick=False):
        counts = services.send_freshness_reminders()
    assert counts == {"sent": 1, "skipped": 0, "failed": 1}
    assert list(mails_by_organisation()) == ["a"]
    assert not FreshnessReminder.objects.filter(
        organisation=digest_partners["b"].organisation
    ).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        counts = services.send_freshness_reminders()
    assert counts == {"sent": 1, "skipped": 1, "failed": 0}
    assert mail.outbox[-1].to == ["redaktion-b@example.org"]


def test_organisations_without_editors_are_skipped_not_recorded(partners, now):
    orphan = factories.make_organisation_page(factories.OrganisationFactory(name="Ohne Redaktion"))
    offer_published_at(LONG_AGO, orphan, title="Verwaist")
    counts = services.send_freshness_reminders()
    assert counts == {"sent": 2, "skipped": 1, "failed": 0}
    assert not FreshnessReminder.objects.filter(organisation=orphan.organisation).exists()


def test_the_task_and_the_command_send_the_digests(digest_partners, now):
    result = send_freshness_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 2, "skipped": 0, "failed": 0}

    out = io.StringIO()
    call_command("send_freshness_reminders", stdout=out)
    assert out.getvalue().count("\n") == 1
    assert "0 gesendet, 2 übersprungen" in out.getvalue()
    assert len(mail.outbox) == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_stale_offer_page_passes_axe(live_server, browser, prefix):
    from tests.directory.test_browser import axe_violations

    offer = offer_published_at(LONG_AGO, factories.make_organisation_page())
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{prefix}{offer.url}")
        assert page.locator(".offer__stale").is_visible()
        assert page.locator("time").get_attribute("datetime") == f"{LONG_AGO:%Y-%m-%d}"
        assert axe_violations(page) == []
    finally:
        context.close()
