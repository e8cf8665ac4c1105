"""The Elasticsearch client is an extra: a site without it runs, searches the database, and
is told what to install when ELASTICSEARCH_URL asks for the engine (lotse.E020).

In this process the client is installed (the `test` extra pulls it); `without_client` makes
importing it fail as it does where it is missing. The subprocess test starts Django where the
client cannot be imported at all.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from lotse.search import backends, tasks
from lotse.search.checks import elasticsearch_client
from lotse.search.models import PendingIndexUpdate
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENT_MODULES = ("elasticsearch", "elasticsearch.dsl", "elastic_transport")
INSTALL = "pip install 'lotse[elasticsearch]'"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def without_client(monkeypatch, settings):
    """ELASTICSEARCH_URL set, the client (and Lotse's modules built on it) not importable."""
    for name in (*CLIENT_MODULES, "lotse.search.backends.elasticsearch", "lotse.search.fallback"):
        monkeypatch.setitem(sys.modules, name, None)
    backends.client_installed.cache_clear()
    backends._warn_missing_client.cache_clear()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    yield
    backends.client_installed.cache_clear()
    backends._warn_missing_client.cache_clear()


def test_the_check_names_the_extra_to_install(without_client):
    (error,) = elasticsearch_client()
    assert error.id == "lotse.E020"
    assert error.msg == (
        "ELASTICSEARCH_URL is set but the Elasticsearch client is not installed: " + INSTALL
    )
    with pytest.raises(SystemCheckError, match="lotse.E020"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_no_check_error_with_the_client_or_without_a_url(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    assert backends.client_installed()
    assert elasticsearch_client() == []
    settings.ELASTICSEARCH_URL = ""
    backends.client_installed.cache_clear()
    assert elasticsearch_client() == []


@pytest.mark.django_db
def test_searches_and_index_updates_use_the_database(
    without_client, client, organisation_page, caplog
):
    offer = factories.make_offer(organisation_page, title="Schuldnerberatung")
    summary = tasks.sync([offer.pk])
    assert summary == {"indexed": 1, "removed": 0, "elasticsearch": "off"}
    assert not PendingIndexUpdate.objects.exists()

    response = client.get("/api/v1/search/", {"q": "Schulden"})
    assert response.status_code == 200
    body = response.json()
    assert body["backend"] == "database"
    assert [hit["title"] for hit in body["results"]] == ["Schuldnerberatung"]
    assert client.get("/api/v1/search/suggest/", {"q": "Schuld"}).status_code == 200
    assert [r.getMessage() for r in caplog.records if "not installed" in r.getMessage()] == [
        "ELASTICSEARCH_URL is set but the Elasticsearch client is not installed: "
        f"{INSTALL}; the database backend answers searches."
    ]

    health = client.get("/api/v1/health/")
    assert health.status_code == 503
    report = health.json()["checks"]["search"]
    assert report["status"] == "degraded"
    assert report["backend"] == "database (fallback)"
    assert report["elasticsearch"]["installed"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args", [("search_reindex",), ("search_reindex", "--backend", "elasticsearch")]
)
def test_engine_commands_say_what_to_install(without_client, args):
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO())
    assert str(error.value) == (
        f"ELASTICSEARCH_URL is set but the Elasticsearch client is not installed: {INSTALL}"
    )


@pytest.mark.django_db
def test_replay_and_benchmark_say_what_to_install(without_client):
    with pytest.raises(CommandError, match=r"pip install 'lotse\[elasticsearch\]'"):
        call_command("search_replay", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--skip-elasticsearch"):
        call_command("search_benchmark", "--offers", "1", "--rounds", "1", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_database_index_rebuilds_without_the_client(without_client, organisation_page):
    factories.make_offer(organisation_page, title="Schuldnerberatung")
    out = io.StringIO()
    call_command("search_reindex", "--backend", "database", stdout=out)
    assert "Database index: 1 offers." in out.getvalue()


#: Starts Django with the client unimportable, imports every module of the four apps and
#: runs `check`; prints the modules that could not be imported.
WITHOUT_CLIENT = """
import importlib, pkgutil, sys

class NoClient:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("elasticsearch", "elasticsearch_dsl", "elastic_transport"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoClient())
import django
django.setup()
failed = []
for app in ("network", "directory", "handover", "search"):
    package = importlib.import_module("lotse." + app)
    for info in pkgutil.walk_packages(package.__path__, "lotse." + app + "."):
        try:
            importlib.import_module(info.name)
        except ImportError:
            failed.append(info.name)
print("FAILED", sorted(failed))
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check"])
"""


def test_django_starts_without_the_client_and_check_says_what_to_install():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "ELASTICSEARCH_URL": "http://search.internal:9200",
    }
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_CLIENT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Only the backend itself and the fallback wrapper around it need the client.
    assert (
        "FAILED ['lotse.search.backends.elasticsearch', 'lotse.search.fallback']" in result.stdout
    )
    assert result.returncode == 1, result.stderr
    assert "lotse.E020" in result.stderr
    assert INSTALL in result.stderr
    assert "Traceback" not in result.stderr
