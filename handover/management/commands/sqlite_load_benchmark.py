"""`manage.py sqlite_load_benchmark`: readers and handover writers at once, on this database.

Prints requests, errors (of them "database is locked"), throttled and rejected answers, and
p50/p95 per kind: `browse` (public pages and APIs), `create`, `accept` and `read` (handovers).
It writes real handovers: run it on a copy or a demo database, e.g.
`DATABASE_URL=sqlite:////tmp/copy.sqlite3 manage.py sqlite_load_benchmark --allow-writes`.
Exits non-zero when any request failed.
"""

import json

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from lotse.handover import load_benchmark
from lotse.network.management.base import LotseCommand


def positive(kind):
    def parse(value):
        try:
            number = kind(value)
        except ValueError:
            number = 0
        if number <= 0:
            raise ValueError(value)
        return number

    parse.__name__ = kind.__name__
    return parse


class Command(LotseCommand):
    help = "Measure a mixed load of readers and handover writers on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--readers", type=positive(int), default=8)
        parser.add_argument("--writers", type=positive(int), default=4)
        parser.add_argument("--seconds", type=positive(float), default=20.0)
        parser.add_argument(
            "--allow-writes",
            action="store_true",
            help="Needed with DEBUG off: the run leaves handovers and audit entries behind.",
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, readers, writers, seconds, allow_writes, **options):
        if not (settings.DEBUG or allow_writes):
            raise CommandError(
                _(
                    "This benchmark writes handovers that cannot be removed: run it on a copy "
                    "of the database with --allow-writes."
                )
            )
        if load_benchmark.unapplied_migrations():
            raise CommandError(_("The database is not migrated: run manage.py migrate first."))
        result = load_benchmark.run(readers, writers, seconds)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.print_table(result, readers, writers)
        errors = result.total("errors")
        if errors:
            raise CommandError(
                _(
                    "%(errors)s of %(requests)s requests failed, %(locked)s with "
                    "“database is locked”."
                )
                % {
                    "errors": errors,
                    "requests": result.total("requests"),
                    "locked": result.total("locked"),
                }
            )

    def print_table(self, result, readers, writers):
        self.stdout.write(
            _("%(database)s: %(readers)s readers, %(writers)s writers, %(seconds).1f s")
            % {
                "database": result.database,
                "readers": readers,
                "writers": writers,
                "seconds": result.seconds,
            }
        )
        headings = (
            _("kind"),
            _("requests"),
            _("errors"),
            _("locked"),
            _("throttled"),
            _("rejected"),
            "p50 ms",
            "p95 ms",
        )
        self.stdout.write("{:<8} {:>9} {:>7} {:>7} {:>10} {:>9} {:>8} {:>8}".format(*headings))
        for kind, tally in result.tallies.items():
            p50, p95 = tally.percentile(0.5), tally.percentile(0.95)
            self.stdout.write(
                f"{kind:<8} {tally.requests:>9} {tally.errors:>7} {tally.locked:>7} "
                f"{tally.throttled:>10} {tally.rejected:>9} "
                f"{'-' if p50 is None else f'{p50:.0f}':>8} "
                f"{'-' if p95 is None else f'{p95:.0f}':>8}"
            )
