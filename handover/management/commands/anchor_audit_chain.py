"""Write the verified head of the audit chain outside the database (run daily).

Appends one signed line to `--file` and/or e-mails it to `LOTSE_DATA_PROTECTION_EMAIL`
(`--email`). Refuses when the chain is broken — against the same file's earlier anchors too —
so a rewritten chain is never anchored. See `handover/anchors.py`.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from lotse.conf import lotse_settings
from lotse.handover import anchors, audit
from lotse.network.management.base import LotseCommand

from .verify_audit_chain import read_anchor_file


class Command(LotseCommand):
    help = (
        "Verify the handover audit chain and record its head outside the database: append a "
        "signed line to a file and/or e-mail it to the data-protection officer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="PATH", help="Append the anchor line to this file.")
        parser.add_argument(
            "--email",
            action="store_true",
            help="E-mail the anchor line to LOTSE_DATA_PROTECTION_EMAIL.",
        )

    def handle(self, *args, file, email, **options):
        if not file and not email:
            raise CommandError("Name a --file to append to, or --email, or both.")
        recipient = lotse_settings.LOTSE_DATA_PROTECTION_EMAIL
        if email and not recipient:
            raise CommandError("--email needs the setting LOTSE_DATA_PROTECTION_EMAIL.")
        earlier = read_anchor_file(file) if file and os.path.exists(file) else []
        try:
            report = audit.examine()
            broken = report.broken or anchors.check(earlier)[0]
            line = anchors.make_line(report.head)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if broken is not None:
            raise CommandError(f"Not anchored: the audit chain is broken: {broken.reason}.")
        if file:
            try:
                with open(file, "a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
            except OSError as error:
                raise CommandError(f"Cannot write {file}: {error.strerror}.") from error
        if email:
            self._send(recipient, report.head[0], line)
        self.stdout.write(f"Anchored entry {report.head[0]}: {line}")

    def _send(self, recipient, sequence, line):
        body = _(
            "The handover audit chain of Lotse was verified and ends at entry %(sequence)s. "
            "Please keep this message: the line below lets anybody holding the audit key "
            "prove later that no entry up to this one was changed or removed.\n\n"
            "To check, save the lines of these messages to a file and run\n"
            "  manage.py verify_audit_chain --anchor FILE\n\n%(line)s\n"
        ) % {"sequence": sequence, "line": line}
        subject = _("Lotse audit chain anchor: entry %(sequence)s") % {"sequence": sequence}
        try:
            send_mail(subject, body, None, [recipient])
        except (OSError, ValueError) as error:
            raise CommandError(f"The anchor could not be e-mailed: {error}") from error
