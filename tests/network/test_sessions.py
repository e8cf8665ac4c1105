"""Sessions: keys from a database dump open nothing; idle and too old sessions end."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.network import sessions
from lotse.network.models import Membership
from tests import factories

ADMIN = "/admin/"


def editor():
    return factories.MembershipFactory(role=Membership.Role.EDITOR).user


def sign_in(user):
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": "test-password"}
    )
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_the_table_holds_no_session_key():
    client = sign_in(editor())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    rows = list(Session.objects.values_list("session_key", flat=True))
    assert key not in rows
    assert sessions.digest(key) in rows
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_a_session_key_read_from_the_database_does_not_authenticate():
    sign_in(editor())
    (stored,) = Session.objects.values_list("session_key", flat=True)
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stored
    response = thief.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.django_db
def test_signing_out_deletes_the_row():
    client = sign_in(editor())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=sessions.digest(key)).exists()
    client.post(reverse("wagtailadmin_logout"))
    assert not Session.objects.filter(session_key=sessions.digest(key)).exists()


@pytest.mark.django_db
def test_idle_timeout_ends_the_session_and_activity_keeps_it():
    client = sign_in(editor())
    idle = dt.timedelta(minutes=settings.LOTSE_SESSION_IDLE_MINUTES)
    start = timezone.now()
    # Active every 20 minutes for two hours: still signed in (the timeout slides).
    for step in range(1, 7):
        with time_machine.travel(start + step * dt.timedelta(minutes=20)):
            assert client.get(ADMIN).status_code == 200, step
    with time_machine.travel(start + 6 * dt.timedelta(minutes=20) + idle + dt.timedelta(seconds=5)):
        response = client.get(ADMIN)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
        assert SESSION_KEY not in client.session
        page = client.get(response["Location"])
        assert "ohne Aktivität abgemeldet" in page.content.decode()


@pytest.mark.django_db
def test_the_absolute_lifetime_ends_even_an_active_session():
    client = sign_in(editor())
    lifetime = dt.timedelta(hours=settings.LOTSE_SESSION_MAX_HOURS)
    start = timezone.now()
    moments = [start + n * dt.timedelta(minutes=25) for n in range(1, 100)]
    active = [m for m in moments if m - start < lifetime - dt.timedelta(minutes=1)]
    for moment in active:
        with time_machine.travel(moment):
            assert client.get(ADMIN).status_code == 200, moment - start
    with time_machine.travel(start + lifetime + dt.timedelta(seconds=5)):
        assert client.get(ADMIN).status_code == 302


def test_defaults():
    assert settings.LOTSE_SESSION_IDLE_MINUTES == 30
    assert settings.LOTSE_SESSION_MAX_HOURS == 10
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert settings.SESSION_ENGINE == "lotse.network.sessions"
