from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "handover"
    label = "handover"
    verbose_name = _("Handovers")
    default_auto_field = "django.db.models.BigAutoField"
