from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def register_policies():
    """The synonym list's policy (shared county data: every member may look, only coordinators
    change it), early enough wherever the app is listed
    (see `lotse.network.apps.register_policies`)."""
    from lotse.network.apps import register_scoped_policies

    from .models import Synonym

    register_scoped_policies(Synonym)


def forget_analysis_state(sender, **kwargs):
    """Synonyms and taxonomy names feed the analysis; the next search reads them afresh."""
    from . import analysis

    analysis.invalidate()


def index_demo_county(sender, stdout=None, **kwargs):
    """`load_demo` finished: index every live offer so the demo's search works at once."""
    from lotse.network.progress import Progress

    from . import documents, service

    progress = Progress(stdout, "Search index", documents.count_live()) if stdout else None
    service.rebuild_index(progress=progress.step if progress else None)


class SearchConfig(AppConfig):
    name = "lotse.search"
    label = "lotse_search"
    verbose_name = _("Offer search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lotse.directory.models import TargetGroup, Topic
        from lotse.directory.signals import demo_loaded
        from lotse.network import health

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
