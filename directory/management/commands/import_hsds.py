"""Import an HSDS 3.0 directory: a JSON file or a tabular datapackage folder."""

import contextlib
import logging

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.directory.hsds import importer
from lotse.network.management.base import LotseCommand
from lotse.network.progress import Progress

#: What the summary lists, in this order.
COUNTED = (
    ("organisations", gettext_lazy("Organisations")),
    ("organisation_pages", gettext_lazy("Organisation pages")),
    ("offers", gettext_lazy("Offers")),
    ("places", gettext_lazy("Places")),
    ("contacts", gettext_lazy("Contacts")),
    ("terms", gettext_lazy("Taxonomy terms")),
    ("languages", gettext_lazy("Languages")),
    ("service_areas", gettext_lazy("Service areas")),
    ("directory_pages", gettext_lazy("Directory pages")),
)


@contextlib.contextmanager
def quiet_logger(name):
    """Wagtail logs every page it creates and publishes; the progress line says enough."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(LotseCommand):
    help = gettext_lazy(
        "Import organisations and their services from Open Referral HSDS 3.0: a JSON file with "
        "one organization or service, a list of them, or a Page envelope, or a folder holding "
        "an HSDS tabular datapackage (CSV). Records are matched by their HSDS ids, so a "
        "second import of the same data changes nothing. If any record is invalid, nothing is "
        "imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("JSON file or datapackage folder"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Check and report everything, then write nothing."),
        )
        parser.add_argument(
            "--unpublished",
            action="store_true",
            help=gettext_lazy(
                "Save new and changed offers as drafts for review instead of publishing them."
            ),
        )

    def handle(self, *args, **options):
        try:
            records = importer.read(options["path"])
        except importer.ImportFailed as error:
            raise CommandError(self.failure(error.problems)) from None
        total = sum(record.units for record in records)
        progress = Progress(self.stdout, _("Importing"), total) if total else None
        run = importer.Importer(
            publish=not options["unpublished"], progress=progress.step if progress else None
        )
        try:
            with quiet_logger("wagtail"):
                run.run(records, dry_run=options["dry_run"])
        except importer.ImportFailed as error:
            raise CommandError(self.failure(error.problems)) from None
        if progress is not None and progress.done < total:
            progress.step(total - progress.done)
        for warning in run.warnings:
            self.stdout.write(self.style.WARNING(_("Note: %(warning)s") % {"warning": warning}))
        for key, label in COUNTED:
            counts = run.counts.get(key)
            if counts:
                self.stdout.write(
                    _("%(what)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                    % {
                        "what": label,
                        "created": counts["created"],
                        "updated": counts["updated"],
                        "unchanged": counts["unchanged"],
                    }
                )
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import finished.")))

    def failure(self, problems):
        lines = [str(problem) for problem in problems]
        lines.append(
            _("Nothing was imported: %(count)d problem(s) in the data.") % {"count": len(problems)}
        )
        return "\n".join(lines)
