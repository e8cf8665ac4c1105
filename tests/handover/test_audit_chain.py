"""The keyed audit chain against someone who holds the database but not the audit key.

Each attack is real SQL against the real database, with the triggers lifted the way a user with
full database rights would lift them (rolled back with the test).
"""

import hashlib
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lotse.handover import anchors, audit, audit_keys
from lotse.handover.models import GENESIS_HASH, AuditEntry, audit_payload

pytestmark = pytest.mark.django_db

TEST_KEY = "lotse-test-audit-key-not-secret-2026-aaaaaaaaaa"
NEW_KEY = "a-second-audit-key-for-rotation-tests-bbbbbbbbbbbb"


def lift_triggers(cursor):
    """What an attacker with full database rights does first."""
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE lotse_handover_auditentry DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE lotse_handover_audithead DISABLE TRIGGER USER")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in cursor.fetchall():
            if name.startswith("lotse_handover_audit"):
                cursor.execute(f"DROP TRIGGER {name}")


def rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequence, created_at, actor_id, action, handover_id, from_status, "
            "to_status, person_id, detail, previous_hash, hash, key_id "
            "FROM lotse_handover_auditentry ORDER BY sequence"
        )
        return cursor.fetchall()


def sha256_rehash_from(sequence, drop_key_ids):
    """Recompute every hash from `sequence` on with plain SHA-256, as the old chain allowed."""
    entries = list(AuditEntry.objects.order_by("sequence"))
    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for entry in entries:
            if entry.sequence >= sequence:
                entry.previous_hash = previous
                if drop_key_ids:
                    entry.key_id = ""
                entry.hash = hashlib.sha256(audit_payload(entry).encode()).hexdigest()
                cursor.execute(
                    "UPDATE lotse_handover_auditentry "
                    "SET previous_hash = %s, hash = %s, key_id = %s "
                    "WHERE sequence = %s",
                    [f"p{entry.sequence}", f"h{entry.sequence}", entry.key_id, entry.sequence],
                )
            previous = entry.hash
        # Second pass: the unique columns are free now.
        for entry in entries:
            if entry.sequence >= sequence:
                cursor.execute(
                    "UPDATE lotse_handover_auditentry SET previous_hash = %s, hash = %s "
                    "WHERE sequence = %s",
                    [entry.previous_hash, entry.hash, entry.sequence],
                )
        cursor.execute(
            "UPDATE lotse_handover_audithead SET sequence = %s, hash = %s",
            [entries[-1].sequence, entries[-1].hash],
        )


@pytest.fixture
def chain(cast, handover):
    """A handover's life so far: several entries after the cast's own."""
    from lotse.handover import services

    services.read_content(cast.recipient.user, handover, mark_opened=True)
    services.transition(cast.recipient.user, handover, "accept")
    assert audit.verify() is None
    return AuditEntry.objects.count()


def verify_command(*args):
    out = io.StringIO()
    call_command("verify_audit_chain", *args, stdout=out)
    return out.getvalue()


# Every entry is authenticated


def test_entries_carry_a_mac_of_the_configured_key(chain):
    key = audit_keys.newest()
    for entry in AuditEntry.objects.all():
        assert entry.key_id == key.id
        assert entry.hash == key.mac(audit_payload(entry))
        assert entry.hash != hashlib.sha256(audit_payload(entry).encode()).hexdigest()
    dump = str(rows())
    assert TEST_KEY not in dump and audit_keys.key_id(TEST_KEY.encode()) in dump


# Rewrite 1: change an actor and recompute the later hashes


@pytest.mark.parametrize("drop_key_ids", [False, True], ids=["sha256", "downgraded-to-legacy"])
def test_changing_an_actor_and_recomputing_the_chain_is_found(cast, chain, drop_key_ids):
    target = AuditEntry.objects.get(handover_id__isnull=False, action="open").sequence
    with connection.cursor() as cursor:
        lift_triggers(cursor)
        cursor.execute(
            "UPDATE lotse_handover_auditentry SET actor_id = %s WHERE sequence = %s",
            [cast.colleague.pk, target],
        )
    sha256_rehash_from(target, drop_key_ids)
    found = audit.verify()
    assert found is not None
    if drop_key_ids:
        assert found.sequence == target and "legacy" in found.reason
    else:
        assert found.sequence == target and "MAC does not match" in found.reason
    with pytest.raises(CommandError, match=f"broken at entry {target}"):
        verify_command()


def test_rewriting_the_whole_chain_as_legacy_entries_is_found(chain):
    with connection.cursor() as cursor:
        lift_triggers(cursor)
    sha256_rehash_from(1, drop_key_ids=True)
    found = audit.verify()
    assert found is not None and "no keyed entry seals" in found.reason


