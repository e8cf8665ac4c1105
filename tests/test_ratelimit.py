"""Rate limits: per address or user, 429 with Retry-After, counted in the database cache.

The last test starts two real server processes on one database and alternates requests
between them: the limit holds across processes (each worker's own memory let 2× through).
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core import checks
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.network import ratelimit
from lotse.network.models import Membership
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_counters(db):
    """Empty counters, and a test that does not straddle the start of a new (daily) window."""
    left = 86400 - time.time() % 86400
    if left < 90:
        time.sleep(left + 1)
    caches["lotse_ratelimit"].clear()
    yield
    caches["lotse_ratelimit"].clear()


def statuses(client, url, times, **extra):
    return [client.get(url, **extra).status_code for _ in range(times)]


# Rates and client keys


@pytest.mark.parametrize(
    "rate, parsed",
    [("120/m", (120, 60)), ("1000/hour", (1000, 3600)), ("5/10s", (5, 10)), ("2/d", (2, 86400))],
)
def test_rates_are_read_like_drf_and_django_ratelimit(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed
    assert ratelimit.parse_rate("") is None


def test_a_bad_rate_is_a_system_check_error():
    with override_settings(LOTSE_RATELIMIT_HSDS="many"):
        errors = ratelimit.check_shared_store(None)
    assert [error.id for error in errors] == ["lotse.ratelimit.E001"]


def test_a_store_the_workers_do_not_share_is_a_warning():
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": locmem, "lotse_ratelimit": locmem}):
        assert [e.id for e in ratelimit.check_shared_store(None)] == ["lotse.ratelimit.W001"]
    assert ratelimit.check_shared_store(None) == []
    assert not [e for e in checks.run_checks() if e.id.startswith("lotse.ratelimit")]


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    request.user = None
    return request


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    assert ratelimit.client_key(request_from("203.0.113.9", "198.51.100.1")) == (
        "address:203.0.113.9"
    )
    with override_settings(LOTSE_TRUSTED_PROXIES=["10.0.0.0/8"]):
        # The proxy appended the real client; what the client wrote itself (left) is not used.
        forged = request_from("10.0.0.2", "1.2.3.4, 198.51.100.1")
        assert ratelimit.client_key(forged) == "address:198.51.100.1"
        chain = request_from("10.0.0.2", "198.51.100.1, 10.0.0.7")
        assert ratelimit.client_key(chain) == "address:198.51.100.1"
        # Not from the proxy: the header is the client's own word.
        direct = request_from("203.0.113.9", "198.51.100.1")
        assert ratelimit.client_key(direct) == "address:203.0.113.9"
        assert ratelimit.client_key(request_from("10.0.0.2", "garbage")) == "address:10.0.0.2"


def test_ipv6_clients_are_counted_by_their_64_network():
    one = ratelimit.client_key(request_from("2001:db8:1:2::1"))
    other = ratelimit.client_key(request_from("2001:db8:1:2:ffff::9"))
    assert one == other == "address:2001:db8:1:2::"


def test_the_cache_holds_no_address():
    request = request_from("198.51.100.77")
    with override_settings(LOTSE_RATELIMIT_SEARCH="5/d"):
        assert ratelimit.hit(request, "search").count == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM lotse_ratelimit_cache")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert "198.51.100.77" not in repr(rows)


def test_the_database_counter_keeps_its_expiry_and_counts_on():
    store = caches["lotse_ratelimit"]
    assert store.add("k", 1, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM lotse_ratelimit_cache")
        before = cursor.fetchone()
    assert [store.incr("k") for _ in range(3)] == [2, 3, 4]
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM lotse_ratelimit_cache")
        assert cursor.fetchone() == before
    assert store.get("k") == 4
    with pytest.raises(ValueError):
        store.incr("missing")


# Each endpoint


@override_settings(LOTSE_RATELIMIT_SEARCH="3/d")
def test_search_api_answers_429_with_retry_after_and_a_message(directory, client):
    url = reverse("search-api")
    assert statuses(client, url, 3) == [200, 200, 200]
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86400
    assert response.json()["detail"].startswith("Too many requests. Please try again in ")
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert german.json()["detail"].startswith("Zu viele Anfragen. Bitte versuchen Sie es in ")


@override_settings(LOTSE_RATELIMIT_SEARCH="3/d")
def test_the_search_page_counts_with_the_api_and_shows_a_page(directory, client):
    assert statuses(client, "/", 2) == [200, 200]
    assert client.get(reverse("search-api")).status_code == 200
    page = client.get("/?q=Schulden")
    assert page.status_code == 429
    assert page["Content-Type"].startswith("text/html")
    assert int(page["Retry-After"]) > 0
    html = page.content.decode()
    assert "Zu viele Anfragen" in html and "Bitte versuchen Sie es in" in html
    english = client.get("/en/")
    assert english.status_code == 429
    assert "Too many requests" in english.content.decode()
    # Another address has its own count.
    assert client.get("/", REMOTE_ADDR="198.51.100.5").status_code == 200


@override_settings(LOTSE_RATELIMIT_SUGGEST="2/d", LOTSE_RATELIMIT_SEARCH="100/d")
def test_suggest_has_its_own_limit(directory, client):
    url = reverse("search-suggest-api") + "?q=Sch"
    assert statuses(client, url, 3) == [200, 200, 429]
    assert client.get(reverse("search-api")).status_code == 200


@override_settings(LOTSE_RATELIMIT_HSDS="3/d")
def test_all_hsds_endpoints_share_one_limit(directory, client):
    codes = [
        client.get(url).status_code
        for url in ("/api/hsds/", "/api/hsds/services", "/api/hsds/organizations")
    ]
    assert codes == [200, 200, 200]
    response = client.get("/api/hsds/taxonomies")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "Retry-After" in response


@override_settings(LOTSE_RATELIMIT_INVITATION="2/d")
def test_invitation_links_cannot_be_guessed_quickly(db, client):
    url = reverse("network:invitation_accept", args=["not-a-token-" + "x" * 30])
    assert statuses(client, url, 2) == [404, 404]
    response = client.get(url)
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    # The page still keeps the token in the URL to itself.
    assert response["Referrer-Policy"] == "no-referrer"


def adviser(username):
    organisation = factories.OrganisationFactory()
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADVISER)
    return user


@override_settings(LOTSE_RATELIMIT_HANDOVER_API="3/d")
def test_handover_api_counts_per_user_whatever_the_address(db):
    lea, carl = adviser("lea"), adviser("carl")
    api = APIClient()
    api.force_authenticate(lea)
    codes = [api.get("/api/v1/me/", REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.get("/api/v1/handovers/", REMOTE_ADDR="203.0.113.1")
    assert limited.status_code == 429 and "Retry-After" in limited
    other = APIClient()
    other.force_authenticate(carl)
    assert other.get("/api/v1/me/").status_code == 200


@override_settings(LOTSE_RATELIMIT_PARTNER="2/d")
def test_partner_api_limit_is_counted_in_the_shared_store(directory):
    organisation = factories.OrganisationFactory()
    user = factories.UserFactory(username="paula")
    factories.MembershipFactory(user=user, organisation=organisation, role=Membership.Role.EDITOR)
    api = APIClient()
    api.force_authenticate(user)
    assert statuses(api, "/api/v1/partner/offers/", 3) == [200, 200, 429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM lotse_ratelimit_cache")
        assert cursor.fetchone()[0] == 1


@override_settings(LOTSE_RATELIMIT_SEARCH="", LOTSE_RATELIMIT_HSDS="1/d")
def test_an_empty_rate_or_switching_off_means_no_limit(directory, client):
    assert statuses(client, reverse("search-api"), 5) == [200] * 5
    with override_settings(LOTSE_RATELIMIT_ENABLED=False):
        assert statuses(client, "/api/hsds/", 3) == [200] * 3


# Two server processes on one database


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, process, log, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace")[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"server on {port} did not start")


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After")
    finally:
        conn.close()


def database_url_for_servers(tmp_path):
    """The test database, as other processes reach it (an in-memory SQLite one is copied)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = __import__("sqlite3").connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


