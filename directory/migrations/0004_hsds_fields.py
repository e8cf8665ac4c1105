"""HSDS round trips: schedule ids (filled in 0005, unique in 0006), places abroad."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_offer_confirmation_and_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="country",
            field=models.CharField(
                default="DE",
                help_text="ISO 3166-1 alpha-2 code.",
                max_length=2,
                verbose_name="country",
            ),
        ),
        migrations.AlterField(
            model_name="location",
            name="postcode",
            field=models.CharField(max_length=10, verbose_name="postcode"),
        ),
        migrations.AddField(
            model_name="openinghours",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
    ]
