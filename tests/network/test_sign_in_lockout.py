"""Guessing passwords: django-axes locks an account and an address after the configured number.

Through the real Wagtail login form (the test client's `login()` is not used here). The issue's
finding was 50 wrong passwords in a row and then the right one signing in, superuser included.
"""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.network.models import Membership
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent
LIMIT = settings.LOTSE_LOGIN_FAILURE_LIMIT
PASSWORD = "test-password"


def attempt(client, username, password):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


def signed_in(client):
    return SESSION_KEY in client.session


def editor(username):
    membership = factories.MembershipFactory(user__username=username)
    return membership.user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["superuser", "coordinator", "editor"])
def test_fifty_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(kind):
    if kind == "superuser":
        user = factories.UserFactory(username="chef", is_superuser=True, is_staff=True)
    else:
        role = Membership.Role.COORDINATOR if kind == "coordinator" else Membership.Role.EDITOR
        user = factories.MembershipFactory(user__username="ziel", role=role).user
    client = Client()
    statuses = [attempt(client, user.username, f"falsch-{n}").status_code for n in range(50)]
    # The form answers 200 with an error until the limit; the attempt that reaches it and all
    # after it get the lockout page.
    assert statuses == [200] * (LIMIT - 1) + [429] * (50 - LIMIT + 1)
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "Zu viele fehlgeschlagene Anmeldungen" in response.content.decode()


@pytest.mark.django_db
def test_the_lock_holds_from_other_addresses_and_ends_after_the_pause():
    user = editor("erika")
    for n in range(LIMIT):
        attempt(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "erika", "falsch")
    elsewhere = Client(REMOTE_ADDR="203.0.113.50")
    assert attempt(elsewhere, "erika", PASSWORD).status_code == 429
    assert not signed_in(elsewhere)
    later = timezone.now() + dt.timedelta(minutes=settings.LOTSE_LOGIN_COOLOFF_MINUTES + 1)
    with time_machine.travel(later):
        response = attempt(elsewhere, "erika", PASSWORD)
        assert response.status_code == 302
        assert signed_in(elsewhere)
        assert int(elsewhere.session[SESSION_KEY]) == user.pk


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked_for_every_account():
    users = [editor(f"konto{n}") for n in range(LIMIT + 1)]
    sprayer = Client(REMOTE_ADDR="192.0.2.66")
    statuses = [attempt(sprayer, user.username, "Sommer2026").status_code for user in users[:-1]]
    assert statuses == [200] * (LIMIT - 1) + [429]
    # The last account never saw a wrong password, but this address is paused.
    assert attempt(sprayer, users[-1].username, PASSWORD).status_code == 429
    # From another address that account signs in.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert attempt(other, users[-1].username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_few_typing_errors_do_not_lock_anyone_out():
    editor("tippfehler")
    client = Client()
    for _ in range(LIMIT - 2):
        assert attempt(client, "tippfehler", "tippfeler").status_code == 200
    assert attempt(client, "tippfehler", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_test_clients_login_is_counted_too(client):
    editor("programm")
    for _ in range(LIMIT):
        assert not client.login(username="programm", password="falsch")
    assert not client.login(username="programm", password=PASSWORD)


def database_url_for_processes(tmp_path):
    """The test database, as other processes reach it (an in-memory SQLite one is copied)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host = db["USER"] or "postgres", db["HOST"] or "127.0.0.1"
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}", None
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}", path


SIGN_IN_SCRIPT = """
import json, sys
import django
django.setup()
from django.test import Client
username, password, times, address = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = Client(REMOTE_ADDR=address)
print(json.dumps([
    client.post("/admin/login/", {"username": username, "password": password}).status_code
    for _ in range(times)
]))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_on_one_database_share_the_count(tmp_path):
    editor("geteilt")
    url, _path = database_url_for_processes(tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", "DATABASE_URL": url}

    def sign_in(process, password, times):
        result = subprocess.run(
            [sys.executable, "-c", SIGN_IN_SCRIPT, "geteilt", password, str(times), process],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    half = LIMIT // 2
    # Two worker processes (and two client addresses) take turns with wrong passwords.
    first = sign_in("198.51.100.1", "falsch", half)
    second = sign_in("198.51.100.2", "falsch", LIMIT - half)
    assert first + second == [200] * (LIMIT - 1) + [429]
    # Neither process lets the right password through now.
    assert sign_in("198.51.100.1", PASSWORD, 1) == [429]
    assert sign_in("198.51.100.3", PASSWORD, 1) == [429]
