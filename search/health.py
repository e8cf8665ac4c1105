"""Is search working? A small report for load balancers and monitoring.

`GET /api/v1/health/` (no login, no personal data) answers HTTP 200 when everything is
healthy and 503 when something is degraded:

* the database does not answer (then nothing works), or
* Elasticsearch is configured but does not answer within `LOTSE_SEARCH_TIMEOUT`, or its
  circuit breaker is not closed: searches are then answered by the database backend
  ("database (fallback)"), which works but ranks less well and is slower at scale.

`pending_index_updates` counts index updates waiting for Elasticsearch to come back; they are
replayed by the next index task and by `manage.py search_replay`.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .circuit import CLOSED, CircuitBreaker

OK, DEGRADED = "ok", "degraded"


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def pending_updates():
    from .models import PendingIndexUpdate

    try:
        return PendingIndexUpdate.objects.count()
    except DatabaseError:
        return None


def report():
    """The health report as a dict; `status` is "ok" or "degraded"."""
    db_ok = database_ok()
    result = {
        "status": OK,
        "database": OK if db_ok else "unavailable",
        "search_backend": "database",
        "elasticsearch": None,
        "pending_index_updates": pending_updates() if db_ok else None,
    }
    if settings.ELASTICSEARCH_URL:
        from .backends.elasticsearch import ElasticsearchBackend

        breaker = CircuitBreaker()
        reachable = ElasticsearchBackend().ping()
        circuit = breaker.state()
        result["elasticsearch"] = {"reachable": reachable, "circuit": circuit}
        healthy = reachable and circuit == CLOSED
        result["search_backend"] = "elasticsearch" if healthy else "database (fallback)"
        if not healthy:
            result["status"] = DEGRADED
    if not db_ok:
        result["status"] = DEGRADED
    return result


class HealthView(APIView):
    """Health of the database and the search engine; 200 when healthy, 503 when degraded."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health",
        summary="Health of the database and the search engine",
        description=__doc__,
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(choices=[OK, DEGRADED]),
                    "database": serializers.CharField(),
                    "search_backend": serializers.CharField(),
                    "elasticsearch": inline_serializer(
                        "ElasticsearchHealth",
                        {
                            "reachable": serializers.BooleanField(),
                            "circuit": serializers.ChoiceField(
                                choices=["closed", "open", "half-open"]
                            ),
                        },
                        allow_null=True,
                    ),
                    "pending_index_updates": serializers.IntegerField(allow_null=True),
                },
            ),
            (503, "application/json"): None,
        },
    )
    def get(self, request):
        result = report()
        return Response(result, status=200 if result["status"] == OK else 503)
