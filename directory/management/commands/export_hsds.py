"""Export the published directory as Open Referral HSDS 3.0."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.directory.hsds import datapackage, exporter, queries
from lotse.network.management.base import LotseCommand
from lotse.network.progress import Progress


class Command(LotseCommand):
    help = gettext_lazy(
        "Write the published directory as Open Referral HSDS 3.0: a JSON list of fully nested "
        "organizations, or with --datapackage a folder holding the HSDS tabular form (CSV "
        "files and datapackage.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help=gettext_lazy("JSON file to write (or a folder with --datapackage)"),
        )
        parser.add_argument(
            "--datapackage",
            action="store_true",
            help=gettext_lazy("Write the tabular form into the folder PATH."),
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if options["datapackage"] and path.exists() and not path.is_dir():
            raise CommandError(_("%(path)s is a file, not a folder.") % {"path": path})
        if not options["datapackage"] and path.is_dir():
            raise CommandError(
                _("%(path)s is a folder; give a file name, or use --datapackage.") % {"path": path}
            )
        total = queries.public_organisations().count()
        progress = Progress(self.stdout, _("Exporting"), total) if total else None
        organizations = exporter.organizations(progress=progress.step if progress else None)
        if options["datapackage"]:
            datapackage.write_datapackage(path, organizations)
        else:
            exporter.write_json(path, organizations)
        services = sum(len(org["services"]) for org in organizations)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(organisations)d organisations with %(services)d services written to %(path)s.")
                % {"organisations": len(organizations), "services": services, "path": path}
            )
        )
