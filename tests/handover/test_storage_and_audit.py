"""Encryption at rest, key rotation and the tamper-evident audit trail."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from lotse.handover import audit, crypto, services
from lotse.handover.models import AuditEntry, HandoverContent

from .conftest import SECRETS, SUMMARY

pytestmark = pytest.mark.django_db

TABLES = (
    "lotse_handover_handover",
    "lotse_handover_handovercontent",
    "lotse_handover_consent",
    "lotse_handover_auditentry",
    "lotse_handover_outboxmessage",
)


def raw_dump():
    """Every value of every handover table, as the database holds it."""
    values = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(values)


def test_the_database_holds_no_plaintext(cast, handover):
    services.transition(
        cast.recipient.user,
        handover,
        "decline",
        reason="other",
        note="Frau Leander-Quist braucht Hilfe in Türkisch",
    )
    dump = raw_dump()
    assert dump  # the tables are not empty
    for secret in (*SECRETS, "Schuldnerberatung und Sicherung", "Türkisch", "vormittags"):
        assert secret not in dump, secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM lotse_handover_handovercontent")
        token = cursor.fetchone()[0]
    assert crypto.decrypt(token) == SUMMARY


def test_rotation_reencrypts_every_row_with_the_newest_key(cast, handover, settings):
    old_keys = list(settings.LOTSE_HANDOVER_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.LOTSE_HANDOVER_KEYS = [new_key, *old_keys]
    before = raw_dump()
    out = io.StringIO()
    call_command("rotate_handover_keys", stdout=out)
    assert "2 rows re-encrypted" in out.getvalue()  # one content row, one consent row
    assert "Re-encrypting: 2/2" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary, citizen_name FROM lotse_handover_handovercontent")
        tokens = cursor.fetchone()
        cursor.execute("SELECT purpose, text FROM lotse_handover_consent")
        tokens += cursor.fetchone()
    for token in tokens:
        assert crypto.newest_key_encrypted(token)
        with pytest.raises(InvalidToken):
            Fernet(old_keys[0]).decrypt(token.encode())
    assert raw_dump() != before
    # Old keys can go now; the content still reads.
    settings.LOTSE_HANDOVER_KEYS = [new_key]
    assert HandoverContent.objects.get().summary == SUMMARY
    assert services.read_content(cast.adviser, handover).citizen_name == "Zarah Leander-Quist"


def test_rotation_refuses_malformed_keys_and_changes_nothing(handover, settings):
    before = raw_dump()
    settings.LOTSE_HANDOVER_KEYS = ["not-a-key"]
    with pytest.raises(Exception, match="not a Fernet key"):
        call_command("rotate_handover_keys", stdout=io.StringIO())
    assert raw_dump() == before


def test_production_without_keys_refuses_to_encrypt(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.LOTSE_HANDOVER_KEYS = []
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_every_read_and_change_is_chained(cast, handover):
    services.read_content(cast.recipient.user, handover, mark_opened=True)
    services.transition(cast.recipient.user, handover, "accept")
    entries = list(AuditEntry.objects.all())
    # Before the handover: the cast's contacts were set up (their changes are audited too).
    assert [e.action for e in entries if e.handover_id == handover.pk] == [
        "created",
        "content_read",
        "open",
        "accept",
    ]
    assert entries[0].previous_hash == "0" * 64
    for earlier, later in zip(entries, entries[1:], strict=False):
        assert later.previous_hash == earlier.hash
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert f"intact: {len(entries)} entries" in out.getvalue()


def test_no_personal_data_in_the_audit_trail(cast, handover):
    services.read_content(cast.adviser, handover)
    services.withdraw_consent(cast.adviser, handover)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM lotse_handover_auditentry")
        text = str(cursor.fetchall())
    assert not any(secret in text for secret in SECRETS)


def test_python_refuses_to_change_or_delete_entries(handover):
    entry = AuditEntry.objects.get(handover_id=handover.pk)
    entry.action = "nothing happened"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def refused_statements():
    statements = [
        "UPDATE lotse_handover_auditentry SET action = 'x'",
        "DELETE FROM lotse_handover_auditentry",
        # The head: never deleted, never rewound, never moved to a hash no entry has.
        "DELETE FROM lotse_handover_audithead",
        "UPDATE lotse_handover_audithead SET sequence = sequence - 1",
        "UPDATE lotse_handover_audithead SET sequence = 0, hash = '" + "0" * 64 + "'",
        "UPDATE lotse_handover_audithead SET hash = '" + "f" * 64 + "'",
        "UPDATE lotse_handover_audithead SET sequence = sequence + 1, hash = '" + "f" * 64 + "'",
        "INSERT INTO lotse_handover_audithead (id, sequence, hash) "
        "SELECT 2, sequence, hash FROM lotse_handover_audithead",
    ]
    if connection.vendor == "postgresql":
        statements += ["TRUNCATE lotse_handover_auditentry", "TRUNCATE lotse_handover_audithead"]
    return statements


def test_the_database_refuses_to_change_or_delete_entries_or_the_head(handover):
    head = audit.current_head()
    for statement in refused_statements():
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.get(handover_id=handover.pk).action == "created"
    assert audit.current_head() == head and audit.verify() is None


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_leaves_it_append_only(cast, handover):
    """Transactional tests and resets of development databases flush every table."""
    assert AuditEntry.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert not HandoverContent.objects.exists()
    audit.record(None, "after_flush")
    audit.record(None, "after_flush")
    assert audit.verify() is None
    for statement in refused_statements():
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["after_flush"] * 2


def test_a_failing_flush_changes_nothing(handover, monkeypatch):
    def broken(sql_list):
        raise DatabaseError("disk full")

    monkeypatch.setattr(connection.ops, "execute_sql_flush", broken)
    count = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="couldn't be flushed"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == count
    for statement in refused_statements():
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
