"""SQLite with several writers at once: `manage.py sqlite_load_benchmark` on a real file.

Before WAL, IMMEDIATE transactions and a busy timeout (settings/base.py), 8 readers and 4
handover writers got "database is locked" on most creates (811 of 874 in 20 s here, and on a
third of the accepts and reads). The command runs in a process of its own, with threads and
connections of its own, on a SQLite file that holds the migrated schema.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def environment(path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
    }


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory, django_db_setup, django_db_blocker):
    """A migrated SQLite file: a copy of the SQLite test database, or migrated afresh."""
    path = tmp_path_factory.mktemp("sqlite-load") / "lotse.sqlite3"
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
    else:
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment(path),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    return path


def benchmark(path, *args):
    return subprocess.run(
        [sys.executable, "manage.py", "sqlite_load_benchmark", *args],
        cwd=ROOT,
        env=environment(path),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_eight_readers_and_four_writers_get_no_locked_database(sqlite_file):
    args = ("--readers", "8", "--writers", "4", "--seconds", "4", "--allow-writes", "--json")
    result = benchmark(sqlite_file, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["database"].startswith("sqlite (journal wal")
    assert "transactions IMMEDIATE" in figures["database"]
    assert figures["locked"] == 0
    assert figures["errors"] == 0
    kinds = figures["kinds"]
    for kind in ("browse", "create", "accept", "read"):
        assert kinds[kind]["requests"] > 0, kind
        assert kinds[kind]["errors"] == 0, kind
    # Every handover created was accepted and read.
    assert kinds["create"]["requests"] == kinds["accept"]["requests"] == kinds["read"]["requests"]
    # The handovers are really there, with their audit trail.
    with sqlite3.connect(sqlite_file) as db:
        (handovers,) = db.execute(
            "SELECT count(*) FROM lotse_handover_handover WHERE status = 'accepted'"
        ).fetchone()
    assert handovers >= kinds["create"]["requests"]


def test_the_benchmark_refuses_to_write_without_being_asked(sqlite_file):
    result = benchmark(sqlite_file, "--seconds", "1")
    assert result.returncode != 0
    assert "--allow-writes" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_numbers_are_one_line(sqlite_file):
    result = benchmark(sqlite_file, "--readers", "0", "--allow-writes")
    assert result.returncode != 0
    assert "--readers" in result.stderr
    assert "Traceback" not in result.stderr
