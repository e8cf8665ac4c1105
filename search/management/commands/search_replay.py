"""`manage.py search_replay`: write index updates kept while Elasticsearch was unreachable.

Run it from cron (e.g. every five minutes); every index task also replays first. Exits
non-zero while the engine is still unreachable; the updates stay kept for the next run.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.network.management.base import LotseCommand

from ...backends import (
    EngineUnavailable,
    client_installed,
    elasticsearch_configured,
    missing_client_message,
)


class Command(LotseCommand):
    help = gettext_lazy(
        "Replay search index updates that failed while Elasticsearch was unreachable."
    )

    def handle(self, *args, **options):
        from ...models import PendingIndexUpdate
        from ...tasks import replay_pending

        if not elasticsearch_configured():
            raise CommandError(_("ELASTICSEARCH_URL is not set: there is nothing to replay to."))
        if not client_installed():
            raise CommandError(missing_client_message())
        try:
            replayed, left = replay_pending()
        except EngineUnavailable as error:
            raise CommandError(
                _("Elasticsearch is still unreachable, %(count)d updates kept: %(reason)s")
                % {"count": PendingIndexUpdate.objects.count(), "reason": error}
            ) from error
        self.stdout.write(
            _("%(replayed)d offers replayed, %(left)d updates left.")
            % {"replayed": replayed, "left": left}
        )
