from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_registered = False


def register_policies():
    """The synonym list's policy (shared county data: every member may look, only
    coordinators change it), early enough wherever the app is listed (see
    `network.apps.register_policies`)."""
    global _registered
    if _registered:
        return
    _registered = True
    from wagtail.permissions import register_permission_policy

    from network.apps import register_policies as register_network_policies
    from network.scoping import NetworkPermissionPolicy

    from .models import Synonym

    register_network_policies()
    register_permission_policy(Synonym, NetworkPermissionPolicy(Synonym), exact_class=True)


def forget_analysis_state(sender, **kwargs):
    """Synonyms and taxonomy names feed the analysis; the next search reads them afresh."""
    from . import analysis

    analysis.invalidate()


def index_demo_county(sender, stdout=None, **kwargs):
    """`load_demo` finished: index every live offer so the demo's search works at once."""
    from network.progress import Progress

    from . import documents, service

    progress = Progress(stdout, "Search index", documents.count_live()) if stdout else None
    service.rebuild_index(progress=progress.step if progress else None)


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Offer search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from directory.models import TargetGroup, Topic
        from directory.signals import demo_loaded
        from network import health

        from . import checks, signals  # noqa: F401  (index sync)
        from .health import search_health
        from .models import Synonym

        demo_loaded.connect(index_demo_county, dispatch_uid="search-index-demo")
        health.register("search", search_health)
        # ELASTICSEARCH_URL without the client installed (lotse.E020).
        checks.register()
        register_policies()
        for model in (Synonym, Topic, TargetGroup):
            post_save.connect(forget_analysis_state, sender=model, dispatch_uid=f"analysis-{model}")
            post_delete.connect(
                forget_analysis_state, sender=model, dispatch_uid=f"analysis-del-{model}"
            )
