"""The search's part of `/api/v1/health/` (registered in `search/apps.py`).

"degraded" when Elasticsearch is configured but does not answer within `LOTSE_SEARCH_TIMEOUT`,
its circuit breaker is not closed, or its client is not installed (`"installed": false`,
lotse.E020): searches are then answered by the database backend ("database (fallback)"),
which works but ranks less well and is slower at scale.

`pending_index_updates` counts index updates waiting for Elasticsearch to come back; they are
replayed by the next index task and by `manage.py search_replay`.
"""

from lotse.network.health import DEGRADED, OK

from .backends import client_installed, elasticsearch_configured
from .circuit import CLOSED, CircuitBreaker


def search_health():
    from .models import PendingIndexUpdate

    result = {
        "status": OK,
        "backend": "database",
        "elasticsearch": None,
        "pending_index_updates": PendingIndexUpdate.objects.count(),
    }
    if not elasticsearch_configured():
        return result
    if client_installed():
        from .backends.elasticsearch import ElasticsearchBackend

        reachable, installed = ElasticsearchBackend().ping(), True
    else:
        # ELASTICSEARCH_URL without the client (lotse.E020): the database answers.
        reachable, installed = False, False
    circuit = CircuitBreaker().state()
    result["elasticsearch"] = {"reachable": reachable, "circuit": circuit, "installed": installed}
    healthy = reachable and circuit == CLOSED
    result["backend"] = "elasticsearch" if healthy else "database (fallback)"
    if not healthy:
        result["status"] = DEGRADED
    return result
