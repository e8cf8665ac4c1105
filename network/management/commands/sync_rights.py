"""Rebuild groups, page permissions and object permissions from the memberships."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.network import rights
from lotse.network.management.base import LotseCommand
from lotse.network.models import Organisation
from lotse.network.progress import Progress


class Command(LotseCommand):
    help = gettext_lazy(
        "Rebuild the Wagtail groups, page permissions and django-guardian object permissions "
        "of every organisation from its memberships. Signals keep them current; run this after "
        "restoring a backup or importing data with signals switched off."
    )

    def handle(self, *args, **options):
        progress = Progress(self.stdout, _("Organisations"), Organisation.objects.count())
        with transaction.atomic():
            rights.sync_all(progress=progress.step)
        self.stdout.write(
            _("Rights rebuilt for %(count)d organisations.") % {"count": progress.done}
        )
