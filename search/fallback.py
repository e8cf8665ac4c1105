"""Elasticsearch first, the database when it is down: what `service.get_backend()` returns
when `ELASTICSEARCH_URL` is set.

A search that Elasticsearch does not answer within `LOTSE_SEARCH_TIMEOUT` (or answers with an
error) is answered by the database backend, marked `backend="database (fallback)"`. The
circuit breaker (`lotse.search.circuit`) counts such failures; once open, searches go straight to
the database without waiting, until a trial request finds the engine back.
"""

import logging

from .backends import EngineUnavailable
from .backends.elasticsearch import ElasticsearchBackend
from .circuit import CircuitBreaker

logger = logging.getLogger(__name__)

FALLBACK_NAME = "database (fallback)"


class FallbackBackend:
    name = ElasticsearchBackend.name

    def __init__(self, primary, fallback, breaker=None):
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker or CircuitBreaker()

    def _ask_primary(self, method, *args, **kwargs):
        """The engine's answer, or None when it is unavailable or the circuit is open."""
        if not self.breaker.allow():
            return None
        try:
            answer = getattr(self.primary, method)(*args, **kwargs)
        except EngineUnavailable as error:
            self.breaker.record_failure()
            logger.warning("Elasticsearch unavailable, the database answers: %s", error)
            return None
        self.breaker.record_success()
        return answer

    def search(self, query):
        result = self._ask_primary("search", query)
        if result is None:
            result = self.fallback.search(query)
            result.backend = FALLBACK_NAME
        return result

    def suggest(self, prefix, limit=10):
        suggestions = self._ask_primary("suggest", prefix, limit=limit)
        if suggestions is None:
            suggestions = self.fallback.suggest(prefix, limit=limit)
        return suggestions


def elasticsearch_with_fallback(database_backend):
    return FallbackBackend(ElasticsearchBackend(), database_backend)
