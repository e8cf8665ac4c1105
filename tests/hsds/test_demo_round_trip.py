"""The whole demo county through HSDS: exported, imported into an empty database, exported
again, byte for byte the same file (all 44 partners and 223 offers with their rotating and
monthly hours, hierarchies, languages, areas and contacts).

`load_demo` and the import take a while, so this module has a single test.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from lotse.directory.models import OfferPage
from lotse.network.models import Organisation

from .conftest import assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_export(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo county's export; the county itself is rolled back at once."""
    from django.core.cache import cache

    path = tmp_path_factory.mktemp("demo") / "demo.json"
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True),
        translation.override("en"),
        transaction.atomic(),
    ):
        cache.clear()
        call_command("load_demo", stdout=io.StringIO())
        call_command("export_hsds", str(path), stdout=io.StringIO())
        transaction.set_rollback(True)
    return path


def test_the_demo_county_round_trips(demo_export, tmp_path):
    import json

    data = json.loads(demo_export.read_text(encoding="utf-8"))
    assert len(data) >= 40 and sum(len(org["services"]) for org in data) >= 200
    for organization in data[:5]:
        assert_valid(organization, "compiled/organization.json")
    assert not OfferPage.objects.exists() and not Organisation.objects.exists()
    with translation.override("en"):
        call_command("import_hsds", str(demo_export), stdout=io.StringIO())
        again = tmp_path / "again.json"
        call_command("export_hsds", str(again), stdout=io.StringIO())
    assert again.read_bytes() == demo_export.read_bytes()
