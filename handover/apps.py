from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "lotse.handover"
    label = "lotse_handover"
    verbose_name = _("Handovers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lotse.network import health
        from lotse.network.permissions import register_parties

        from . import checks, notifications, services
        from .models import Handover

        # Handovers belong to their sender, recipient and deputy, not to an organisation.
        register_parties(Handover, services.is_party, services.parties_q)
        # Lotse's own checks of the keys (lotse.E010–E013, W010–W011).
        checks.register()
        health.register("outbox", notifications.outbox_health)
