"""Django's `flush`, able to empty the append-only audit table along with all the others.

Emptying the whole database is the one case where audit entries may go: test runs flush
between transactional tests, and a development database is reset this way. The triggers are
lifted and put back inside one transaction, so they are never missing after the command.
"""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections, transaction

from lotse.handover import append_only


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if options["interactive"]:
            name = connection.settings_dict["NAME"]
            answer = input(
                f'This will IRREVERSIBLY DESTROY all data in the "{name}" database, '
                "the handover audit trail included.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return
        try:
            with transaction.atomic(using=connection.alias), append_only.lifted(connection):
                super().handle(**{**options, "interactive": False})
        except CommandError as error:
            # Django's message spans several lines of hints; its first line says it all.
            raise CommandError(str(error).splitlines()[0]) from error
        except Exception as error:
            raise CommandError(f"The database could not be flushed: {error}") from error
