"""Re-encrypt every handover row with the newest key of LOTSE_HANDOVER_KEYS.

Put the new key first in LOTSE_HANDOVER_KEYS, keep the old ones behind it, run this command,
then drop the old keys. All rows change in one transaction: it either finishes or changes
nothing.
"""

from django.db import connection, transaction

from lotse.handover import crypto
from lotse.handover.models import encrypted_fields
from lotse.network.management.base import LotseCommand
from lotse.network.progress import Progress


class Command(LotseCommand):
    help = "Re-encrypt all handover content and consents with the newest key."

    def handle(self, *args, **options):
        crypto.fernet()  # fail early on missing or malformed keys
        plan = []
        for model, fields in encrypted_fields().items():
            columns = [model._meta.get_field(name).column for name in fields]
            plan.append((model, columns))
        total = sum(model._default_manager.count() for model, _ in plan)
        progress = Progress(self.stdout, "Re-encrypting", total)
        rotated = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for model, columns in plan:
                table, pk = model._meta.db_table, model._meta.pk.column
                quote = connection.ops.quote_name
                cursor.execute(
                    f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} "
                    f"FROM {quote(table)} ORDER BY {quote(pk)}"
                )
                rows = cursor.fetchall()
                for pk_value, *tokens in rows:
                    new = [crypto.rotate(t) if t else t for t in tokens]
                    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",
                        [*new, pk_value],
                    )
                    rotated += 1
                    progress.step()
        if total == 0:
            progress.step(0)
        self.stdout.write(self.style.SUCCESS(f"{rotated} rows re-encrypted with the newest key."))
