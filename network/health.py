"""Honest health for load balancers and monitoring: `GET /api/v1/health/`.

The view asks the database itself (a real query on a migrated table; a SQLite file that is
gone counts as down, even while an old connection still reads the deleted file), then every
check the apps registered with `register()` in their `AppConfig.ready()` (`network` knows
nothing of them). Each check answers a small dict with a `status` of "ok" or "degraded" and a
few counts or times, never personal data.

Overall: "ok" (HTTP 200) when every component is ok; "degraded" (503) when the database
answers but a component does not work as it should; "unavailable" (503) when the database
does not answer (the checks that need it are then "unknown", not run).
"""

import logging
import os
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import PublicAPIMixin
from .openapi import extend_schema

OK, DEGRADED, UNAVAILABLE, UNKNOWN = "ok", "degraded", "unavailable", "unknown"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    function: object
    needs_database: bool = True


_checks = {}


def register(name, function, *, needs_database=True):
    """Add (or replace) the check `name`: a callable answering {"status": …, …}."""
    _checks[name] = Check(name, function, needs_database)


def registered():
    return list(_checks)


def database(alias=DEFAULT_DB_ALIAS):
    """Does the database answer, with its schema? Never creates a missing SQLite file."""
    connection = connections[alias]
    file_gone = (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not os.path.exists(connection.settings_dict["NAME"])
    )
    if file_gone:
        return {"status": UNAVAILABLE}
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 – a fixed name
            row = cursor.fetchone()
    except DatabaseError:
        return {"status": UNAVAILABLE}
    return {"status": OK if row == (1,) else UNAVAILABLE}


def run(check):
    try:
        result = dict(check.function())
    except Exception as error:  # noqa: BLE001 – a failing check is a degraded component
        # The class name only: messages may quote SQL or addresses.
        logger.warning("Health check %s failed: %s", check.name, type(error).__name__)
        return {"status": DEGRADED}
    result.setdefault("status", DEGRADED)
    return result


def report():
    """The health report as a dict: overall `status` and one entry per component."""
    components = {"database": database()}
    database_ok = components["database"]["status"] == OK
    for check in _checks.values():
        if check.needs_database and not database_ok:
            components[check.name] = {"status": UNKNOWN}
        else:
            components[check.name] = run(check)
    if not database_ok:
        status = UNAVAILABLE
    elif all(component["status"] == OK for component in components.values()):
        status = OK
    else:
        status = DEGRADED
    return {"status": status, "checks": components}


HEALTH_BODY = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=[OK, DEGRADED, UNAVAILABLE]),
        "checks": serializers.DictField(
            child=serializers.DictField(),
            help_text="Per component (database, worker, outbox, search, …): its status and a "
            "few counts or times.",
        ),
    },
)


class HealthView(PublicAPIMixin, APIView):
    """Health of the database, the task worker, the outbox and the search; 200 only when all
    are ok."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health",
        summary="Health of the database and the background services",
        description=__doc__,
        # The same body either way: 503 says which component is not ok.
        responses={(200, "application/json"): HEALTH_BODY, (503, "application/json"): HEALTH_BODY},
    )
    def get(self, request):
        result = report()
        response = Response(result, status=200 if result["status"] == OK else 503)
        response["Cache-Control"] = "no-store"
        return response
