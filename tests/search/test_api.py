"""The JSON API: /api/v1/search/ and /api/v1/search/suggest/, and their OpenAPI schema."""

import pytest
import time_machine
import yaml

from lotse.search import analysis
from lotse.search.backends import database

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_backend(db):
    """The API answers from the configured backend: the database here."""
    analysis.invalidate()
    database._cache.clear()
    backend = database.DatabaseBackend()
    backend.rebuild([])
    return backend


def get(client, path="/api/v1/search/", **params):
    return client.get(path, params)


def test_response_shape(client, corpus):
    response = get(client, q="Schulden")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "page", "page_size", "backend", "results", "facets"}
    assert body["backend"] == "database"
    assert body["count"] >= 1
    first = body["results"][0]
    assert set(first) == {
        "id",
        "title",
        "url",
        "organisation",
        "summary",
        "topics",
        "distance_km",
        "open_now",
        "highlight",
    }
    offer = corpus["debt"]
    assert first["id"] == str(offer.hsds_id)
    assert first["url"] == "http://testserver" + offer.url
    assert first["organisation"] == {
        "id": str(offer.organisation.hsds_id),
        "name": "Caritas Lahnfeld",
    }
    assert "<mark>Schulden</mark>" in first["highlight"]
    assert set(body["facets"]) == {
        "topic",
        "target_group",
        "language",
        "area",
        "free",
        "step_free",
        "attending",
    }
    assert set(body["facets"]["topic"][0]) == {"value", "label", "count", "selected"}


def test_highlight_keeps_only_marks_whatever_the_backend_returns(client, corpus, monkeypatch):
    from lotse.search import api
    from lotse.search.query import Hit, SearchResult

    def search(query):
        hit = Hit(
            id="x",
            page_id=1,
            title="T",
            url="/x/",
            organisation_id="o",
            organisation_name="O",
            summary="S",
            highlight='<mark>a</mark><img src=x onerror="alert(1)">',
        )
        return SearchResult(1, 1, 20, "database", [hit], {})

    monkeypatch.setattr(api.service, "search", search)
    body = get(client, q="a").json()
    assert body["results"][0]["highlight"] == ('<mark>a</mark>&lt;img src=x onerror="alert(1)"&gt;')


def test_repeatable_filters_and_selected_facets(client, corpus):
    body = get(client, topic=["schulden", "pflege"], language="tr").json()
    assert {r["title"] for r in body["results"]} == {"Schuldnerberatung"}
    topics = {v["value"]: v for v in body["facets"]["topic"]}
    assert topics["schulden"]["selected"] and topics["pflege"]["selected"]
    assert not topics["arbeit"]["selected"]
    languages = {v["value"]: v for v in body["facets"]["language"]}
    assert languages["tr"] == {"value": "tr", "label": "Türkisch", "count": 1, "selected": True}


def test_near_place_radius_and_sort(client, corpus):
    body = get(client, near="50.70,8.70", sort="distance", radius_km="5").json()
    assert body["count"] == 3
    assert body["results"][0]["distance_km"] == 0.0
    body = get(client, place="Lahnfeld", radius_km="2", free="true").json()
    assert {r["title"] for r in body["results"]} == {
        "Schuldnerberatung",
        "Suchtberatungen für junge Menschen",
        "Familienzentrum Lahnfeld",
    }


def test_open_now(client, corpus):
    with time_machine.travel(MONDAY_10, tick=False):
        body = get(client, open_now="true").json()
    assert {r["title"] for r in body["results"]} == {
        "Schuldnerberatung",
        "Suchtberatungen für junge Menschen",
    }
    assert all(r["open_now"] for r in body["results"])


def test_pagination(client, corpus):
    body = get(client, page_size="2", page="3").json()
    assert body["count"] == 6 and body["page"] == 3 and len(body["results"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "zwei"}, "page"),
        ({"page": "0"}, "page"),
        ({"sort": "popularity"}, "sort"),
        ({"sort": "distance"}, "sort"),
        ({"near": "50.5"}, "near"),
        ({"near": "north,east"}, "near"),
        ({"near": "95,8"}, "near"),
        ({"radius_km": "5"}, "radius_km"),
        ({"radius_km": "-1", "near": "50,8"}, "radius_km"),
        ({"place": "Atlantis"}, "place"),
        ({"near": "50,8", "place": "Lahnfeld"}, "place"),
        ({"attending": "telepathy"}, "attending"),
        ({"open_now": "maybe"}, "open_now"),
        ({"open_on": "XX"}, "open_on"),
        ({"q": "x" * 201}, "q"),
        ({"topic": "not a slug!"}, "topic"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, corpus, params, field):
    response = get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert body[field] and all(isinstance(m, (str, dict, list)) for m in body[field])


def test_nonsense_finds_nothing(client, corpus):
    body = get(client, q="xyzzy").json()
    assert body["count"] == 0 and body["results"] == []


def test_suggest(client, corpus):
    response = get(client, "/api/v1/search/suggest/", q="Pfle")
    assert response.status_code == 200
    assert "Pflegestützpunkt Wetzbach" in response.json()["suggestions"]
    assert get(client, "/api/v1/search/suggest/", q="P").json()["suggestions"] == []
    assert get(client, "/api/v1/search/suggest/").status_code == 400
    assert get(client, "/api/v1/search/suggest/", q="Pf", limit="500").status_code == 400


def test_api_needs_no_login_and_no_csrf(client, corpus):
    assert get(client, q="Pflege").status_code == 200


def test_schema_describes_both_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    search = schema["paths"]["/api/v1/search/"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert {
        "q",
        "topic",
        "target_group",
        "language",
        "area",
        "near",
        "place",
        "radius_km",
        "open_now",
        "free",
        "step_free",
        "attending",
        "sort",
        "page",
        "page_size",
    } <= names
    assert "400" in search["responses"]
    examples = search["responses"]["200"]["content"]["application/json"]["examples"]
    example = next(iter(examples.values()))["value"]
    assert set(example) == {"count", "page", "page_size", "backend", "results", "facets"}
    suggest = schema["paths"]["/api/v1/search/suggest/"]["get"]
    assert suggest["responses"]["200"]["content"]["application/json"]["examples"]
