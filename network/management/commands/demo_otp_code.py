"""Print the demo users' current sign-in code (the published demo secret; DEBUG only)."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.network import two_factor
from lotse.network.management.base import LotseCommand


class Command(LotseCommand):
    help = gettext_lazy(
        "Print the code that the demo users' authenticator app shows now (the second sign-in "
        "step of the demo made by load_demo). Runs only with DEBUG on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("demo_otp_code is for the demo and runs only with DEBUG on."))
        self.stdout.write(two_factor.demo_code())
