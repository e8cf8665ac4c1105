"""The project as a whole: deployment checks, migrations, settings from the environment."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus, task

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "settings.production",
    "SECRET_KEY": "x7!q0-long-random-production-secret-9f3k2m1n8b7v6c5x4z3a2s1d0f",
    "ALLOWED_HOSTS": "hilfe.landkreis-lahnfeld.de",
    "DATABASE_URL": "sqlite:////tmp/lotse-deploy-check.sqlite3",
    "LOTSE_HANDOVER_KEYS": "3q2-7zN0xYfYg1rQn7hW8lGQm2bq0Pj3c5p0s0eVw5o=",
    "LOTSE_AUDIT_KEYS": "production-test-audit-key-0123456789-abcdefgh",
    "PATH": os.environ.get("PATH", ""),
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "LOTSE_HANDOVER_KEYS", "LOTSE_AUDIT_KEYS"]
)
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@task()
def add(a, b):
    return a + b


def test_test_settings_run_tasks_at_once_and_keep_mail_in_memory():
    result = add.enqueue(2, 3)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    mail.send_mail("Betreff", "Text", "lotse@example.org", ["partner@example.org"])
    assert len(mail.outbox) == 1


def test_settings_come_from_the_environment():
    env = {**PRODUCTION_ENV, "ELASTICSEARCH_URL": "http://search.internal:9200"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.ELASTICSEARCH_URL, s.DATABASES['default']['ENGINE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['hilfe.landkreis-lahnfeld.de']",
        "http://search.internal:9200",
        "django.db.backends.sqlite3",
    ]


def test_wheel_holds_the_apps_with_their_files_and_nothing_else(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("lotse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("lotse-")}
    # The four apps and `lotse` (lotse.conf: the settings with their defaults, which they read).
    assert top_level == {"lotse"}
    assert "lotse/conf.py" in names
    assert "lotse/directory/templates/lotse_directory/offer_page.html" in names
    assert "lotse/directory/static/lotse_directory/print.css" in names
    assert "lotse/network/locale/de/LC_MESSAGES/django.mo" in names
    assert "lotse/directory/migrations/0001_initial.py" in names
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "-t", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    code = (
        "import lotse.network, lotse.directory, lotse.handover, lotse.search; "
        "print(lotse.search.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(site / "lotse" / "search" / "__init__.py")

    # What a host site gets: any Python from 3.11; the task worker the README runs; the
    # Elasticsearch client only with the `elasticsearch` extra (the test extra pulls it).
    (metadata_name,) = [name for name in names if name.endswith(".dist-info/METADATA")]
    metadata = zipfile.ZipFile(wheel).read(metadata_name).decode().splitlines()
    assert "Requires-Python: >=3.11" in metadata
    requires = [
        line.removeprefix("Requires-Dist: ") for line in metadata if "Requires-Dist" in line
    ]

    def names_for(extra=None):
        marker = f'extra == "{extra}"' if extra else "extra =="
        return {
            re.match(r"[\w.-]+(\[[\w,]+\])?", line).group()
            for line in requires
            if (marker in line) == bool(extra)
        }

    assert "django-tasks-db" in names_for()
    assert not {name for name in names_for() if name.startswith("elasticsearch")}
    assert names_for("elasticsearch") == {"elasticsearch", "elasticsearch-dsl"}
    assert "lotse[dev,elasticsearch]" in names_for("test")
