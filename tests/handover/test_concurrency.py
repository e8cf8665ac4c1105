"""Two people acting on one handover at the same moment (PostgreSQL, real transactions).

Only PostgreSQL has row locks and concurrent writers; SQLite serialises every write, so there
is no race to test there. CI runs the whole suite on both databases (`make test`), so this
test really runs in CI, in its PostgreSQL pass.
"""

import threading

import pytest
from django.db import connection, connections

from lotse.handover import audit, services
from lotse.handover.models import AuditEntry, Handover, Status
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


def race(*calls):
    """Start all calls at once, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 – the loser's error is the result
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_accept_and_decline_at_once_one_wins(cast):
    recipient, deputy = cast.recipient.user, cast.deputy.user
    for _ in range(5):
        handover = factories.make_handover(cast.adviser, cast.recipient)
        results = race(
            lambda h=handover: services.transition(
                recipient, Handover.objects.get(pk=h.pk), "accept"
            ),
            lambda h=handover: services.transition(
                deputy, Handover.objects.get(pk=h.pk), "decline", reason="no_capacity"
            ),
        )
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["error", "ok"], results
        error = next(value for kind, value in results if kind == "error")
        assert isinstance(error, services.TransitionNotAllowed)
        handover.refresh_from_db()
        assert handover.status in (Status.ACCEPTED, Status.DECLINED)
        assert bool(handover.decline_reason) == (handover.status == Status.DECLINED)
        changes = AuditEntry.objects.filter(
            handover_id=handover.pk, action__in=["accept", "decline"]
        )
        assert changes.count() == 1
    assert audit.verify() is None


def test_withdrawal_racing_an_accept_leaves_a_possible_state(cast):
    handover = factories.make_handover(cast.adviser, cast.recipient)
    results = race(
        lambda: services.transition(
            cast.recipient.user, Handover.objects.get(pk=handover.pk), "accept"
        ),
        lambda: services.withdraw_consent(cast.adviser, Handover.objects.get(pk=handover.pk)),
    )
    handover.refresh_from_db()
    # Either order is possible; the end is always withdrawn, purged and consistent.
    assert handover.status == Status.WITHDRAWN and handover.content_purged_at
    assert [kind for kind, _ in results].count("ok") >= 1
    assert audit.verify() is None


def test_many_readers_append_to_one_unbroken_chain(cast):
    handover = factories.make_handover(cast.adviser, cast.recipient)
    readers = [cast.adviser, cast.recipient.user, cast.deputy.user] * 3
    results = race(
        *[
            (lambda user=user: services.read_content(user, Handover.objects.get(pk=handover.pk)))
            for user in readers
        ]
    )
    assert all(kind == "ok" for kind, _ in results), results
    assert AuditEntry.objects.filter(action="content_read").count() == len(readers)
    assert audit.verify() is None
