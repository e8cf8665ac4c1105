"""Cron entry point (e.g. every 15 minutes): reminders, escalation, expiry, purges, outbox."""

from lotse.handover import notifications, services
from lotse.network.management.base import LotseCommand


class Command(LotseCommand):
    help = (
        "Remind, escalate and expire overdue handovers, purge content past its retention, "
        "and send waiting e-mails."
    )

    def handle(self, *args, **options):
        steps = services.process_deadlines()
        purged = services.purge_due_content()
        sent, failed = notifications.send_due()
        self.stdout.write(
            f"{steps} deadline steps, {purged} contents purged, "
            f"{sent} e-mails sent, {failed} e-mails postponed."
        )
