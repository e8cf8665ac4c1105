# The editable day "last confirmed current" becomes a moment set by publishing and by the
# "still current" action; existing offers keep the latest of that day and their publication.

import datetime as dt

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def copy_confirmations(apps, schema_editor):
    OfferPage = apps.get_model("directory", "OfferPage")
    zone = timezone.get_default_timezone()
    now = timezone.now()
    rows = OfferPage.objects.exclude(first_published_at=None).only(
        "pk", "last_confirmed_at", "last_published_at", "first_published_at"
    )
    changed = []
    for offer in rows.iterator(chunk_size=500):
        moments = [offer.last_published_at or offer.first_published_at]
        if offer.last_confirmed_at:
            moments.append(dt.datetime.combine(offer.last_confirmed_at, dt.time.min, tzinfo=zone))
        offer.confirmed_at = min(max(moments), now)
        changed.append(offer)
    OfferPage.objects.bulk_update(changed, ["confirmed_at"], batch_size=500)


def copy_confirmations_back(apps, schema_editor):
    OfferPage = apps.get_model("directory", "OfferPage")
    changed = []
    for offer in OfferPage.objects.exclude(confirmed_at=None).only("pk", "confirmed_at"):
        offer.last_confirmed_at = timezone.localdate(offer.confirmed_at)
        changed.append(offer)
    OfferPage.objects.bulk_update(changed, ["last_confirmed_at"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_initial"),
        ("network", "0003_invitation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="offerpage",
            name="confirmed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the offer was last published or confirmed as still current.",
                null=True,
                verbose_name="last confirmed current",
            ),
        ),
        migrations.AddField(
            model_name="offerpage",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="confirmed by",
            ),
        ),
        migrations.RunPython(copy_confirmations, copy_confirmations_back),
        migrations.RemoveField(
            model_name="offerpage",
            name="last_confirmed_at",
        ),
        migrations.CreateModel(
            name="FreshnessReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        db_index=True,
                        default=django.utils.timezone.now,
                        verbose_name="sent at",
                    ),
                ),
                ("offer_count", models.PositiveIntegerField(verbose_name="stale offers")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="network.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "freshness reminder",
                "verbose_name_plural": "freshness reminders",
                "ordering": ["-sent_at"],
            },
        ),
    ]
