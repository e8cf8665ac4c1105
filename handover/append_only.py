"""The database triggers that keep the audit trail append-only, and their one sanctioned pause.

The migration `audit_append_only` creates the entry triggers: rows of `lotse_handover_auditentry`
can be neither updated nor deleted, and on PostgreSQL the table cannot be truncated; it
also guards the head (`lotse_handover_audithead`): it cannot be deleted, and it only moves forward,
to the sequence and hash of the newest existing entry. Only `manage.py flush` (which empties every
table, as test databases do between transactional tests) lifts them, inside its own
transaction, and puts them back before it commits.

SQLite: a migration that rebuilds `lotse_handover_auditentry` (most column changes) drops its
triggers, and the head triggers, which read that table, must not exist while it is renamed:
run `drop_sqlite_triggers` before such an operation and `create_sqlite_triggers` after it.
"""

from contextlib import contextmanager

TABLE = "lotse_handover_auditentry"
HEAD_TABLE = "lotse_handover_audithead"
GENESIS = "0" * 64

#: vendor → (statements that lift the triggers, statements that put them back)
TRIGGERS = {
    "sqlite": (
        [
            "DROP TRIGGER IF EXISTS lotse_handover_audit_no_update",
            "DROP TRIGGER IF EXISTS lotse_handover_audit_no_delete",
        ],
        [
            f"""CREATE TRIGGER lotse_handover_audit_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'handover audit entries are append-only'); END""",
            f"""CREATE TRIGGER lotse_handover_audit_no_delete BEFORE DELETE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'handover audit entries are append-only'); END""",
        ],
    ),
    "postgresql": (
        [
            f"DROP TRIGGER IF EXISTS lotse_handover_audit_append_only ON {TABLE}",
            f"DROP TRIGGER IF EXISTS lotse_handover_audit_no_truncate ON {TABLE}",
        ],
        [
            f"""CREATE TRIGGER lotse_handover_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION lotse_handover_audit_append_only()""",
            f"""CREATE TRIGGER lotse_handover_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION lotse_handover_audit_append_only()""",
        ],
    ),
}


HEAD_REFUSED = "the handover audit chain head only moves forward to the newest entry"

#: The head's guard on PostgreSQL (created by that migration; the triggers below call it).
POSTGRES_HEAD_FUNCTION = f"""CREATE OR REPLACE FUNCTION lotse_handover_audit_head_guard()
RETURNS trigger AS $$
DECLARE newest_sequence bigint; newest_hash varchar(64);
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'the handover audit chain head cannot be deleted';
  END IF;
  SELECT e."sequence", e.hash INTO newest_sequence, newest_hash
    FROM {TABLE} e ORDER BY e."sequence" DESC LIMIT 1;
  IF TG_OP = 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM {HEAD_TABLE})
       OR NEW."sequence" IS DISTINCT FROM COALESCE(newest_sequence, 0)
       OR NEW.hash IS DISTINCT FROM COALESCE(newest_hash, '{GENESIS}') THEN
      RAISE EXCEPTION '{HEAD_REFUSED}';
    END IF;
  ELSIF NEW.id IS DISTINCT FROM OLD.id OR NEW."sequence" <= OLD."sequence"
     OR NEW."sequence" IS DISTINCT FROM newest_sequence
     OR NEW.hash IS DISTINCT FROM newest_hash THEN
    RAISE EXCEPTION '{HEAD_REFUSED}';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql"""

#: vendor → (statements that lift the head's triggers, statements that put them back)
HEAD_TRIGGERS = {
    "sqlite": (
        [
            "DROP TRIGGER IF EXISTS lotse_handover_audithead_no_delete",
            "DROP TRIGGER IF EXISTS lotse_handover_audithead_no_insert",
            "DROP TRIGGER IF EXISTS lotse_handover_audithead_forward_only",
        ],
        [
            f"""CREATE TRIGGER lotse_handover_audithead_no_delete BEFORE DELETE ON {HEAD_TABLE}
            BEGIN SELECT RAISE(ABORT, 'the handover audit chain head cannot be deleted'); END""",
            f"""CREATE TRIGGER lotse_handover_audithead_no_insert BEFORE INSERT ON {HEAD_TABLE}
            WHEN EXISTS (SELECT 1 FROM {HEAD_TABLE})
              OR NEW.sequence IS NOT COALESCE((SELECT MAX(sequence) FROM {TABLE}), 0)
              OR NEW.hash IS NOT COALESCE(
                (SELECT hash FROM {TABLE} WHERE sequence = NEW.sequence), '{GENESIS}')
            BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSED}'); END""",
            f"""CREATE TRIGGER lotse_handover_audithead_forward_only BEFORE UPDATE ON {HEAD_TABLE}
            WHEN NEW.id IS NOT OLD.id OR NEW.sequence <= OLD.sequence
              OR NEW.sequence IS NOT (SELECT MAX(sequence) FROM {TABLE})
              OR NEW.hash IS NOT (SELECT hash FROM {TABLE} WHERE sequence = NEW.sequence)
            BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSED}'); END""",
        ],
    ),
    "postgresql": (
        [
            f"DROP TRIGGER IF EXISTS lotse_handover_audithead_guard ON {HEAD_TABLE}",
            f"DROP TRIGGER IF EXISTS lotse_handover_audithead_no_truncate ON {HEAD_TABLE}",
        ],
        [
            f"""CREATE TRIGGER lotse_handover_audithead_guard
            BEFORE INSERT OR UPDATE OR DELETE ON {HEAD_TABLE}
            FOR EACH ROW EXECUTE FUNCTION lotse_handover_audit_head_guard()""",
            f"""CREATE TRIGGER lotse_handover_audithead_no_truncate BEFORE TRUNCATE ON {HEAD_TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION lotse_handover_audit_head_guard()""",
        ],
    ),
}


def _head_guard_present(connection):
    """False on PostgreSQL before the migration has created the head's guard function."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'lotse_handover_audit_head_guard'")
        return cursor.fetchone() is not None


def _statements(connection):
    lift, restore = TRIGGERS.get(connection.vendor, ([], []))
    head_lift, head_restore = HEAD_TRIGGERS.get(connection.vendor, ([], []))
    if not _head_guard_present(connection):
        head_restore = []
    return lift + head_lift, restore + head_restore


def drop_sqlite_triggers(apps, schema_editor):
    """Migration step (SQLite) before rebuilding the entry table: no trigger may name it."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in _statements(schema_editor.connection)[0]:
            schema_editor.execute(statement)


def create_sqlite_triggers(apps, schema_editor):
    """Migration step (SQLite) after rebuilding the entry table: every trigger back."""
    if schema_editor.connection.vendor == "sqlite":
        lift, restore = _statements(schema_editor.connection)
        for statement in lift + restore:
            schema_editor.execute(statement)


@contextmanager
def lifted(connection):
    """Run the block with the triggers lifted; the caller's transaction makes it all-or-nothing.

    Does nothing before the audit table exists (a database not yet migrated).
    """
    lift, restore = _statements(connection)
    present = TABLE in connection.introspection.table_names()
    if present:
        with connection.cursor() as cursor:
            for statement in lift:
                cursor.execute(statement)
    yield
    if present:
        with connection.cursor() as cursor:
            for statement in restore:
                cursor.execute(statement)
