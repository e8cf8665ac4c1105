"""Every existing schedule gets its own HSDS id (a separate step: PostgreSQL refuses to alter a
table with pending trigger events in the same transaction)."""

import uuid

from django.db import migrations


def give_schedules_ids(apps, schema_editor):
    OpeningHours = apps.get_model("directory", "OpeningHours")
    for pk in OpeningHours.objects.filter(hsds_id=None).values_list("pk", flat=True).iterator():
        OpeningHours.objects.filter(pk=pk).update(hsds_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_hsds_fields"),
    ]

    operations = [
        migrations.RunPython(give_schedules_ids, migrations.RunPython.noop),
    ]
