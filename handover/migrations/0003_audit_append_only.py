"""The database itself guards the audit trail (SQLite and PostgreSQL).

Entries (`lotse_handover_auditentry`) can be neither updated nor deleted, and on PostgreSQL the
table cannot be truncated; the chain head (`lotse_handover_audithead`) cannot be deleted and
only moves forward, to the sequence and hash of the newest entry. The statements are those of
`lotse.handover.append_only`, which `manage.py flush` uses to lift and restore them.

Limits: a database superuser can still drop or disable these triggers; the keyed hash chain
then still reveals any change (`manage.py verify_audit_chain`).
"""

from django.db import migrations

from lotse.handover import append_only

POSTGRES_ENTRY_FUNCTION = """CREATE OR REPLACE FUNCTION lotse_handover_audit_append_only()
RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'handover audit entries are append-only'; END;
$$ LANGUAGE plpgsql"""


def create_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_ENTRY_FUNCTION)
        schema_editor.execute(append_only.POSTGRES_HEAD_FUNCTION)
    for triggers in (append_only.TRIGGERS, append_only.HEAD_TRIGGERS):
        lift, restore = triggers.get(vendor, ([], []))
        for statement in lift + restore:
            schema_editor.execute(statement)


def drop_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for triggers in (append_only.HEAD_TRIGGERS, append_only.TRIGGERS):
        for statement in triggers.get(vendor, ([], []))[0]:
            schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS lotse_handover_audit_head_guard()")
        schema_editor.execute("DROP FUNCTION IF EXISTS lotse_handover_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("lotse_handover", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_guards, drop_guards)]
