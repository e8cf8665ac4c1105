"""Background work of handovers, run by django-tasks (`manage.py db_worker` in development)."""

from django_tasks import task


@task()
def deliver_outbox():
    """Send the e-mails waiting in the outbox."""
    from .notifications import send_due

    sent, failed = send_due()
    return {"sent": sent, "failed": failed}


@task()
def process_deadlines():
    """Periodic (cron: `manage.py process_handover_deadlines`): reminders, escalation, expiry,
    purges, and any e-mails still waiting."""
    from . import services
    from .notifications import send_due

    steps = services.process_deadlines()
    purged = services.purge_due_content()
    sent, failed = send_due()
    return {"steps": steps, "purged": purged, "sent": sent, "failed": failed}
