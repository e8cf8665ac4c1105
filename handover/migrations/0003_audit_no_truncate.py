"""PostgreSQL: the audit table cannot be truncated either (only `manage.py flush` lifts this)."""

from django.db import migrations

TABLE = "handover_auditentry"


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"""CREATE TRIGGER handover_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION handover_audit_append_only()"""
        )


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS handover_audit_no_truncate ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("handover", "0002_audit_append_only")]

    operations = [migrations.RunPython(up, down)]
