"""A mixed read/write load on the configured database, for `manage.py sqlite_load_benchmark`.

Readers request public pages and APIs through Django's test client (the whole middleware and
view stack, no network); writers hand over, accept and read cases through `lotse.handover.services`
(the code behind the admin and the API). Every thread has its own database connection, as
the threads of a web server do, so SQLite's file locks are contended for real.

The writers' handovers, audit entries and outbox messages stay in the database: run it on a
copy or a demo database.
"""

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from lotse.directory.models import OfferPage
from lotse.network.models import Membership, Organisation, Person

from . import services

#: The benchmark's own people and organisations (created once, reused by later runs).
PREFIX = "loadtest"
KINDS = ("browse", "create", "accept", "read")
#: Public reads; the offer pages of up to ten live offers are added.
PUBLIC_PATHS = (
    "/api/v1/search/?q=Beratung",
    "/api/v1/search/?q=Schulden",
    "/api/hsds/services?per_page=10",
    "/api/hsds/organizations",
)
LOCKED_MESSAGES = ("database is locked", "database table is locked")
#: Loggers that would print a line (or a traceback) per request during the run.
QUIET_LOGGERS = ("django.request", "django_tasks", "django_tasks_db", "lotse")


@dataclass
class Tally:
    """Outcomes and latencies (seconds) of one kind of request."""

    latencies: list = field(default_factory=list)
    errors: int = 0
    locked: int = 0
    throttled: int = 0
    rejected: int = 0

    @property
    def requests(self):
        return len(self.latencies)

    def percentile(self, share):
        """Nearest-rank percentile in milliseconds, or None without requests."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(1, round(share * len(ordered) + 0.5))
        return ordered[min(rank, len(ordered)) - 1] * 1000


@dataclass
class Result:
    tallies: dict
    seconds: float
    database: str

    def total(self, name):
        return sum(getattr(tally, name) for tally in self.tallies.values())

    def as_dict(self):
        kinds = {
            kind: {
                "requests": tally.requests,
                "errors": tally.errors,
                "locked": tally.locked,
                "throttled": tally.throttled,
                "rejected": tally.rejected,
                "p50_ms": tally.percentile(0.5),
                "p95_ms": tally.percentile(0.95),
            }
            for kind, tally in self.tallies.items()
        }
        return {
            "database": self.database,
            "seconds": round(self.seconds, 2),
            "requests": self.total("requests"),
            "errors": self.total("errors"),
            "locked": self.total("locked"),
            "kinds": kinds,
        }


def unapplied_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def describe_database():
    """The engine and, for SQLite, the settings that decide how it copes with writers."""
    if connection.vendor != "sqlite":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]
    mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") or "DEFERRED"
    return f"sqlite (journal {journal}, busy timeout {busy} ms, transactions {mode})"


def cast(writers):
    """One adviser and one named contact (with a user account) per writer."""
    User = get_user_model()
    office, _ = Organisation.objects.get_or_create(
        slug=f"{PREFIX}-office",
        defaults={"name": "Lastprobe Sozialbüro", "kind": Organisation.Kind.COUNTY_DEPARTMENT},
    )
    partner, _ = Organisation.objects.get_or_create(
        slug=f"{PREFIX}-partner",
        defaults={"name": "Lastprobe Partner", "kind": Organisation.Kind.WELFARE_ASSOCIATION},
    )
    pairs = []
    for number in range(writers):
        adviser, _ = User.objects.get_or_create(
            username=f"{PREFIX}-adviser-{number}",
            defaults={"email": f"{PREFIX}-adviser-{number}@example.invalid"},
        )
        Membership.objects.get_or_create(
            user=adviser, organisation=office, role=Membership.Role.ADVISER
        )
        contact_user, _ = User.objects.get_or_create(
            username=f"{PREFIX}-contact-{number}",
            defaults={"email": f"{PREFIX}-contact-{number}@example.invalid"},
        )
        Membership.objects.get_or_create(
            user=contact_user, organisation=partner, role=Membership.Role.CONTACT
        )
        person, _ = Person.objects.get_or_create(
            user=contact_user,
            defaults={"organisation": partner, "name": f"Lastprobe Kontakt {number}"},
        )
        pairs.append((adviser.pk, contact_user.pk, person.pk))
    return pairs


def public_paths():
    offers = [page.get_url() for page in OfferPage.objects.live().order_by("pk")[:10]]
    return list(PUBLIC_PATHS) + [url for url in offers if url]


def consent():
    return {
        "given_at": timezone.now(),
        "method": "written",
        "data_categories": ["finances", "housing"],
        "purpose": "Lastprobe",
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
    }


class Run:
    """The threads of one benchmark run and what they counted."""

    def __init__(self, readers, writers, seconds):
        self.readers, self.writers, self.seconds = readers, writers, seconds
        self.tallies = {kind: Tally() for kind in KINDS}
        self.lock = threading.Lock()
        # The clock starts when the last thread is ready.
        self.barrier = threading.Barrier(readers + writers + 1, action=self.start_clock)
        self.deadline = None

    def start_clock(self):
        self.deadline = time.monotonic() + self.seconds

    def timed(self, kind, call):
        """Run one request; an exception or a 5xx counts as an error, 429 as throttled."""
        started = time.perf_counter()
        status = None
        locked = failed = False
        try:
            answer = call()
            status = answer if isinstance(answer, int) else None
        except DatabaseError as error:
            failed = True
            locked = any(text in str(error) for text in LOCKED_MESSAGES)
        except Exception:  # noqa: BLE001 – any other failure of the request is an error, too
            failed = True
        elapsed = time.perf_counter() - started
        with self.lock:
            tally = self.tallies[kind]
            tally.latencies.append(elapsed)
            if failed or (status or 200) >= 500:
                tally.errors += 1
                tally.locked += locked
            elif status == 429:
                tally.throttled += 1
            elif status and status >= 400:
                tally.rejected += 1
        return not failed

    def running(self):
        return time.monotonic() < self.deadline

    def reader(self, number, paths):
        host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".")
        host = "localhost" if host == "*" else host
        client = Client(HTTP_HOST=host)
        self.barrier.wait()
        index = number
        while self.running():
            path = paths[index % len(paths)]
            index += 1
            self.timed("browse", lambda p=path: client.get(p, secure=True).status_code)

    def writer(self, pair):
        User = get_user_model()
        adviser_pk, contact_pk, person_pk = pair
        adviser = User.objects.get(pk=adviser_pk)
        contact = User.objects.get(pk=contact_pk)
        made = []

        def create():
            made.append(
                services.create_handover(
                    adviser,
                    recipient=person_pk,
                    summary="Lastprobe: Mietschulden, Termin erbeten.",
                    citizen={"name": "Lastprobe", "phone": "0000 000000"},
                    consent=consent(),
                )
            )

        self.barrier.wait()
        while self.running():
            made.clear()
            if not self.timed("create", create):
                continue
            handover = made[0]
            self.timed("accept", lambda h=handover: services.transition(contact, h, "accept"))
            self.timed("read", lambda h=handover: services.read_content(contact, h))

    def thread(self, target, *args):
        def run():
            try:
                target(*args)
            except threading.BrokenBarrierError:
                pass
            finally:
                connections.close_all()

        return threading.Thread(target=run, daemon=True)

    def go(self):
        pairs = cast(self.writers)
        paths = public_paths()
        threads = [self.thread(self.reader, n, paths) for n in range(self.readers)]
        threads += [self.thread(self.writer, pair) for pair in pairs]
        levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            for thread in threads:
                thread.start()
            self.barrier.wait(timeout=60)
            started = time.perf_counter()
            for thread in threads:
                thread.join(timeout=self.seconds + 120)
            elapsed = time.perf_counter() - started
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
        return Result(self.tallies, elapsed, describe_database())


def run(readers, writers, seconds):
    return Run(readers, writers, seconds).go()
