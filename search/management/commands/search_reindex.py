"""`manage.py search_reindex`: rebuild the offer search index from every live offer.

The database index is rebuilt in one transaction (searches see the old rows until it
commits). With `ELASTICSEARCH_URL` set, Elasticsearch gets a new concrete index that is
filled, then made current by swapping the alias in one request, so searches keep being
answered from the old index during the rebuild; if anything fails the new index is dropped
and the old one keeps serving. Updates kept while the engine was unreachable are replayed
afterwards.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.network.management.base import LotseCommand
from lotse.network.progress import Progress

from ... import analysis, documents
from ...backends import (
    EngineUnavailable,
    client_installed,
    elasticsearch_configured,
    missing_client_message,
)

BACKENDS = ("all", "database", "elasticsearch")


class Command(LotseCommand):
    help = gettext_lazy(
        "Rebuild the offer search index from every live offer: the database index, and with "
        "ELASTICSEARCH_URL set a new Elasticsearch index that replaces the old one by an "
        "alias swap, so search keeps answering during the rebuild."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            choices=BACKENDS,
            default="all",
            help=gettext_lazy("Which index to rebuild (default: every configured one)."),
        )

    def handle(self, *args, backend, **options):
        configured = elasticsearch_configured()
        if backend == "elasticsearch" and not configured:
            raise CommandError(_("ELASTICSEARCH_URL is not set: there is no Elasticsearch index."))
        if backend != "database" and configured and not client_installed():
            raise CommandError(missing_client_message())
        analysis.invalidate()
        total = documents.count_live()
        if backend in ("all", "database"):
            self.rebuild_database(total)
        if backend in ("all", "elasticsearch") and configured:
            try:
                self.rebuild_elasticsearch(total)
            except EngineUnavailable as error:
                raise CommandError(
                    _("Elasticsearch rebuild failed, the old index keeps serving: %(reason)s")
                    % {"reason": error}
                ) from error

    def rebuild_database(self, total):
        from ...backends import database

        progress = Progress(self.stdout, _("Database index"), total)
        count = database.rebuild(progress=progress.step)
        if count < total:
            progress.step(total - count)
        self.stdout.write(_("Database index: %(count)d offers.") % {"count": count})

    def rebuild_elasticsearch(self, total):
        from ...backends.elasticsearch import ElasticsearchBackend
        from ...tasks import replay_pending

        engine = ElasticsearchBackend()
        progress = Progress(self.stdout, _("Elasticsearch index"), total)
        count = engine.rebuild(progress=progress.step)
        if count < total:
            progress.step(total - count)
        replayed, left = replay_pending(engine)
        self.stdout.write(
            _(
                "Elasticsearch index %(index)s: %(count)d offers; %(replayed)d kept updates "
                "replayed, %(left)d left."
            )
            % {
                "index": ", ".join(engine.serving_indices()),
                "count": count,
                "replayed": replayed,
                "left": left,
            }
        )
