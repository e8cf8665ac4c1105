# Only the validator changes (no database change): descriptions bounded by LOTSE_MAX_TEXT_CHARS.

from django.db import migrations, models

import network.inputs


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_invitation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="description",
            field=models.TextField(
                blank=True, validators=[network.inputs.TextValidator()], verbose_name="description"
            ),
        ),
    ]
