"""The transactional outbox: e-mails are written with the change they report, sent later.

`queue()` runs inside the caller's transaction, so a message exists exactly when its change
was committed. `send_due()` (a django-tasks task, and the cron command as a safety net)
delivers what is due; a failing mail server only postpones a message with growing back-off.
Messages carry a link into the admin and the handover's number, never personal data.

With DEBUG off, a backend that delivers nowhere (console, dummy, or locmem outside Django's
test environment) sends nothing: messages stay unsent, so a cron job that ran with the wrong
settings module loses no e-mail, and `/api/v1/health/` shows the backlog (`outbox_health`).
"""

import datetime as dt
import logging

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lotse.conf import lotse_settings
from lotse.network.health import DEGRADED, OK

from .models import OutboxMessage

logger = logging.getLogger(__name__)

#: Back-off after the n-th failure: 1, 2, 4 … minutes, at most six hours between attempts.
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)


def handover_link(handover):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("handovers:detail", args=(handover.pk,))


def address_of(person):
    """Where a person is told about handovers: their own e-mail, else their account's."""
    if person is None:
        return ""
    return person.email or (person.user.email if person.user_id else "")


def queue(kind, handover, to, status_label=""):
    """Write one message to the outbox; it is handed to the task queue after commit."""
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "kind": kind,
            "number": handover.pk,
            "link": handover_link(handover),
            "status": str(status_label),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string("lotse_handover/email/subject.txt", context).split())
        body = render_to_string("lotse_handover/email/body.txt", context)
    message = OutboxMessage.objects.create(
        kind=kind, handover=handover, to=to, subject=subject[:200], body=body
    )
    transaction.on_commit(schedule_delivery)
    return message


def schedule_delivery():
    """Ask the task queue to deliver; if it cannot be reached, the cron command delivers."""
    from .tasks import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:  # noqa: BLE001 – the outbox keeps the message either way
        logger.exception("Could not enqueue the handover outbox delivery")


def backoff(attempts):
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


#: E-mail backends that print, keep or drop a message instead of delivering it.
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


def delivers():
    """Does the configured e-mail backend reach anybody? With DEBUG on, the console counts."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in NON_DELIVERING_BACKENDS:
        return True
    # Django's test environment reads locmem's messages from `mail.outbox`.
    return settings.EMAIL_BACKEND.endswith("locmem.EmailBackend") and hasattr(mail, "outbox")


def send_due(now=None, limit=200):
    """Send the messages that are due; return (sent, failed)."""
    now = now or timezone.now()
    sent = failed = 0
    if not delivers():
        logger.warning(
            "Handover outbox not sent: EMAIL_BACKEND %s delivers nowhere with DEBUG off "
            "(is DJANGO_SETTINGS_MODULE right?). The messages stay queued.",
            settings.EMAIL_BACKEND,
        )
        return sent, failed
    due = OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            # Two workers never send the same message: the second skips the locked row.
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if message is None:
                continue
            try:
                EmailMessage(
                    message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]
                ).send()
            except Exception as error:  # noqa: BLE001 – any mail failure means "try later"
                message.attempts += 1
                message.next_attempt_at = now + backoff(message.attempts)
                # The class name only: SMTP errors may echo addresses back.
                message.last_error = type(error).__name__[:200]
                message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                failed += 1
                logger.warning(
                    "Handover message %s not sent (attempt %s): %s",
                    message.pk,
                    message.attempts,
                    message.last_error,
                )
            else:
                message.attempts += 1
                message.sent_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["attempts", "sent_at", "last_error"])
                sent += 1
    return sent, failed


def outbox_health(now=None):
    """For `/api/v1/health/`: unsent messages, and those older than
    `LOTSE_HEALTH_OUTBOX_MINUTES` (mail server down, no worker, or a non-delivering backend)."""
    now = now or timezone.now()
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    cutoff = now - dt.timedelta(minutes=lotse_settings.LOTSE_HEALTH_OUTBOX_MINUTES)
    overdue = unsent.filter(created_at__lt=cutoff).count()
    delivering = delivers()
    return {
        "status": DEGRADED if overdue or not delivering else OK,
        "unsent": unsent.count(),
        "overdue": overdue,
        "delivers": delivering,
    }
