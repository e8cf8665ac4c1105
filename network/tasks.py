"""Is the task worker alive? A heartbeat probe and the health check built on it.

With django-tasks' database backend, `manage.py db_worker` runs what the web processes
enqueue. The health check reads when the worker last started or finished a task; when that was
a while ago (an idle worker is normal), it enqueues the tiny `heartbeat` task, so the next
check sees whether it was picked up. Work that has been due longer than
`LOTSE_HEALTH_WORKER_STALE_SECONDS` means the worker is not running (or not keeping up):
"degraded". Other backends (the test suite's immediate one) need no worker.
"""

import contextlib
import datetime as dt

from django.db import DatabaseError
from django.db.models import Max, Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task, task_backends

from lotse.conf import lotse_settings

from .health import DEGRADED, OK

DATABASE_BACKEND = "django_tasks_db.backend.DatabaseBackend"


@task(priority=10)
def heartbeat():
    """Nothing to do but be run; its earlier results are removed so they do not pile up."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path=heartbeat.module_path, finished_at__isnull=False).delete()
    return timezone.now().isoformat()


def _uses_database_backend(backend):
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}" == DATABASE_BACKEND


def worker_health():
    """The worker's last sign of life and how long due work has been waiting."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not _uses_database_backend(backend):
        return {"status": OK, "backend": type(backend).__name__, "last_heartbeat": None}
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    stale = dt.timedelta(seconds=lotse_settings.LOTSE_HEALTH_WORKER_STALE_SECONDS)
    mine = DBTaskResult.objects.filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
    seen = mine.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last = max((value for value in seen.values() if value), default=None)
    # READY rows are covered by django-tasks-db's partial index: these stay cheap.
    ready = mine.filter(status=TaskResultStatus.READY)
    due_long_ago = ready.filter(enqueued_at__lt=now - stale).filter(
        Q(run_after=get_date_max()) | Q(run_after__lt=now - stale)
    )
    waiting = due_long_ago.exists()
    if (last is None or now - last > stale / 2) and not ready.filter(
        task_path=heartbeat.module_path
    ).exists():
        # A read-only or busy database: the next check tries again.
        with contextlib.suppress(DatabaseError):
            heartbeat.enqueue()
    return {
        "status": DEGRADED if waiting else OK,
        "backend": "database",
        "last_heartbeat": last.isoformat() if last else None,
        "waiting_too_long": waiting,
    }
