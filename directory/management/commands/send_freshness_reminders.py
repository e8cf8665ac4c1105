"""Cron entry point for the freshness digests; safe to run as often as wanted."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.directory.tasks import send_freshness_reminders
from lotse.network.management.base import LotseCommand


class Command(LotseCommand):
    help = gettext_lazy(
        "E-mail each partner organisation's editors one digest of its offers that nobody has "
        "confirmed as current for LOTSE_STALE_AFTER_DAYS days, at most once a week per "
        "organisation. Run it daily from cron or a systemd timer; failed e-mails are retried "
        "on the next run."
    )

    def handle(self, *args, **options):
        counts = send_freshness_reminders.call()
        self.stdout.write(
            _(
                "Freshness digests: %(sent)d sent, %(skipped)d skipped (reminded this week or "
                "no editors), %(failed)d failed."
            )
            % counts
        )
