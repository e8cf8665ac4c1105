"""The database backend's bitset index must answer exactly what the plain definitions answer:
`opening_hours.is_open`, `open_on_weekday`, haversine distances and filtering record by record.
"""

import datetime as dt
import random

import pytest

from lotse.directory import opening_hours
from lotse.search.backends import database
from lotse.search.backends.database import CompactIndex, Origin, Record, run_query
from lotse.search.query import Hit, SearchQuery

from .conftest import BERLIN

pytestmark = pytest.mark.django_db

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TOPICS = ["schulden", "pflege", "sucht", "familie", "rente"]
AREAS = ["lahnfeld", "wetzbach", "aarstadt"]
LANGUAGES = ["de", "tr", "ar", "uk"]
PLACES = [(50.55, 8.5), (50.70, 8.70), (50.61, 8.41), (50.58, 8.66)]


def random_schedule(rng):
    kind = rng.choice(["in_person", "in_person", "mobile", "phone", "appointment"])
    opens = rng.randrange(6 * 60, 17 * 60, 15)
    schedule = {
        "kind": kind,
        "weekdays": sorted(rng.sample(WEEKDAYS[:6], rng.randint(1, 3))),
        "opens_at": f"{opens // 60:02d}:{opens % 60:02d}",
        "closes_at": f"{(opens + rng.choice([45, 120, 240])) // 60:02d}:{opens % 60:02d}",
        "frequency": "weekly",
        "interval": 1,
        "week_of_month": None,
        "valid_from": None,
        "valid_to": None,
        "location_id": rng.randint(1, 3),
    }
    rhythm = rng.random()
    if rhythm < 0.2:
        schedule.update(frequency="monthly", week_of_month=rng.choice([1, 2, 3, 4, -1]))
    elif rhythm < 0.4:
        schedule.update(interval=rng.choice([2, 3]), valid_from=f"2026-{rng.randint(1, 11):02d}-03")
    elif rhythm < 0.5:
        schedule["interval"] = 2  # every other week, but without a start: every week
    if rng.random() < 0.2:
        schedule["valid_to"] = f"2026-12-{rng.randint(1, 28):02d}"
    if rng.random() < 0.1:
        schedule["valid_from"] = f"2026-12-{rng.randint(1, 28):02d}"
    if kind == "appointment" and rng.random() < 0.5:
        schedule.update(opens_at=None, closes_at=None, weekdays=[])
    return schedule


def make_records(count=240, seed=3):
    rng = random.Random(seed)
    templates = [[random_schedule(rng) for _ in range(rng.randint(1, 3))] for _ in range(40)]
    records = {}
    for page_id in range(1, count + 1):
        schedules = rng.choice(templates) if rng.random() < 0.6 else []
        if rng.random() < 0.5:
            schedules = [random_schedule(rng) for _ in range(rng.randint(0, 3))]
        areas = rng.sample(AREAS, rng.randint(0, 2))
        data = {
            "topic_slugs": rng.sample(TOPICS, rng.randint(0, 2)),
            "topic_names": [],
            "language_codes": rng.sample(LANGUAGES, rng.randint(0, 2)),
            "areas": [{"slug": a, "name": a.title(), "kind": "town"} for a in areas]
            + [{"slug": "landkreis", "name": "Landkreis", "kind": "county"}],
            "is_free": rng.random() < 0.7,
            "step_free": rng.random() < 0.4,
            "attending": sorted({s["kind"] for s in schedules}),
            "points": [
                {"lat": lat, "lon": lon} for lat, lon in rng.sample(PLACES, rng.randint(0, 2))
            ],
            "schedules": schedules,
        }
        title = rng.choice(["beratung", "hilfe", "kurs", "treff"]) + f" {rng.randint(1, 30)}"
        records[page_id] = Record.from_data(page_id, title, data)
    return records


def moments():
    start = dt.datetime(2026, 11, 23, 0, 0, tzinfo=BERLIN)
    found = [start + dt.timedelta(minutes=m) for m in range(0, 60 * 24 * 42, 97)]
    holidays = [dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2027, 1, 1)]
    found += [
        dt.datetime.combine(d, dt.time(h, 30), tzinfo=BERLIN) for d in holidays for h in (9, 11, 15)
    ]
    # Exactly at an opening, a moment before it and a moment before closing.
    found += [
        dt.datetime(2026, 12, 1, 8, 30, tzinfo=BERLIN),
        dt.datetime(2026, 12, 1, 8, 29, 59, 999999, tzinfo=BERLIN),
        dt.datetime(2026, 12, 1, 12, 29, 59, tzinfo=BERLIN),
        dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC),
    ]
    return found


def members(index, bits):
    return {record.page_id for slot, record in enumerate(index.records) if bits >> slot & 1}


