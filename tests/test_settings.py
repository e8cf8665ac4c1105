"""Settings that fail safe: no silent SQLite in production, SQLite tuned for several writers,
no silent development settings for cron jobs, and no e-mail marked sent that went nowhere."""

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from lotse.handover import notifications
from lotse.handover.models import OutboxMessage
from tests.test_project import PRODUCTION_ENV as DEPLOYMENT_ENV

ROOT = Path(__file__).resolve().parent.parent

#: The deployment environment of tests/test_project.py, without DATABASE_URL.
PRODUCTION_ENV = {key: value for key, value in DEPLOYMENT_ENV.items() if key != "DATABASE_URL"}
# Required by settings/production.py too (the audit chain's MAC keys).
PRODUCTION_ENV.setdefault("LOTSE_AUDIT_KEYS", "kTjzm0Qh6fH3w6o4sXxS1oQ9m3JZ7t2Q2y9n0q8bH1E=")


def run(args, env, **kwargs):
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def manage(*args, env):
    return run([sys.executable, "manage.py", *args], env)


def python(code, env):
    return run([sys.executable, "-c", f"import django; django.setup(); {code}"], env)


def assert_one_line(result, *words):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


# Production and its database


def test_production_refuses_to_start_without_database_url():
    result = manage("check", env=PRODUCTION_ENV)
    assert_one_line(result, "DATABASE_URL", "LOTSE_ALLOW_SQLITE")


def test_production_on_sqlite_only_when_asked(tmp_path):
    env = {**PRODUCTION_ENV, "LOTSE_ALLOW_SQLITE": "1"}
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    result = python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    explicit = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    assert manage("check", env=explicit).returncode == 0


def test_sqlite_connections_use_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    code = (
        "import json; from django.db import connection as c; cur = c.cursor(); "
        "cur.execute('PRAGMA journal_mode'); journal = cur.fetchone()[0]; "
        "cur.execute('PRAGMA busy_timeout'); busy = cur.fetchone()[0]; "
        "print(json.dumps([journal, busy, c.transaction_mode]))"
    )
    result = python(code, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["wal", 20000, "IMMEDIATE"]


def test_postgresql_gets_no_sqlite_options():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://lotse@db.internal:5432/lotse"}
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    result = python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{}"


# manage.py without DJANGO_SETTINGS_MODULE


def bare_env(**extra):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.pop("DEBUG", None)
    return {**env, **extra}


SHOW_SETTINGS = ("shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE)")


def test_a_cron_job_without_settings_module_stops_with_one_line():
    # As cron runs it: no terminal, no DJANGO_SETTINGS_MODULE.
    result = manage("process_handover_deadlines", env=bare_env())
    assert_one_line(result, "DJANGO_SETTINGS_MODULE", "settings.production")


def test_commands_that_only_read_the_code_need_no_settings_module():
    result = manage("makemigrations", "--check", "--dry-run", env=bare_env())
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_development_settings_when_asked_for():
    result = manage(*SHOW_SETTINGS, env=bare_env(DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "settings.dev"
    result = manage(*SHOW_SETTINGS, env=bare_env(DJANGO_SETTINGS_MODULE="settings.test"))
    assert result.stdout.strip().splitlines()[-1] == "settings.test"


# The outbox never marks as sent what no mail server got


def due_message():
    return OutboxMessage.objects.create(
        kind="waiting",
        to="rita.recipient@awo.example",
        subject="Neue Übergabe",
        body="Eine Übergabe wartet.",
        next_attempt_at=timezone.now() - dt.timedelta(minutes=1),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
)
def test_a_backend_that_delivers_nowhere_leaves_the_outbox_unsent(settings, caplog, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    message = due_message()
    with caplog.at_level(logging.WARNING, logger="lotse.handover.notifications"):
        assert notifications.send_due() == (0, 0)
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 0
    assert "delivers nowhere" in caplog.text
    assert "awo.example" not in caplog.text
    # Once the settings are right, the same message goes out.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.send_due() == (1, 0)


@pytest.mark.django_db
def test_with_debug_on_the_console_counts_as_delivery(settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    due_message()
    assert notifications.send_due() == (1, 0)


def test_locmem_delivers_only_inside_a_test_environment():
    env = {**bare_env(), "DJANGO_SETTINGS_MODULE": "settings.test"}
    result = python("from lotse.handover.notifications import delivers; print(delivers())", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert notifications.delivers() is True  # here: pytest-django's locmem outbox
