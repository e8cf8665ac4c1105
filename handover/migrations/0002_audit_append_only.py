"""The database itself refuses to change or delete audit entries (SQLite and PostgreSQL).

Limits: a database superuser can still drop or disable these triggers; the hash chain then
still reveals any change (`manage.py verify_audit_chain`). PostgreSQL's TRUNCATE (used by test
database flushes) is not a row operation and is not refused.
"""

from django.db import migrations

TABLE = "handover_auditentry"

SQLITE_UP = [
    f"""CREATE TRIGGER handover_audit_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'handover audit entries are append-only'); END""",
    f"""CREATE TRIGGER handover_audit_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'handover audit entries are append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS handover_audit_no_update",
    "DROP TRIGGER IF EXISTS handover_audit_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION handover_audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'handover audit entries are append-only'; END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER handover_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION handover_audit_append_only()""",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS handover_audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS handover_audit_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("handover", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
