"""The Elasticsearch backend's own concerns, on a real osmem-server: talking to an
OpenSearch-compatible server, the alias over concrete indices, rebuilds that keep answering,
writes during a rebuild, "open now" as nested queries, and agreement with the database backend.
(What every backend must do is in test_backend_behaviour.py.)
"""

import datetime as dt
import random

import pytest

from lotse.directory import opening_hours
from lotse.search import service
from lotse.search.backends import database
from lotse.search.backends.elasticsearch import ElasticsearchBackend, EngineUnavailable
from lotse.search.documents import build_document, documents_for, schedule_objects
from lotse.search.osmem import free_port
from lotse.search.query import SearchQuery
from tests import factories

from .conftest import BERLIN, MONDAY_10

pytestmark = pytest.mark.django_db


def run(backend, **params):
    params.setdefault("now", MONDAY_10)
    return backend.search(service.prepare(SearchQuery(**params)))


def titles(result):
    return [hit.title for hit in result.hits]


def test_opensearch_servers_need_the_compatibility_mode(elasticsearch_backend, osmem):
    """The stock client's vendor media types get 406 from osmem-server; plain JSON works."""
    strict = ElasticsearchBackend(url=osmem.url, index=elasticsearch_backend.alias, compat="")
    with pytest.raises(EngineUnavailable, match="406"):
        strict.ensure_index()
    elasticsearch_backend.ensure_index()
    assert elasticsearch_backend.ping()


def test_unreachable_server_is_reported_not_raised_raw(settings):
    backend = ElasticsearchBackend(url=f"http://127.0.0.1:{free_port()}", index="nowhere")
    assert backend.ping() is False
    with pytest.raises(EngineUnavailable):
        backend.search(service.prepare(SearchQuery(q="Schulden", now=MONDAY_10)))


def test_the_index_name_is_an_alias_over_a_timestamped_index(elasticsearch_backend, offer):
    backend = elasticsearch_backend
    backend.index([build_document(offer)])
    concrete = backend.serving_indices()
    assert len(concrete) == 1
    assert concrete[0].startswith(backend.alias + "-") and concrete[0] != backend.alias
    assert backend.count() == 1


def test_rebuild_answers_from_the_old_index_until_the_swap(elasticsearch_backend, offer):
    backend = elasticsearch_backend
    backend.rebuild()
    old_indices = backend.serving_indices()
    offer.title = "Mieterberatung"
    offer.save_revision().publish()
    seen_during = {}

    def halfway(new_index):
        seen_during["titles"] = titles(run(backend))
        seen_during["new_index_count"] = backend.count(new_index)

    assert backend.rebuild(before_swap=halfway) == 1
    # During the rebuild the public still searched the old, complete index ...
    assert seen_during == {"titles": ["Schuldnerberatung"], "new_index_count": 1}
    # ... and afterwards the new one; the old index is gone.
    assert titles(run(backend)) == ["Mieterberatung"]
    assert set(backend.all_indices()).isdisjoint(old_indices)
    assert len(backend.all_indices()) == 1


def test_failed_rebuild_leaves_the_old_index_serving(elasticsearch_backend, offer):
    backend = elasticsearch_backend
    backend.rebuild()
    serving = backend.serving_indices()

    def broken():
        yield build_document(offer)
        raise EngineUnavailable("connection lost")

    with pytest.raises(EngineUnavailable):
        backend.rebuild(documents=broken())
    assert backend.serving_indices() == serving == backend.all_indices()
    assert titles(run(backend)) == ["Schuldnerberatung"]


def test_an_update_during_a_rebuild_is_not_overwritten_by_its_older_snapshot(
    elasticsearch_backend, offer
):
    backend = elasticsearch_backend
    backend.rebuild()
    stale = build_document(offer)
    offer.title = "Insolvenzberatung"
    offer.save_revision().publish()

    def documents():
        yield stale  # read before the edit ...
        backend.index(documents_for([offer.pk])[0])  # ... the edit's task runs meanwhile

    backend.rebuild(documents=documents())
    assert titles(run(backend)) == ["Insolvenzberatung"]


def test_delete_removes_from_every_index_and_missing_ids_are_fine(elasticsearch_backend, offer):
    backend = elasticsearch_backend
    backend.index([build_document(offer)])
    backend.delete([offer.pk, 999999])
    assert backend.count() == 0
    assert run(backend).count == 0


# "Open now" as nested queries must answer what lotse.directory.opening_hours answers.


def random_hours(rng, location):
    kind = rng.choice(["in_person", "in_person", "mobile", "phone", "appointment"])
    opens = rng.randrange(6 * 60, 16 * 60, 30)
    hours = {
        "kind": kind,
        "weekdays": sorted(rng.sample(["MO", "TU", "WE", "TH", "FR", "SA"], rng.randint(1, 3))),
        "opens_at": dt.time(opens // 60, opens % 60),
        "closes_at": dt.time((opens + rng.choice([60, 120, 240])) // 60, 0),
        "location": 0 if kind in ("in_person", "mobile") else None,
    }
    rhythm = rng.random()
    if rhythm < 0.3:
        hours.update(frequency="monthly", week_of_month=rng.choice([1, 2, 3, 4, -1]))
    elif rhythm < 0.6:
        hours.update(interval=rng.choice([2, 3]), valid_from=dt.date(2026, rng.randint(1, 11), 3))
    if rng.random() < 0.3:
        hours["valid_to"] = dt.date(2026, 11, rng.randint(20, 30))
    if kind == "appointment" and rng.random() < 0.5:
        hours.update(opens_at=None, closes_at=None, weekdays=[])
    return hours


def test_open_now_and_open_on_agree_with_opening_hours(elasticsearch_backend, organisation_page):
    rng = random.Random(7)
    place = factories.LocationFactory(organisation=organisation_page.organisation)
    for number in range(24):
        factories.make_offer(
            organisation_page,
            title=f"Sprechstunde {number}",
            locations=[place],
            hours=[random_hours(rng, place) for _ in range(rng.randint(1, 3))],
        )
    backend = elasticsearch_backend
    backend.rebuild()
    docs = {
        d["page_id"]: d
        for d in documents_for(organisation_page.get_children().values_list("pk", flat=True))[0]
    }
    records = {pk: database.Record.from_data(pk, d["title"], d) for pk, d in docs.items()}
    moments = [
        dt.datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN) + dt.timedelta(hours=h)
        for h in range(0, 24 * 21, 5)
    ] + [dt.datetime(2026, 12, 25, 10, 0, tzinfo=BERLIN)]  # a holiday
    checked = 0
    for moment in moments:
        expected = {
            pk
            for pk, d in docs.items()
            if opening_hours.is_open(schedule_objects(d["schedules"]), moment)
        }
        found = {h.page_id for h in run(backend, open_now=True, now=moment, page_size=100).hits}
        assert found == expected, moment
        checked += bool(expected)
    assert checked > 5  # the moments did meet open offers
    for weekday in ("MO", "WE", "FR", "SA", "SU"):
        now = moments[0]
        expected = {
            pk for pk, record in records.items() if database.open_on_weekday(record, weekday, now)
        }
        found = {h.page_id for h in run(backend, open_on=weekday, page_size=100).hits}
        assert found == expected, weekday
