"""The database triggers that keep the audit trail append-only, and their one sanctioned pause.

Migrations 0002 and 0003 create the triggers: rows of `handover_auditentry` can be neither
updated nor deleted, and on PostgreSQL the table cannot be truncated. Only `manage.py flush`
(which empties every table, as test databases do between transactional tests) lifts them,
inside its own transaction, and puts them back before it commits.
"""

from contextlib import contextmanager

TABLE = "handover_auditentry"

#: vendor → (statements that lift the triggers, statements that put them back)
TRIGGERS = {
    "sqlite": (
        [
            "DROP TRIGGER IF EXISTS handover_audit_no_update",
            "DROP TRIGGER IF EXISTS handover_audit_no_delete",
        ],
        [
            f"""CREATE TRIGGER handover_audit_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'handover audit entries are append-only'); END""",
            f"""CREATE TRIGGER handover_audit_no_delete BEFORE DELETE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'handover audit entries are append-only'); END""",
        ],
    ),
    "postgresql": (
        [
            f"DROP TRIGGER IF EXISTS handover_audit_append_only ON {TABLE}",
            f"DROP TRIGGER IF EXISTS handover_audit_no_truncate ON {TABLE}",
        ],
        [
            f"""CREATE TRIGGER handover_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION handover_audit_append_only()""",
            f"""CREATE TRIGGER handover_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION handover_audit_append_only()""",
        ],
    ),
}


@contextmanager
def lifted(connection):
    """Run the block with the triggers lifted; the caller's transaction makes it all-or-nothing.

    Does nothing before the audit table exists (a database not yet migrated).
    """
    lift, restore = TRIGGERS.get(connection.vendor, ([], []))
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
