"""`/api/v1/health/`: a real database query, the task worker's heartbeat, the outbox backlog
and the search, each with its own status; 503 unless everything is ok."""

import datetime as dt
import logging
import threading

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lotse.handover.models import OutboxMessage
from lotse.network import health
from lotse.network.tasks import heartbeat

URL = "/api/v1/health/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def get(client):
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


@pytest.fixture
def no_search_engine(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.mark.django_db
def test_all_fine_is_200_ok_with_every_component(client, no_search_engine):
    status, body = get(client)
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "worker": {"status": "ok", "backend": "ImmediateBackend", "last_heartbeat": None},
            "search": {
                "status": "ok",
                "backend": "database",
                "elasticsearch": None,
                "pending_index_updates": 0,
            },
            "outbox": {"status": "ok", "unsent": 0, "overdue": 0, "delivers": True},
        },
    }
    # Every app registered its own check; network knows none of them by name.
    assert set(health.registered()) == {"worker", "search", "outbox"}


# The task worker (django-tasks' database backend, as in development and production)


def work_off_queue():
    """`manage.py db_worker --batch`, leaving its loggers as they were for later tests."""
    names = ("django_tasks", "django_tasks_db")
    kept = {
        name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers))
        for name in names
    }
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for name, (level, handlers) in kept.items():
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).handlers[:] = handlers


def waiting_probe():
    return DBTaskResult.objects.filter(task_path=heartbeat.module_path, status="READY")


# Transactional: the worker closes its connection between tasks, as a real one does.
@pytest.mark.django_db(transaction=True)
def test_a_stale_worker_is_degraded_and_a_running_one_ok(client, settings, no_search_engine):
    settings.TASKS = DATABASE_TASKS
    settings.LOTSE_HEALTH_WORKER_STALE_SECONDS = 300
    # No worker has ever run: the check sends a heartbeat probe, nothing is late yet.
    status, body = get(client)
    assert status == 200, body
    assert body["checks"]["worker"] == {
        "status": "ok",
        "backend": "database",
        "last_heartbeat": None,
        "waiting_too_long": False,
    }
    assert waiting_probe().count() == 1
    get(client)
    assert waiting_probe().count() == 1, "one probe at a time"

    # Six minutes later the probe still waits: the worker is not running.
    waiting_probe().update(enqueued_at=timezone.now() - dt.timedelta(minutes=6))
    status, body = get(client)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["status"] == "degraded"
    assert body["checks"]["worker"]["waiting_too_long"] is True
    assert body["checks"]["database"] == {"status": "ok"}

    # The worker comes back and works off the queue: its heartbeat is reported, all is well.
    work_off_queue()
    status, body = get(client)
    assert status == 200, body
    beat = dt.datetime.fromisoformat(body["checks"]["worker"]["last_heartbeat"])
    assert timezone.now() - beat < dt.timedelta(minutes=1)
    assert not waiting_probe().exists()
    # The probe's earlier results do not pile up.
    get(client)
    work_off_queue()
    assert DBTaskResult.objects.filter(task_path=heartbeat.module_path).count() <= 1


@pytest.mark.django_db
def test_other_waiting_work_counts_too(client, settings, no_search_engine):
    from lotse.handover.tasks import deliver_outbox

    settings.TASKS = DATABASE_TASKS
    deliver_outbox.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))
    status, body = get(client)
    assert status == 503
    assert body["checks"]["worker"]["status"] == "degraded"


# The outbox


def message(age, **fields):
    return OutboxMessage.objects.create(
        kind="waiting",
        to="rita.recipient@awo.example",
        subject="Neue Übergabe",
        body="Eine Übergabe wartet.",
        created_at=timezone.now() - age,
        next_attempt_at=timezone.now() - age,
        **fields,
    )


@pytest.mark.django_db
def test_an_outbox_backlog_is_degraded_until_it_is_sent(client, settings, no_search_engine):
    from lotse.handover.notifications import send_due

    settings.LOTSE_HEALTH_OUTBOX_MINUTES = 30
    message(dt.timedelta(minutes=5))
    status, body = get(client)
    assert status == 200
    assert body["checks"]["outbox"] == {"status": "ok", "unsent": 1, "overdue": 0, "delivers": True}

    message(dt.timedelta(hours=2), attempts=4, last_error="SMTPConnectError")
    status, body = get(client)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["outbox"] == {
        "status": "degraded",
        "unsent": 2,
        "overdue": 1,
        "delivers": True,
    }
    # Counts only: no address, subject or error text.
    text = str(body)
    assert "awo.example" not in text and "Übergabe" not in text and "SMTP" not in text

    assert send_due() == (2, 0)
    assert get(client)[0] == 200


@pytest.mark.django_db
def test_an_outbox_that_cannot_deliver_is_degraded(client, settings, no_search_engine):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    status, body = get(client)
    assert status == 503
    assert body["checks"]["outbox"]["delivers"] is False


# The database going away (real connections, in a thread of their own like a server's)


def in_thread(make_wrapper, *steps):
    """Run each step (a callable answering a value) in a new thread whose default connection
    is `make_wrapper()` (a connection belongs to the thread that made it); their answers."""
    answers = []

    def run():
        wrapper = make_wrapper()
        connections["default"] = wrapper
        try:
            answers.extend(step() for step in steps)
        finally:
            wrapper.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert len(answers) == len(steps)
    return answers


def ask():
    return get(Client())


def sqlite_wrapper(path):
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"timeout": 5},
    }
    return lambda: SqliteWrapper(settings_dict, alias="default")


@pytest.mark.django_db
def test_a_removed_sqlite_file_is_503(tmp_path, no_search_engine):
    path = tmp_path / "site.sqlite3"
    # A database with its schema (here only Django's migration table, so the checks that need
    # Lotse's tables are not "ok" – the database itself is).
    in_thread(
        sqlite_wrapper(path),
        lambda: MigrationRecorder(connections["default"]).record_applied("lotse_network", "0001"),
    )
    # The file is deleted while the thread's connection is still open (that connection would
    # go on reading the deleted file): the check notices all the same.
    (_, before), _, (after_status, after) = in_thread(sqlite_wrapper(path), ask, path.unlink, ask)
    assert before["checks"]["database"] == {"status": "ok"}
    assert after_status == 503
    assert after["status"] == "unavailable"
    assert after["checks"] == {
        "database": {"status": "unavailable"},
        "worker": {"status": "unknown"},
        "search": {"status": "unknown"},
        "outbox": {"status": "unknown"},
    }
    # A new connection (a new request on a server without persistent connections) finds it
    # gone too, and does not create an empty file in its place.
    ((status, body),) = in_thread(sqlite_wrapper(path), ask)
    assert (status, body["status"]) == (503, "unavailable")
    assert not path.exists()


@pytest.mark.django_db
def test_an_empty_sqlite_file_is_503(tmp_path, no_search_engine):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    ((status, body),) = in_thread(sqlite_wrapper(path), ask)
    assert (status, body["checks"]["database"]) == (503, {"status": "unavailable"})


@pytest.mark.django_db
def test_an_unreachable_database_server_is_503(no_search_engine):
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "lotse",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": "9",  # discard: nothing listens
        "OPTIONS": {"connect_timeout": 2},
    }
    ((status, body),) = in_thread(lambda: PostgresWrapper(settings_dict, alias="default"), ask)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"status": "unavailable"}
