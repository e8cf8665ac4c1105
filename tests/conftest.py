"""Shared pytest fixtures."""

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in German; a request in English must not leak into the next test."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    # Wagtail caches site root paths; a flushed or rolled-back database must not see stale ones.
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def confirm_second_factor_in_test_logins(monkeypatch):
    """`client.login()` and `client.force_login()` stand for the whole sign-in, second step too.

    The session is also confirmed with a real TOTP device of the user, exactly as entering a
    code does (`django_otp.login`). The rule stays on: a session signed in through the login
    form must still enter a code (tests/network/test_two_factor.py), and browser tests type a
    real one (`sign_in` below). `client.login()` also passes a request, which django-axes needs
    to count the attempt.
    """
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    login, _login = ClientMixin.login, ClientMixin._login

    def login_with_request(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return login(self, **credentials)

    def login_and_confirm(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        _login(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = totp_device_of(user).persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "login", login_with_request)
    monkeypatch.setattr(ClientMixin, "_login", login_and_confirm)


def totp_device_of(user):
    """The user's confirmed TOTP device (created if missing), as after the set-up screen."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)


def current_totp_code(device):
    """The code an authenticator app shows now (django-otp's own TOTP implementation)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        # A code is accepted once: wait for the app's next one, as a person would.
        time.sleep(0.5)
        totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def sign_in(live_server):
    """Sign in through the real forms in a browser page: password, then a TOTP code if asked."""

    def sign_in(page, user, password="test-password", next_path="/admin/"):
        page.goto(f"{live_server.url}/admin/login/?next={next_path}")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        if "/two-factor/verify/" in page.url:
            page.fill("input[name=code]", current_totp_code(totp_device_of(user)))
            page.click("form.login-form button[type=submit]")
        return page

    return sign_in


@pytest.fixture
def directory(db):
    return factories.directory_root()


@pytest.fixture
def organisation_page(directory):
    return factories.make_organisation_page()


@pytest.fixture
def offer(organisation_page):
    location = factories.LocationFactory(organisation=organisation_page.organisation)
    return factories.make_offer(
        organisation_page,
        locations=[location],
        hours=[{**factories.WEEKDAY_HOURS, "location": 0}],
    )


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright; never downloads a browser."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by test
    # set-up are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter):
    """Report how many role × object × action combinations the admin matrix went through."""
    from tests.network.test_admin_matrix import MATRIX_TALLY

    if MATRIX_TALLY:
        combinations = sum(count for _role, count, _wrong in MATRIX_TALLY)
        wrong = sum(wrong for _role, _count, wrong in MATRIX_TALLY)
        terminalreporter.write_line(
            f"admin permission matrix: {combinations} combinations over {len(MATRIX_TALLY)} "
            f"roles through the real admin URLs, {wrong} wrong"
        )


#: Test modules whose MATRIX_TALLY lists are summed up at the end of the run.
TALLY_MODULES = ("tests.network.test_admin_matrix", "tests.handover.test_access_matrix")


def pytest_sessionfinish(session):
    """On a pytest-xdist worker: hand the matrix tallies to the controller, which prints them."""
    import sys

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is None:
        return
    workeroutput["matrix_tallies"] = {
        name: [list(row) for row in sys.modules[name].MATRIX_TALLY]
        for name in TALLY_MODULES
        if name in sys.modules
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    import importlib

    for name, rows in node.workeroutput.get("matrix_tallies", {}).items():
        importlib.import_module(name).MATRIX_TALLY.extend(tuple(row) for row in rows)


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Transactional tests start from, and leave behind, the data the migrations create.

    Their flush empties every table, Wagtail's root page and default site included. Run in one
    process, pytest-django puts them last; on an xdist worker other modules may follow, so the
    migrated state is serialized once and restored after each of them (see below).
    """
    for item in items:
        if not is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


#: The migrated state of each test database, serialized once when it was created.
MIGRATED_STATE = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized migrated state where every thread and greenlet finds it.

    Django keeps it on the connection object, which is per context: once Playwright's
    greenlets are running, the test code may see a fresh connection object without it.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            MIGRATED_STATE[connection.alias] = contents
    return django_db_setup


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is None or not is_transactional(item) or not MIGRATED_STATE:
        return
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for alias, contents in MIGRATED_STATE.items():
            # The test's own flush may have re-created content types and permissions with new
            # ids (post_migrate); empty the tables again so the original rows fit back in.
            call_command(
                "flush",
                database=alias,
                interactive=False,
                verbosity=0,
                allow_cascade=True,
                inhibit_post_migrate=True,
            )
            connection = connections[alias]
            connection._test_serialized_contents = contents
            connection.creation.deserialize_db_from_string(contents)
            # The rows came back with their ids; the sequences must continue after them.
            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        # Cached content types would still carry the ids the flush handed out.
        ContentType.objects.clear_cache()
