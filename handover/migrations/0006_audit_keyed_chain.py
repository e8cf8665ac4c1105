"""The audit chain becomes keyed (HMAC-SHA256, `LOTSE_AUDIT_KEYS`) and its head is guarded.

Entries are append-only, so existing ones are not re-MAC'd: they stay plain SHA-256 ("legacy",
empty `key_id`). If there are any, this migration appends one keyed "chain_sealed" entry
whose MAC covers the last legacy hash and so, through the SHA-256 links, every legacy entry.
From then on a legacy entry that no seal covers is a break. A change someone made to the
legacy chain before this migration (recomputing the SHA-256 links) cannot be told apart, and
is sealed as found; this is why the seal happens here, once, and not later.

Sealing needs an audit key (with DEBUG off: `LOTSE_AUDIT_KEYS`) if the chain is not empty.
Then the head triggers (`append_only.HEAD_TRIGGERS`) are created. Reversing is refused once
keyed entries exist (without their key ids they could not be verified).
"""

from django.db import migrations, models
from django.utils import timezone

from handover import append_only, audit_keys
from handover.models import compute_audit_hash


def seal_legacy_chain(apps, schema_editor):
    AuditEntry = apps.get_model("handover", "AuditEntry")
    AuditHead = apps.get_model("handover", "AuditHead")
    newest = AuditEntry.objects.order_by("-sequence").first()
    if newest is None or newest.key_id:
        return
    key = audit_keys.newest()
    seal = AuditEntry(
        sequence=newest.sequence + 1,
        created_at=timezone.now(),
        action="chain_sealed",
        detail=f"legacy sha256 entries 1-{newest.sequence}",
        previous_hash=newest.hash,
        key_id=key.id,
    )
    seal.hash = compute_audit_hash(seal, key)
    seal.save()
    AuditHead.objects.update_or_create(
        pk=1, defaults={"sequence": seal.sequence, "hash": seal.hash}
    )


def refuse_to_unkey(apps, schema_editor):
    """Reversing would drop the key ids and leave every keyed entry unverifiable."""
    if apps.get_model("handover", "AuditEntry").objects.exclude(key_id="").exists():
        raise RuntimeError(
            "The audit chain holds keyed entries: removing key_id would break it. "
            "This migration cannot be reversed on this database."
        )


def create_head_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(append_only.POSTGRES_HEAD_FUNCTION)
    lift, restore = append_only.HEAD_TRIGGERS.get(vendor, ([], []))
    for statement in lift + restore:
        schema_editor.execute(statement)


def drop_head_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in append_only.HEAD_TRIGGERS.get(vendor, ([], []))[0]:
        schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS handover_audit_head_guard()")


def restore_entry_triggers(apps, schema_editor):
    """SQLite rebuilds the entry table to add or drop a column: put its triggers back."""
    if schema_editor.connection.vendor == "sqlite":
        lift, restore = append_only.TRIGGERS["sqlite"]
        for statement in lift + restore:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0005_audit_person"),
    ]

    operations = [
        # Only when reversing: after the column is gone again.
        migrations.RunPython(migrations.RunPython.noop, restore_entry_triggers),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(
                blank=True,
                help_text="Id of the MAC key the hash was made with; empty for legacy SHA-256 "
                "entries.",
                max_length=16,
            ),
        ),
        migrations.RunPython(restore_entry_triggers, migrations.RunPython.noop),
        migrations.RunPython(seal_legacy_chain, refuse_to_unkey),
        migrations.RunPython(create_head_guard, drop_head_guard),
    ]
