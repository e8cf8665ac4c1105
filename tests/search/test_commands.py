"""The search management commands: `search_reindex` (both backends, search answering during
an Elasticsearch rebuild, nothing half-written on failure) and `search_benchmark` (prints its
tables on a tiny directory; no timing is asserted)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lotse.search import service
from lotse.search.backends import database
from lotse.search.osmem import free_port
from lotse.search.query import SearchQuery
from tests import factories

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Command output is checked against the English msgids, whatever the translations say."""
    with translation.override("en"):
        yield


def titles(backend, **params):
    result = backend.search(service.prepare(SearchQuery(now=MONDAY_10, **params)))
    return [hit.title for hit in result.hits]


class SearchingOutput(io.StringIO):
    """Command output that runs a search whenever the Elasticsearch progress line is written,
    i.e. while the new index is being filled and not yet serving."""

    def __init__(self, backend):
        super().__init__()
        self.backend = backend
        self.seen = []

    def write(self, text):
        if "Elasticsearch" in text and "/" in text:
            self.seen.append(titles(self.backend))
        return super().write(text)


def test_reindex_rebuilds_the_database_index(organisation_page, settings):
    settings.ELASTICSEARCH_URL = ""
    database.DatabaseBackend().rebuild([])
    factories.make_offer(organisation_page, title="Schuldnerberatung")
    factories.make_offer(organisation_page, title="Pflegeberatung")
    backend = database.DatabaseBackend()
    assert titles(backend) == []  # tasks wait for a commit that never comes in this test
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "Database index: 2/2" in out.getvalue()
    assert "Database index: 2 offers." in out.getvalue()
    assert titles(backend) == ["Pflegeberatung", "Schuldnerberatung"]


def test_reindex_swaps_the_elasticsearch_alias_while_search_answers(
    elasticsearch_backend, organisation_page
):
    engine = elasticsearch_backend
    offer = factories.make_offer(organisation_page, title="Schuldnerberatung")
    call_command("search_reindex", stdout=io.StringIO())
    first_index = engine.serving_indices()
    assert titles(engine) == ["Schuldnerberatung"]

    offer.title = "Insolvenzberatung"
    offer.save_revision().publish()
    factories.make_offer(organisation_page, title="Pflegeberatung")
    out = SearchingOutput(engine)
    call_command("search_reindex", "--backend", "elasticsearch", stdout=out)
    # While the new index was filled, searches were answered from the old one ...
    assert out.seen and all(seen == ["Schuldnerberatung"] for seen in out.seen)
    # ... then the alias moved to the new index in one step, and the old index is gone.
    assert titles(engine) == ["Insolvenzberatung", "Pflegeberatung"]
    assert engine.serving_indices() != first_index
    assert engine.all_indices() == engine.serving_indices()
    assert "Elasticsearch index: 2/2" in out.getvalue()


def test_reindex_fails_cleanly_when_elasticsearch_is_unreachable(organisation_page, settings):
    engine = pytest.importorskip("lotse.search.backends.elasticsearch")
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
    settings.ELASTICSEARCH_COMPAT = "opensearch"
    settings.LOTSE_SEARCH_INDEX_TIMEOUT = 0.5
    factories.make_offer(organisation_page, title="Schuldnerberatung")
    with pytest.raises(CommandError, match="old index keeps serving"):
        call_command("search_reindex", stdout=io.StringIO())
    # The database index was rebuilt all the same: searches fall back to it.
    assert titles(database.DatabaseBackend()) == ["Schuldnerberatung"]
    assert engine.ElasticsearchBackend().ping() is False


def test_reindex_of_elasticsearch_needs_its_url(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_reindex", "--backend", "elasticsearch", stdout=io.StringIO())


def test_benchmark_prints_speed_and_relevance_tables(organisation_page, settings):
    settings.ELASTICSEARCH_URL = ""
    out = io.StringIO()
    with translation.override("en"):
        call_command("search_benchmark", "--offers", "50", "--rounds", "1", stdout=out)
    text = out.getvalue()
    assert "Search benchmark: 50 live offers" in text
    lines = text.splitlines()
    rows = {line.split("  ")[0].strip() for line in lines}
    for backend in ("database (API)", "database", "elasticsearch", "wagtail (stock)"):
        assert backend in rows, text
    assert any(line.startswith("Hartz IV (synonym)") for line in lines), text
    assert any(line.startswith("expected in top 3") for line in lines), text
    assert any(line.startswith("expected in top 10") for line in lines), text


def test_benchmark_refuses_bad_numbers():
    with pytest.raises(CommandError, match="--offers"):
        call_command("search_benchmark", "--offers", "0", stdout=io.StringIO())
