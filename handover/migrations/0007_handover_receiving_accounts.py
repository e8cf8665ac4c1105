"""Handovers store the accounts that read them on the receiving side (recipient, deputy).

Existing sent handovers get the accounts that could read them until now: the recipient's
linked account and the deputy's, as they are at the time of the migration (who named that
deputy was never recorded). From here on, only a coordinator's audited re-assignment moves
them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_receiving_accounts(apps, schema_editor):
    Handover = apps.get_model("handover", "Handover")
    sent = Handover.objects.exclude(status="draft").filter(recipient__isnull=False)
    for handover in sent.select_related("recipient__user", "recipient__deputy__user"):
        person = handover.recipient
        user = person.user if person.user_id and person.user.is_active else None
        deputy = person.deputy
        deputy_user = None
        if deputy is not None and deputy.user_id and deputy.user.is_active:
            deputy_user = deputy.user
        if deputy_user is not None and user is not None and deputy_user.pk == user.pk:
            deputy_user = None
        Handover.objects.filter(pk=handover.pk).update(
            recipient_user=user, deputy_user=deputy_user
        )


class Migration(migrations.Migration):

    dependencies = [
        ('handover', '0006_audit_keyed_chain'),
        ("network", "0006_person_deputy_named"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='handover',
            name='deputy_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name="deputy's account"),
        ),
        migrations.AddField(
            model_name='handover',
            name='recipient_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name="recipient's account"),
        ),
        migrations.RunPython(fill_receiving_accounts, migrations.RunPython.noop),
    ]
