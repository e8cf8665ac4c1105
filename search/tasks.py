"""Background index updates, and the outbox that keeps Elasticsearch from missing any.

`sync_offers(page_ids)` (queued by `lotse.search.signals`) brings each offer's document to its
current state: a live offer is (re)indexed, anything else removed. It always updates the
database backend, and Elasticsearch when `ELASTICSEARCH_URL` is set and its client installed
(`lotse.search.backends.elasticsearch_enabled`). An Elasticsearch update that fails (the engine is
down or too slow) is stored as `PendingIndexUpdate` rows instead;
they are replayed, oldest first, at the start of every later task run, by the
`replay_pending_updates` task and by `manage.py search_replay` (run it from cron, e.g. every
five minutes). Replays write the offer's state at replay time, so doing one twice, or out of
turn with a newer update, changes nothing.
"""

import logging

from django.db import transaction
from django.db.models import F
from django_tasks import task

from .backends import EngineUnavailable, elasticsearch_enabled
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

REPLAY_BATCH = 500


def _engine():
    from .backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend()


def _breaker_open():
    from .circuit import OPEN, CircuitBreaker

    return CircuitBreaker().state() == OPEN


def keep_for_later(page_ids, reason=""):
    """Remember offers whose Elasticsearch documents could not be written."""
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(page_id=pk, attempts=1, last_error=reason[:300]) for pk in page_ids]
    )


def write_to_engine(engine, page_ids, prepared=None):
    """Write these offers' current state to Elasticsearch; raises EngineUnavailable.

    `prepared` are their (documents, gone ids) when already built from the current state.
    """
    from .documents import documents_for

    documents, gone = prepared or documents_for(page_ids)
    engine.index(documents)
    engine.delete(gone)
    return len(documents), len(gone)


def replay_pending(engine=None, batch_size=REPLAY_BATCH):
    """Replay the outbox in order; returns (offers replayed, rows left); raises if down."""
    engine = engine or _engine()
    replayed = 0
    while True:
        rows = list(
            PendingIndexUpdate.objects.order_by("pk").values_list("pk", "page_id")[:batch_size]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        page_ids = list(dict.fromkeys(page_id for _pk, page_id in rows))
        try:
            write_to_engine(engine, page_ids)
        except EngineUnavailable as error:
            PendingIndexUpdate.objects.filter(pk__lte=last_pk).update(
                attempts=F("attempts") + 1, last_error=str(error)[:300]
            )
            raise
        # Rows queued meanwhile have higher keys and stay for the next round.
        PendingIndexUpdate.objects.filter(pk__lte=last_pk).delete()
        replayed += len(page_ids)
    return replayed, PendingIndexUpdate.objects.count()


def sync(page_ids):
    """Update both backends for these offers; returns a summary for the task result."""
    from .backends import database
    from .documents import documents_for

    page_ids = sorted({int(pk) for pk in page_ids})
    documents, gone = documents_for(page_ids)
    with transaction.atomic():
        database.index(documents)
        database.delete(gone)
    summary = {"indexed": len(documents), "removed": len(gone), "elasticsearch": "off"}
    if not elasticsearch_enabled():
        return summary
    if _breaker_open():
        # Searches already know the engine is down: do not wait for it here either.
        keep_for_later(page_ids, "circuit breaker open")
        summary["elasticsearch"] = "pending"
        return summary
    engine = _engine()
    try:
        if PendingIndexUpdate.objects.exists():
            replay_pending(engine)
        write_to_engine(engine, page_ids, (documents, gone))
    except EngineUnavailable as error:
        logger.warning("Elasticsearch update of %d offers postponed: %s", len(page_ids), error)
        keep_for_later(page_ids, str(error))
        summary["elasticsearch"] = "pending"
        return summary
    summary["elasticsearch"] = "ok"
    return summary


@task()
def sync_offers(page_ids: list[int]) -> dict:
    """Bring these offers' search documents up to date (database and Elasticsearch)."""
    return sync(page_ids)


@task()
def replay_pending_updates() -> dict:
    """Replay Elasticsearch updates that failed earlier (also `manage.py search_replay`)."""
    if not elasticsearch_enabled():
        return {"replayed": 0, "pending": PendingIndexUpdate.objects.count()}
    try:
        replayed, left = replay_pending()
    except EngineUnavailable as error:
        logger.warning("Elasticsearch is still unavailable: %s", error)
        return {"replayed": 0, "pending": PendingIndexUpdate.objects.count()}
    return {"replayed": replayed, "pending": left}