def test_open_now_and_open_on_agree_with_opening_hours():
    records = make_records()
    index = CompactIndex(list(records.values()))
    assert len(index.schedule_groups) < len(records)  # groups do share schedules
    checked = 0
    for moment in moments():
        expected = {
            pk
            for pk, record in records.items()
            if opening_hours.is_open(record.schedule_objects, moment)
        }
        assert members(index, index.open_at(moment)) == expected, moment
        assert members(index, index.open_at(moment)) == expected  # the remembered answer
        checked += bool(expected)
    assert checked > 50
    for day in (
        dt.datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN),
        dt.datetime(2026, 12, 20, 9, 0, tzinfo=BERLIN),
    ):
        for weekday in WEEKDAYS:
            expected = {
                pk
                for pk, record in records.items()
                if database.open_on_weekday(record, weekday, day)
            }
            assert members(index, index.open_on(weekday, day)) == expected, (day, weekday)


def reference(query, records, scores, has_text):
    """Page ids, count and facet counts, record by record, as the definitions say."""
    selected = database._selected(query)
    active = {name: wanted for name, wanted in selected.items() if wanted}
    origin = Origin.of(query.near) if query.near else None

    def distance(record):
        return record.distance_from(origin) if origin else None

    def passes(record, name):
        values = record.all_areas if name == "area" else record.facets[name]
        return bool(values & active[name])

    base = []
    for record in records.values():
        if query.radius_km is not None and origin:
            d = distance(record)
            if d is None or d > query.radius_km:
                continue
        if query.open_now and not opening_hours.is_open(record.schedule_objects, query.now):
            continue
        if query.open_on and not database.open_on_weekday(record, query.open_on, query.now):
            continue
        base.append(record)
    passing = [r for r in base if all(passes(r, name) for name in active)]
    counts = {}
    for name in database.FACETS:
        counted = [r for r in base if all(passes(r, o) for o in active if o != name)]
        found = {}
        for record in counted:
            for value in record.facets[name]:
                found[value] = found.get(value, 0) + 1
        counts[name] = found

    def relevance(r):
        return (-scores.get(r.page_id, 0.0), r.title_sort, r.page_id)

    sort = query.sort
    if sort == "distance" and not origin:
        sort = "relevance"
    if sort == "relevance" and not has_text:
        sort = "distance" if origin else "title"
    if sort == "distance":
        passing.sort(key=lambda r: (distance(r) is None, distance(r) or 0.0, *relevance(r)))
    elif sort == "title":
        passing.sort(key=lambda r: (r.title_sort, r.page_id))
    else:
        passing.sort(key=relevance)
    start = (query.page - 1) * query.page_size
    page = [r.page_id for r in passing[start : start + query.page_size]]
    return page, len(passing), counts


def load(page_ids, groups):
    return [Hit(str(pk), pk, "", "", "", "", "") for pk in page_ids]


def test_queries_agree_with_filtering_record_by_record():
    rng = random.Random(11)
    records = make_records()
    index = CompactIndex(list(records.values()))
    times = moments()
    for _ in range(300):
        candidates = records
        scores = {}
        has_text = rng.random() < 0.4
        if has_text:
            candidates = {pk: r for pk, r in records.items() if rng.random() < 0.5}
            # Equal scores happen: ties fall back to title and page id.
            scores = {pk: float(rng.randint(0, 5)) for pk in candidates}
        near = rng.choice([None, *PLACES, (50.9, 8.2)])
        query = SearchQuery(
            topics=tuple(rng.sample(TOPICS, rng.choice([0, 0, 1, 2]))),
            languages=tuple(rng.sample(LANGUAGES, rng.choice([0, 0, 1]))),
            areas=tuple(rng.sample([*AREAS, "landkreis"], rng.choice([0, 0, 1]))),
            free=rng.random() < 0.3,
            step_free=rng.random() < 0.2,
            attending=tuple(rng.sample(["in_person", "phone", "mobile"], rng.choice([0, 0, 1]))),
            near=near,
            radius_km=rng.choice([None, 5.0, 12.0]) if near else None,
            open_now=rng.random() < 0.2,
            open_on=rng.choice(["", "", "", "TU", "SA"]),
            sort=rng.choice(["relevance", "distance", "title"]),
            page=rng.choice([1, 1, 2, 3]),
            page_size=rng.choice([5, 20]),
            now=rng.choice(times),
        )
        groups = [["x"]] if has_text else []
        result = run_query(query, candidates, scores, groups, "database", load, index)
        page, count, counts = reference(query, candidates, scores, has_text)
        assert [hit.page_id for hit in result.hits] == page, query
        assert result.count == count, query
        found = {
            name: {v.value: v.count for v in values if v.count}
            for name, values in result.facets.items()
        }
        assert found == counts, query
        for hit in result.hits:
            record = records[hit.page_id]
            distance = record.distance_to(near) if near else None
            assert hit.distance_km == (round(distance, 2) if distance is not None else None)
