from django.db import migrations, models
import uuid


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_fill_schedule_ids"),
    ]

    operations = [
        migrations.AlterField(
            model_name="openinghours",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
    ]
