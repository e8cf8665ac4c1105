"""Notifications through the outbox, deadlines in working days, purges after closure."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from lotse.handover import deadlines, notifications, services, tasks
from lotse.handover.models import (
    AuditEntry,
    Consent,
    Handover,
    HandoverContent,
    OutboxMessage,
    Status,
)
from tests import factories

from .conftest import SECRETS

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
FAILING = "tests.handover.test_outbox_deadlines_purge.FailingEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server not reachable")


def at(*args):
    return dt.datetime(*args, tzinfo=BERLIN)


def assert_no_personal_data(messages):
    for message in messages:
        text = message.subject + message.body
        assert not any(secret in text for secret in SECRETS), text
        assert re.search(r"http://testserver/admin/handovers/\d+/", message.body)


# Outbox


def test_the_task_sends_after_commit_and_only_the_recipient_is_told(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        handover = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
    assert [m.to for m in mail.outbox] == [["rita@awo.example"]]
    assert_no_personal_data(mail.outbox)
    assert OutboxMessage.objects.get().sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(cast.deputy.user, handover, "accept")
    assert mail.outbox[-1].to == [cast.adviser.email]
    assert_no_personal_data(mail.outbox)


def test_mail_server_down_nothing_lost_retried_with_backoff(cast, settings):
    settings.EMAIL_BACKEND = FAILING
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        factories.make_handover(cast.adviser, cast.recipient)
        assert tasks.deliver_outbox.call() == {"sent": 0, "failed": 1}
        message = OutboxMessage.objects.get()
        assert message.sent_at is None and message.attempts == 1
        assert message.last_error == "ConnectionRefusedError"
        assert message.next_attempt_at == at(2026, 3, 2, 10, 1)
        # Not due yet: nothing is tried.
        assert notifications.send_due() == (0, 0)
    with time_machine.travel(at(2026, 3, 2, 10, 1), tick=False):
        assert notifications.send_due() == (0, 1)
        message.refresh_from_db()
        assert message.next_attempt_at == at(2026, 3, 2, 10, 3)
    assert mail.outbox == []
    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(at(2026, 3, 2, 10, 3), tick=False):
        out = io.StringIO()
        call_command("process_handover_deadlines", stdout=out)
        assert "1 e-mails sent" in out.getvalue()
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 3 and not message.last_error
    assert [m.to for m in mail.outbox] == [["rita@awo.example"]]
    assert notifications.send_due() == (0, 0)  # sent once only


def test_backoff_is_capped():
    assert notifications.backoff(1) == dt.timedelta(minutes=1)
    assert notifications.backoff(4) == dt.timedelta(minutes=8)
    assert notifications.backoff(30) == dt.timedelta(hours=6)


# Deadlines


def test_working_days_skip_weekends_and_hessian_holidays(settings):
    settings.LOTSE_HOLIDAY_STATE = "HE"
    assert deadlines.end_of_working_days(at(2026, 3, 2, 10), 3) == at(2026, 3, 6)
    assert deadlines.end_of_working_days(at(2026, 3, 6, 15), 1) == at(2026, 3, 10)
    assert deadlines.end_of_working_days(at(2026, 3, 7, 9), 1) == at(2026, 3, 10)
    # Good Friday (3 April 2026) and Easter Monday (6 April) are off.
    assert deadlines.end_of_working_days(at(2026, 4, 2, 9), 1) == at(2026, 4, 8)
    # Corpus Christi (4 June 2026) is a holiday in Hesse, not in Berlin.
    assert deadlines.end_of_working_days(at(2026, 6, 3, 9), 1) == at(2026, 6, 6)
    settings.LOTSE_HOLIDAY_STATE = "BE"
    assert deadlines.end_of_working_days(at(2026, 6, 3, 9), 1) == at(2026, 6, 5)


def run_deadlines(when):
    with time_machine.travel(when, tick=False):
        return services.process_deadlines()


def test_reminder_then_escalation_then_expiry(cast, settings):
    settings.LOTSE_HANDOVER_DEADLINE_DAYS = 3
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        handover = factories.make_handover(cast.adviser, cast.recipient)
    assert handover.due_at == at(2026, 3, 6)
    assert run_deadlines(at(2026, 3, 5, 23, 59)) == 0
    OutboxMessage.objects.all().delete()

    assert run_deadlines(at(2026, 3, 6, 0, 30)) == 1
    handover.refresh_from_db()
    assert handover.reminded_at and handover.status == Status.SENT
    assert [(m.kind, m.to) for m in OutboxMessage.objects.all()] == [
        ("reminder", "rita@awo.example")
    ]
    assert handover.next_step_at == at(2026, 3, 10)  # end of Monday
    assert run_deadlines(at(2026, 3, 9, 12)) == 0

    OutboxMessage.objects.all().delete()
    assert run_deadlines(at(2026, 3, 10, 0, 30)) == 1
    handover.refresh_from_db()
    assert handover.escalated_at and handover.status == Status.SENT
    sent = sorted((m.kind, m.to) for m in OutboxMessage.objects.all())
    assert sent == [("escalation", cast.deputy.email), ("status", cast.adviser.email)]
    assert handover.next_step_at == at(2026, 3, 12)  # end of Wednesday
    assert run_deadlines(at(2026, 3, 11, 12)) == 0

    OutboxMessage.objects.all().delete()
    assert run_deadlines(at(2026, 3, 12, 0, 30)) == 1
    handover.refresh_from_db()
    assert handover.status == Status.EXPIRED and handover.expired_at == at(2026, 3, 12, 0, 30)
    assert [(m.kind, m.to) for m in OutboxMessage.objects.all()] == [("status", cast.adviser.email)]
    assert run_deadlines(at(2026, 3, 20)) == 0
    assert list(AuditEntry.objects.values_list("action", flat=True))[-3:] == [
        "reminded",
        "escalated",
        "expired",
    ]
    assert_no_personal_data(OutboxMessage.objects.all())


def test_an_answer_stops_the_clock_and_urgent_is_one_day(cast):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        urgent = factories.make_handover(cast.adviser, cast.recipient, urgency="urgent")
        normal = factories.make_handover(cast.adviser, cast.recipient)
        services.transition(cast.recipient.user, normal, "accept")
    assert urgent.due_at == at(2026, 3, 4)
    assert run_deadlines(at(2026, 3, 30)) == 1
    normal.refresh_from_db()
    assert normal.status == Status.ACCEPTED and normal.reminded_at is None


def test_the_command_runs_the_steps(cast):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        factories.make_handover(cast.adviser, cast.recipient)
    with time_machine.travel(at(2026, 3, 6, 1, 0), tick=False):
        out = io.StringIO()
        call_command("process_handover_deadlines", stdout=out)
    assert "1 deadline steps" in out.getvalue()
    with time_machine.travel(at(2026, 3, 6, 1, 0), tick=False):
        result = tasks.process_deadlines.call()
    assert result["steps"] == 0


# Purges


def test_content_is_purged_a_retention_period_after_closure(cast, settings):
    settings.LOTSE_HANDOVER_RETENTION_DAYS = 90
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        handover = factories.make_handover(
            cast.adviser,
            cast.recipient,
            offer=cast.offer,
            consent=factories.handover_consent(valid_until=dt.date(2026, 12, 31)),
        )
        services.transition(cast.recipient.user, handover, "accept")
        services.transition(cast.recipient.user, handover, "close", outcome="referred_on")
        open_one = factories.make_handover(
            cast.adviser,
            cast.recipient,
            consent=factories.handover_consent(valid_until=dt.date(2026, 12, 31)),
        )
    with time_machine.travel(at(2026, 5, 30, 9, 0), tick=False):
        assert services.purge_due_content() == 0
    with time_machine.travel(at(2026, 6, 1, 9, 0), tick=False):
        assert services.purge_due_content() == 1
        assert services.purge_due_content() == 0
    handover.refresh_from_db()
    assert handover.content_purged_at == at(2026, 6, 1, 9, 0)
    assert not HandoverContent.objects.filter(handover=handover).exists()
    consent = Consent.objects.get(pk=handover.consent_id)
    assert consent.text == "" and consent.purpose == ""
    assert consent.method == "written" and consent.data_categories  # proof of the kind stays
    # Statistics stay.
    assert handover.status == Status.CLOSED and handover.outcome == "referred_on"
    assert handover.recipient_organisation == cast.awo
    assert list(handover.topics.all()) == [cast.topic]
    assert HandoverContent.objects.filter(handover=open_one).exists()
    assert AuditEntry.objects.filter(action="content_purged", handover_id=handover.pk).exists()


def test_content_is_purged_when_the_consent_lapses(cast):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        handover = factories.make_handover(
            cast.adviser,
            cast.recipient,
            consent=factories.handover_consent(valid_until=dt.date(2026, 3, 31)),
        )
    with time_machine.travel(at(2026, 3, 31, 23, 0), tick=False):
        assert services.purge_due_content() == 0
    with time_machine.travel(at(2026, 4, 1, 0, 30), tick=False):
        assert services.purge_due_content() == 1
    assert not HandoverContent.objects.exists()
    assert AuditEntry.objects.filter(action="consent_lapsed").count() == 1
    assert Handover.objects.get(pk=handover.pk).content_purged_at is not None


def test_withdrawal_purges_at_once_and_tells_the_recipient_without_personal_data(
    cast, django_capture_on_commit_callbacks
):
    handover = factories.make_handover(cast.adviser, cast.recipient)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_consent(cast.adviser, handover)
    assert not HandoverContent.objects.exists()
    withdrawn = [m for m in mail.outbox if m.to == ["rita@awo.example"]]
    assert len(withdrawn) == 2  # the waiting notice (queued before) and the withdrawal
    assert_no_personal_data(mail.outbox)
    assert Handover.objects.get(pk=handover.pk).status == Status.WITHDRAWN
