"""The demo handovers: what `load_demo_handovers` creates, who sees them, reruns and guards.

The full `load_demo` takes half a minute, so the module builds only what the handovers need
with load_demo's own code (network, people, demo users, the offers the cases start from), once,
in a transaction rolled back when the module ends. The first tests run before that exists.
"""

import io
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lotse.directory import demo_data as data
from lotse.directory.management.commands.load_demo import DEFAULT_SEED, quiet_logger
from lotse.directory.management.commands.load_demo import Command as LoadDemo
from lotse.directory.models import TargetGroup, Topic
from lotse.handover import audit
from lotse.handover.management.commands.load_demo_handovers import CASES, PREFIX
from lotse.handover.models import AuditEntry, Handover, HandoverContent, Status

pytestmark = pytest.mark.django_db


def model_counts():
    """Rows of every table Django manages."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def load_handovers():
    out = io.StringIO()
    call_command("load_demo_handovers", stdout=out)
    return out.getvalue()


def build_demo_county():
    """load_demo's steps up to the users, then only the pages and offers the cases use."""
    demo = LoadDemo(stdout=io.StringIO())
    demo.seed = DEFAULT_SEED
    demo.today = timezone.localdate()
    demo.zone = timezone.get_current_timezone()
    demo.created = Counter()
    demo.locations = {}
    with quiet_logger("wagtail"):
        demo.languages = demo.load_languages()
        demo.areas = demo.load_areas()
        demo.topics = demo.load_terms(Topic, data.TOPICS)
        demo.target_groups = demo.load_terms(
            TargetGroup, [(slug, name, parent, "") for slug, name, parent in data.TARGET_GROUPS]
        )
        demo.organisations = demo.load_organisations()
        demo.people = demo.load_people()
        demo.load_users()
        offers = {case["offer"] for case in CASES}
        offers |= {case["again"]["offer"] for case in CASES if "again" in case}
        demo.organisations = {org: demo.organisations[org] for org, _key, _town in offers}
        pages = demo.load_organisation_pages(demo.load_index_page())
        for org, key, town in sorted(offers):
            demo.create_offer(pages[org], data.demo_uuid("offer", org, key, town), org, key, town)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county's people and users, rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        build_demo_county()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def handovers(demo, django_db_blocker):
    """The output of one load_demo_handovers run inside the demo county's transaction."""
    with django_db_blocker.unblock():
        return load_handovers()


def test_without_load_demo_a_clear_one_line_error(settings):
    settings.DEBUG = True
    before = model_counts()
    with pytest.raises(CommandError, match="Führen Sie zuerst load_demo aus") as error:
        load_handovers()
    assert "\n" not in str(error.value)
    assert model_counts() == before


def test_refuses_to_run_without_debug(demo, settings):
    settings.DEBUG = False
    before = model_counts()
    with pytest.raises(CommandError, match="DEBUG") as error:
        load_handovers()
    assert "\n" not in str(error.value)
    assert model_counts() == before
    assert not Handover.objects.exists()


def test_runs_in_one_transaction(demo, monkeypatch):
    """A failure at the seventh case leaves none of the six before it behind."""
    from lotse.handover import services

    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    before = model_counts()
    monkeypatch.setattr(services, "withdraw_consent", broken)
    with pytest.raises(RuntimeError):
        load_handovers()
    assert model_counts() == before


def test_every_state_through_the_services(handovers):
    assert "9 (9 " in handovers
    statuses = Counter(Handover.objects.values_list("status", flat=True))
    assert statuses == {
        Status.DRAFT: 1,
        Status.SENT: 2,
        Status.OPENED: 1,
        Status.ACCEPTED: 1,
        Status.IN_CONTACT: 1,
        Status.CLOSED: 1,
        Status.DECLINED: 1,
        Status.WITHDRAWN: 1,
    }
    by_status = {h.status: h for h in Handover.objects.select_related("consent")}
    assert Handover.objects.filter(status=Status.SENT, urgency="urgent").count() == 1
    assert by_status[Status.CLOSED].outcome == "helped"
    assert by_status[Status.DECLINED].decline_reason == "no_capacity"
    assert by_status[Status.IN_CONTACT].contact_date > timezone.localdate()
    again = Handover.objects.get(previous__isnull=False)
    assert again.status == Status.SENT and again.previous == by_status[Status.DECLINED]
    assert again.recipient_organisation != again.previous.recipient_organisation
    withdrawn = by_status[Status.WITHDRAWN]
    assert withdrawn.consent.withdrawn_at and withdrawn.content_purged_at
    assert not HandoverContent.objects.filter(handover=withdrawn).exists()
    assert by_status[Status.DRAFT].consent is None
    sent = Handover.objects.exclude(status=Status.DRAFT)
    assert {h.consent.method for h in sent} == {"written", "electronic", "verbal_documented"}
    assert len({tuple(h.consent.data_categories) for h in sent}) >= 5
    assert not sent.filter(offer__isnull=True).exists()
    assert {h.recipient.user.username for h in Handover.objects.all()} == {"awo", "diakonie"}
    assert {h.sender.username for h in Handover.objects.all()} == {"beratung"}
    assert audit.verify() is None
    assert AuditEntry.objects.filter(action="content_read").exists()


def test_invented_citizens_and_encrypted_content(handovers):
    contents = list(HandoverContent.objects.all())
    assert len(contents) == 8
    for content in contents:
        assert content.summary.startswith(PREFIX)
        assert re.fullmatch(r"069 90009-9\d\d", content.citizen_phone)
        assert content.citizen_email == "" or content.citizen_email.endswith("@example.org")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT summary, citizen_name FROM {HandoverContent._meta.db_table}")
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
    assert "Demo" not in stored and "Musterfrau" not in stored


@pytest.mark.parametrize("username, other", [("awo", "Jonas Hartmann"), ("diakonie", "Anna Wolff")])
def test_partner_sees_its_inbox_only(handovers, client, username, other):
    assert client.login(username=username, password=data.DEMO_PASSWORD)
    response = client.get(reverse("handovers:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    mine = Handover.objects.filter(recipient__user__username=username).exclude(status=Status.DRAFT)
    assert mine.count() == 4
    for handover in Handover.objects.all():
        link = f'href="{reverse("handovers:detail", args=[handover.pk])}"'
        assert (link in page) == (handover in mine), handover.status
    assert other not in page
    assert PREFIX not in page and "Musterfrau" not in page and "90009" not in page


def test_adviser_sees_all_nine_sent(handovers, client):
    assert client.login(username="beratung", password=data.DEMO_PASSWORD)
    page = client.get(reverse("handovers:sent")).content.decode()
    for handover in Handover.objects.all():
        assert f'href="{reverse("handovers:detail", args=[handover.pk])}"' in page


def test_second_run_adds_nothing(handovers):
    before = model_counts()
    output = load_handovers()
    assert model_counts() == before
    assert "9 (0 " in output
