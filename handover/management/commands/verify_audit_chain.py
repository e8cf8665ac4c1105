"""Check the handover audit trail: every MAC and link from the first entry to the head, and,
with `--anchor FILE`, that every anchored head is still part of the chain."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from lotse.handover import anchors, audit
from lotse.handover.models import AuditEntry
from lotse.network.management.base import LotseCommand
from lotse.network.progress import Progress


class Command(LotseCommand):
    help = (
        "Verify the authenticated hash chain of the handover audit trail (and its anchors); "
        "exit non-zero at the first break."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FILE",
            help="A file of anchor lines written by anchor_audit_chain (may be repeated).",
        )

    def handle(self, *args, anchor, **options):
        anchor_lines = [(path, read_anchor_file(path)) for path in anchor]
        total = AuditEntry.objects.count()
        progress = Progress(self.stdout, "Verifying", total)
        try:
            report = audit.examine(progress=progress.step)
            checked = 0
            for _path, lines in anchor_lines:
                if report.broken is None:
                    report.broken, count = anchors.check(lines)
                    checked += count
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if report.broken is not None:
            broken = report.broken
            where = f"at entry {broken.sequence}" if broken.sequence else "against its anchors"
            raise CommandError(f"Audit chain broken {where}: {broken.reason}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {describe(report)}."))
        if anchor:
            self.stdout.write(self.style.SUCCESS(f"{checked} anchors match."))


def describe(report):
    text = f"{report.total} entries"
    if report.legacy:
        text += f" ({report.legacy} legacy SHA-256 entries, sealed by entry {report.sealed_by})"
    if report.key_ids:
        text += f"; keys {', '.join(report.key_ids)}"
    return text


def read_anchor_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise CommandError(f"Cannot read the anchor file {path}: {reason}.") from error
