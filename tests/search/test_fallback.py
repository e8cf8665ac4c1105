"""Elasticsearch going away: the database answers (circuit breaker), `/api/v1/health/` says
"degraded", and index updates made meanwhile are kept and replayed once it is back.

All on a real osmem-server, which the tests pause (requests hang, like an overloaded engine)
or stop (connections refused, in-memory data gone).
"""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lotse.directory.models import OfferPage
from lotse.search import service
from lotse.search.backends import database
from lotse.search.circuit import CLOSED, OPEN, CircuitBreaker
from lotse.search.models import PendingIndexUpdate
from lotse.search.query import SearchQuery
from tests import factories

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Command output is checked against the English msgids, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def both_indexed(settings, search_backend, corpus):
    """The corpus in Elasticsearch and in the database index; short timeouts."""
    settings.LOTSE_SEARCH_TIMEOUT = 0.3
    settings.LOTSE_SEARCH_INDEX_TIMEOUT = 0.5
    settings.LOTSE_SEARCH_BREAKER_FAILURES = 2
    settings.LOTSE_SEARCH_BREAKER_SECONDS = 60
    database.DatabaseBackend().rebuild()
    return corpus


def api(client, **params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_stopping_the_engine_mid_run_leaves_no_request_unanswered(
    client, osmem, search_backend, both_indexed, settings
):
    queries = ["Pflege", "Schulden", "Hartz IV", "Rente", "Beratungen", "Suchtberatung"] * 3
    answers = []
    for number, q in enumerate(queries):
        if number == 5:
            osmem.stop()  # the search server dies in the middle of the run
        body = api(client, q=q)
        answers.append((q, body["backend"], {r["title"] for r in body["results"]}))
        suggestions = client.get("/api/v1/search/suggest/", {"q": q[:4]})
        assert suggestions.status_code == 200
    # Every request was answered, with the same offers before and after the failure.
    assert [backend for _q, backend, _titles in answers] == ["elasticsearch"] * 5 + [
        "database (fallback)"
    ] * 13
    found = {}
    for q, _backend, titles in answers:
        assert titles, q
        assert found.setdefault(q, titles) == titles, q
    assert "Pflegestützpunkt Wetzbach" in found["Pflege"]
    assert "Bürgergeld: Antrag und Beratung" in found["Hartz IV"]
    # After two failures the breaker opened: later requests did not wait for the engine.
    assert CircuitBreaker().state() == OPEN

    health = client.get("/api/v1/health/")
    assert health.status_code == 503
    report = health.json()
    assert report["status"] == "degraded"
    assert report["checks"]["search"]["backend"] == "database (fallback)"
    assert report["checks"]["search"]["elasticsearch"] == {
        "reachable": False,
        "circuit": OPEN,
        "installed": True,
    }
    assert report["checks"]["database"] == {"status": "ok"}

    # The engine comes back (empty, as a restarted in-memory server is) and is rebuilt;
    # once the breaker lets a trial request through, Elasticsearch answers again.
    osmem.start()
    call_command("search_reindex", "--backend", "elasticsearch", stdout=io.StringIO())
    settings.LOTSE_SEARCH_BREAKER_SECONDS = 0.2
    CircuitBreaker().trip()
    time.sleep(0.3)
    assert api(client, q="Pflege")["backend"] == "elasticsearch"
    assert CircuitBreaker().state() == CLOSED
    health = client.get("/api/v1/health/")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["checks"]["search"]["backend"] == "elasticsearch"


@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_a_hanging_engine_is_degraded_and_searches_fall_back(
    client, osmem, search_backend, both_indexed
):
    assert client.get("/api/v1/health/").status_code == 200
    osmem.pause()
    body = api(client, q="Schulden")
    assert body["backend"] == "database (fallback)"
    assert body["results"][0]["title"] == "Schuldnerberatung"
    health = client.get("/api/v1/health/")
    assert health.status_code == 503
    assert health.json()["checks"]["search"]["elasticsearch"]["reachable"] is False
    osmem.resume()


def test_health_without_elasticsearch_is_ok(client, settings):
    settings.ELASTICSEARCH_URL = ""
    response = client.get("/api/v1/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["search"] == {
        "status": "ok",
        "backend": "database",
        "elasticsearch": None,
        "pending_index_updates": 0,
    }


# Updates while the engine is unreachable


def engine_titles(backend, **params):
    result = backend.search(service.prepare(SearchQuery(now=MONDAY_10, page_size=100, **params)))
    return {hit.title for hit in result.hits}


@pytest.fixture
def synced(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_updates_while_the_engine_is_down_are_kept_and_replayed(
    elasticsearch_backend, osmem, organisation_page, settings, synced
):
    settings.LOTSE_SEARCH_INDEX_TIMEOUT = 0.5
    settings.LOTSE_SEARCH_TIMEOUT = 0.3
    engine = elasticsearch_backend
    with synced():
        kept = factories.make_offer(organisation_page, title="Schuldnerberatung")
        edited = factories.make_offer(organisation_page, title="Pflegeberatung")
        removed = factories.make_offer(organisation_page, title="Suchtberatung")
    assert engine_titles(engine) == {"Schuldnerberatung", "Pflegeberatung", "Suchtberatung"}

    osmem.pause()  # unreachable: every write times out
    with synced():
        edited.title = "Pflegestützpunkt"
        edited.save_revision().publish()
    with synced():
        OfferPage.objects.get(pk=removed.pk).unpublish()
    with synced():
        added = factories.make_offer(organisation_page, title="Familienzentrum")
    pending = set(PendingIndexUpdate.objects.values_list("page_id", flat=True))
    assert pending == {edited.pk, removed.pk, added.pk}
    # The database index has them already: searches falling back are current.
    assert {
        h.title
        for h in database.DatabaseBackend().search(service.prepare(SearchQuery(now=MONDAY_10))).hits
    } == {"Schuldnerberatung", "Pflegestützpunkt", "Familienzentrum"}
    with pytest.raises(CommandError, match="still unreachable, 3 updates kept"):
        call_command("search_replay", stdout=io.StringIO())
    assert PendingIndexUpdate.objects.count() == 3
    # Each later attempt (the next tasks, the command) counted on every kept row.
    attempts = dict(PendingIndexUpdate.objects.values_list("page_id", "attempts"))
    assert attempts == {edited.pk: 4, removed.pk: 3, added.pk: 2}

    osmem.resume()
    # Before the replay the engine still has the old state ...
    assert engine_titles(engine) == {"Schuldnerberatung", "Pflegeberatung", "Suchtberatung"}
    out = io.StringIO()
    call_command("search_replay", stdout=out)
    assert "3 offers replayed, 0 updates left" in out.getvalue()
    # ... afterwards every update is there; none was lost.
    assert engine_titles(engine) == {"Schuldnerberatung", "Pflegestützpunkt", "Familienzentrum"}
    assert not PendingIndexUpdate.objects.exists()
    assert kept.pk not in pending


def test_the_next_index_task_replays_kept_updates_first(
    elasticsearch_backend, osmem, organisation_page, settings, synced
):
    settings.LOTSE_SEARCH_INDEX_TIMEOUT = 0.5
    engine = elasticsearch_backend
    with synced():
        first = factories.make_offer(organisation_page, title="Schuldnerberatung")
    osmem.pause()
    with synced():
        first.title = "Insolvenzberatung"
        first.save_revision().publish()
    assert PendingIndexUpdate.objects.count() == 1
    osmem.resume()
    with synced():
        factories.make_offer(organisation_page, title="Pflegeberatung")
    assert engine_titles(engine) == {"Insolvenzberatung", "Pflegeberatung"}
    assert not PendingIndexUpdate.objects.exists()


def test_replay_needs_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_replay", stdout=io.StringIO())
