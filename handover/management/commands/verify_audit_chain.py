"""Check the handover audit trail: every hash and every link from the first entry to the head."""

from django.core.management.base import BaseCommand, CommandError

from handover import audit
from handover.models import AuditEntry
from network.progress import Progress


class Command(BaseCommand):
    help = "Verify the hash chain of the handover audit trail; exit non-zero at the first break."

    def handle(self, *args, **options):
        total = AuditEntry.objects.count()
        progress = Progress(self.stdout, "Verifying", total)
        broken = audit.verify(progress=progress.step)
        if broken is not None:
            raise CommandError(f"Audit chain broken at entry {broken.sequence}: {broken.reason}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {total} entries."))