def test_a_guessed_key_does_not_help(chain, settings):
    settings.LOTSE_AUDIT_KEYS = ["the-attacker-guesses-some-key-0123456789"]
    forged = audit.record(None, "content_read", handover=1)  # "written" with the guessed key
    settings.LOTSE_AUDIT_KEYS = [TEST_KEY]
    found = audit.verify()
    assert found.sequence == forged.sequence and "does not hold" in found.reason


# Rewrite 2 and 3: cut entries off the end, or empty the chain, and rewind the head


def cut_back(keep):
    with connection.cursor() as cursor:
        lift_triggers(cursor)
        cursor.execute("DELETE FROM lotse_handover_auditentry WHERE sequence > %s", [keep])
        cursor.execute(
            "UPDATE lotse_handover_audithead SET sequence = %s, hash = COALESCE("
            "(SELECT hash FROM lotse_handover_auditentry WHERE sequence = %s), %s)",
            [keep, keep, GENESIS_HASH],
        )


def anchor(path):
    out = io.StringIO()
    call_command("anchor_audit_chain", "--file", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("keep", [2, 0], ids=["rewound", "wiped"])
def test_a_rewound_or_wiped_chain_is_found_against_the_anchor(chain, tmp_path, keep):
    anchors_file = tmp_path / "audit-anchors.txt"
    assert f"Anchored entry {chain}" in anchor(anchors_file)
    assert "1 anchors match" in verify_command("--anchor", str(anchors_file))

    cut_back(keep)
    # Inside the database the shortened chain is consistent: only the anchor can tell.
    assert audit.verify() is None
    assert AuditEntry.objects.count() == keep
    with pytest.raises(CommandError) as error:
        verify_command("--anchor", str(anchors_file))
    message = str(error.value)
    assert "cut back" in message and f"names entry {chain}" in message
    assert f"ends at entry {keep}" in message and "\n" not in message
    # The daily job refuses to anchor the shortened chain, so the next anchor cannot hide it.
    with pytest.raises(CommandError, match="Not anchored"):
        anchor(anchors_file)
    assert len(anchors_file.read_text().splitlines()) == 1


def test_every_anchor_line_is_checked(chain, tmp_path):
    anchors_file = tmp_path / "anchors.txt"
    anchor(anchors_file)
    audit.record(None, "content_read", handover=1)
    audit.record(None, "content_read", handover=1)
    anchor(anchors_file)
    assert "2 anchors match" in verify_command("--anchor", str(anchors_file))
    cut_back(chain + 1)  # keeps the first anchor's entry, loses the second one's
    with pytest.raises(CommandError, match=f"line 2\\) names entry {chain + 2}"):
        verify_command("--anchor", str(anchors_file))


def test_a_forged_anchor_line_is_refused(chain, tmp_path):
    anchors_file = tmp_path / "anchors.txt"
    anchor(anchors_file)
    values = json.loads(anchors_file.read_text())
    assert set(values) == {"at", "sequence", "hash", "key_id", "mac"}
    assert TEST_KEY not in anchors_file.read_text()
    values["sequence"] -= 1
    anchors_file.write_text(json.dumps(values) + "\n")
    with pytest.raises(CommandError, match="line 1 is not authentic"):
        verify_command("--anchor", str(anchors_file))
    anchors_file.write_text("not json\n")
    with pytest.raises(CommandError, match="line 1 is not an anchor line"):
        verify_command("--anchor", str(anchors_file))


def test_a_changed_entry_is_found_against_the_anchor_too(chain, tmp_path):
    anchors_file = tmp_path / "anchors.txt"
    anchor(anchors_file)
    line = json.loads(anchors_file.read_text())
    assert AuditEntry.objects.get(sequence=line["sequence"]).hash == line["hash"]
    found, count = anchors.check([anchors.make_line((line["sequence"], "f" * 64))])
    assert count == 0 and "differs from the anchor" in found.reason


def test_anchor_by_email_to_the_data_protection_officer(chain, settings, tmp_path):
    settings.LOTSE_DATA_PROTECTION_EMAIL = "datenschutz@landkreis-lahnfeld.de"
    call_command("anchor_audit_chain", "--email", stdout=io.StringIO())
    (message,) = mail.outbox
    assert message.to == ["datenschutz@landkreis-lahnfeld.de"]
    assert str(chain) in message.subject
    line = next(text for text in message.body.splitlines() if text.startswith("{"))
    (tmp_path / "from-mail.txt").write_text(line + "\n")
    assert "1 anchors match" in verify_command("--anchor", str(tmp_path / "from-mail.txt"))
    assert TEST_KEY not in message.body


@pytest.mark.parametrize(
    "args, reason",
    [([], "Name a --file"), (["--email"], "LOTSE_DATA_PROTECTION_EMAIL")],
)
def test_anchor_without_a_destination_says_why_in_one_line(chain, args, reason):
    with pytest.raises(CommandError) as error:
        call_command("anchor_audit_chain", *args, stdout=io.StringIO())
    assert reason in str(error.value) and "\n" not in str(error.value)


def test_an_unreadable_anchor_file_is_one_line(chain, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the anchor file") as error:
        verify_command("--anchor", str(tmp_path / "missing.txt"))
    assert "\n" not in str(error.value)


# Keys: rotation, no key, development key


def test_rotation_new_entries_use_the_new_key_old_ones_still_verify(chain, settings):
    settings.LOTSE_AUDIT_KEYS = [NEW_KEY, TEST_KEY]
    entry = audit.record(None, "content_read", handover=1)
    assert entry.key_id == audit_keys.key_id(NEW_KEY.encode())
    out = verify_command()
    assert f"intact: {chain + 1} entries" in out
    assert audit_keys.key_id(TEST_KEY.encode()) in out and NEW_KEY not in out
    # Dropping the old key leaves its entries unverifiable: it stays, for verification only.
    settings.LOTSE_AUDIT_KEYS = [NEW_KEY]
    assert "does not hold" in audit.verify().reason
    # An entry made with the old key after the new one was used is refused.
    settings.LOTSE_AUDIT_KEYS = [TEST_KEY, NEW_KEY]
    late = audit.record(None, "content_read", handover=1)
    settings.LOTSE_AUDIT_KEYS = [NEW_KEY, TEST_KEY]
    found = audit.verify()
    assert found.sequence == late.sequence and "older key" in found.reason


def test_without_a_key_nothing_is_recorded_and_verify_says_why(chain, settings):
    settings.LOTSE_AUDIT_KEYS = []
    settings.DEBUG = False
    before = AuditEntry.objects.count()
    with pytest.raises(Exception, match="Set LOTSE_AUDIT_KEYS"):
        audit.record(None, "content_read", handover=1)
    assert AuditEntry.objects.count() == before
    with pytest.raises(CommandError, match="Set LOTSE_AUDIT_KEYS") as error:
        verify_command()
    assert "\n" not in str(error.value)


def test_with_debug_on_and_no_key_one_is_derived_from_secret_key(settings):
    settings.LOTSE_AUDIT_KEYS = []
    settings.DEBUG = True
    entry = audit.record(None, "content_read", handover=1)
    derived = hashlib.sha256(f"lotse-audit:{settings.SECRET_KEY}".encode()).hexdigest()
    assert entry.key_id == audit_keys.key_id(derived.encode())
    assert audit.verify() is None
    settings.SECRET_KEY = "another-secret-key-another-secret-key-0123456789"
    assert "does not hold" in audit.verify().reason


# Chains from before the key


def legacy_chain(count):
    """Entries as the unkeyed chain wrote them (raw SQL: the model writes keyed ones)."""
    from django.utils import timezone

    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for sequence in range(1, count + 1):
            entry = AuditEntry(
                sequence=sequence,
                created_at=timezone.now(),
                action="content_read",
                handover_id=sequence,
                previous_hash=previous,
                key_id="",
            )
            entry.hash = entry.compute_hash()
            cursor.execute(
                "INSERT INTO lotse_handover_auditentry (sequence, created_at, actor_id, action, "
                "handover_id, from_status, to_status, person_id, detail, previous_hash, hash, "
                "key_id) VALUES (%s, %s, NULL, %s, %s, '', '', NULL, '', %s, %s, '')",
                [
                    sequence,
                    connection.ops.adapt_datetimefield_value(entry.created_at),
                    entry.action,
                    sequence,
                    previous,
                    entry.hash,
                ],
            )
            previous = entry.hash
        cursor.execute(
            "INSERT INTO lotse_handover_audithead (id, sequence, hash) VALUES (1, %s, %s)",
            [count, previous],
        )


def test_a_head_that_lags_behind_is_found(chain):
    with connection.cursor() as cursor:
        lift_triggers(cursor)
        cursor.execute(
            "UPDATE lotse_handover_audithead SET sequence = 1, hash = "
            "(SELECT hash FROM lotse_handover_auditentry WHERE sequence = 1)"
        )
    assert "lags behind" in audit.verify().reason


def test_verification_speed(db, settings):
    """Figure for the report: keyed entries verified per second (printed with -s)."""
    import time

    for _ in range(300):
        audit.record(None, "content_read", handover=1)
    started = time.perf_counter()
    assert audit.verify() is None
    elapsed = time.perf_counter() - started
    print(f"\nverified 300 keyed entries in {elapsed * 1000:.0f} ms")