LIMIT = 6


@pytest.mark.django_db(transaction=True)
def test_two_server_processes_share_the_count(tmp_path, client):
    factories.directory_root()
    lea = adviser("lea")
    client.force_login(lea)
    session_cookie = f"sessionid={client.cookies['sessionid'].value}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": database_url_for_servers(tmp_path),
        "LOTSE_RATELIMIT_SEARCH": f"{LIMIT}/d",
        "LOTSE_RATELIMIT_SUGGEST": f"{LIMIT}/d",
        "LOTSE_RATELIMIT_HSDS": f"{LIMIT}/d",
        "LOTSE_RATELIMIT_INVITATION": f"{LIMIT}/d",
        "LOTSE_RATELIMIT_HANDOVER_API": f"{LIMIT}/d",
    }
    ports = [free_port(), free_port()]
    logs = [tmp_path / f"server-{port}.log" for port in ports]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for port, server, log in zip(ports, servers, logs, strict=True):
            wait_for(port, server, log)

        def alternate(path, times=LIMIT + 2, headers=None):
            return [get(ports[n % 2], path, headers)[0] for n in range(times)]

        # The search page and the search API count together.
        page_then_api = alternate("/", LIMIT) + alternate("/api/v1/search/?q=Schulden", 2)
        assert page_then_api == [200] * LIMIT + [429, 429], page_then_api
        assert alternate("/api/hsds/services") == [200] * LIMIT + [429, 429]
        invitation = alternate("/einladung/" + "x" * 43 + "/")
        assert invitation == [404] * LIMIT + [429, 429]
        me = alternate("/api/v1/me/", headers={"Cookie": session_cookie})
        assert me == [200] * LIMIT + [429, 429]

        # At the same time from both processes: still exactly the limit, none lost.
        with ThreadPoolExecutor(max_workers=8) as pool:
            burst = list(
                pool.map(lambda n: get(ports[n % 2], "/api/v1/search/suggest/?q=Sch"), range(20))
            )
        codes = [status for status, _retry in burst]
        assert codes.count(200) == LIMIT and codes.count(429) == 20 - LIMIT
        assert all(int(retry) > 0 for status, retry in burst if status == 429)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
