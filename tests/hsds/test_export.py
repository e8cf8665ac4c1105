"""`manage.py export_hsds`: valid HSDS, deterministic, and a lossless round trip: our export
imported into an empty database exports to the identical file (as JSON and as a datapackage)."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from lotse.directory.hsds import datapackage
from lotse.directory.models import OfferPage
from lotse.network.models import Organisation

from .conftest import assert_valid, build_county

pytestmark = pytest.mark.django_db


def export(path, *options):
    out = io.StringIO()
    with translation.override("en"):
        call_command("export_hsds", str(path), *options, stdout=out)
    return out.getvalue()


def import_(path, *options):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_hsds", str(path), *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def exported(tmp_path, db):
    """The county exported as JSON and as a datapackage; then the database is empty again."""
    with transaction.atomic():
        build_county()
        output = export(tmp_path / "county.json")
        export(tmp_path / "package", "--datapackage")
        transaction.set_rollback(True)
    assert not OfferPage.objects.exists() and not Organisation.objects.exists()
    return tmp_path / "county.json", tmp_path / "package", output


def test_the_export_is_valid_hsds(exported):
    path, _package, output = exported
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "2 " in output and "3 " in output  # organisations, services
    assert [org["name"] for org in data] == ["Caritas Lahnfeld", "Kreisverwaltung Lahnfeld"]
    for organization in data:
        assert_valid(organization, "compiled/organization.json")
        for service in organization["services"]:
            assert_valid(service, "compiled/service.json")
    text = path.read_text(encoding="utf-8")
    assert "Geheim" not in text and "Verein ohne Angebote" not in text
    assert text.endswith("\n") and "Überschuldung" in text  # UTF-8, not \\u escapes


def test_our_export_round_trips_through_an_empty_database(exported, tmp_path):
    path, _package, _output = exported
    import_(path)
    again = tmp_path / "again.json"
    export(again)
    assert again.read_bytes() == path.read_bytes()
    # A second import of the same file changes nothing, and the export stays the same.
    output = import_(path)
    assert " 0 created, 0 updated" in output and "updated, 3 unchanged" in output
    export(again)
    assert again.read_bytes() == path.read_bytes()


def test_the_datapackage_round_trips_too(exported, tmp_path):
    path, package, _output = exported
    import_(package)
    again = tmp_path / "from-package.json"
    export(again)
    assert again.read_bytes() == path.read_bytes()
    # And the datapackage written from the imported data is the same as the first.
    second = tmp_path / "package-again"
    export(second, "--datapackage")
    for name, file, _spec in datapackage.TABLES:
        assert (second / file).read_bytes() == (package / file).read_bytes(), name
    assert (second / "datapackage.json").read_bytes() == (package / "datapackage.json").read_bytes()


def test_the_datapackage_has_every_official_table(exported):
    _path, package, _output = exported
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [p for _n, p, _s in datapackage.TABLES]
    rows = {}
    for resource in descriptor["resources"]:
        with open(package / resource["path"], encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            assert header == [field["name"] for field in resource["schema"]["fields"]]
            rows[resource["name"]] = [dict(zip(header, row, strict=True)) for row in reader]
    assert len(rows["organization"]) == 2 and len(rows["service"]) == 3
    assert len(rows["service_at_location"]) == 4 and len(rows["location"]) == 2
    assert {r["name"] for r in rows["taxonomy"]} == {"Themen", "Zielgruppen"}
    schedules = rows["schedule"]
    assert len(schedules) == 5
    at_places = [s for s in schedules if s["service_at_location_id"]]
    assert all(s["location_id"] and s["service_id"] for s in at_places)
    # The handover contact: the organisation's row, and a row linking the offer.
    contacts = rows["contact"]
    assert [bool(c["organization_id"]) for c in contacts] == [True, False]
    assert contacts[1]["service_id"] and contacts[1]["name"] == contacts[0]["name"]


def test_the_export_is_deterministic(tmp_path, db):
    build_county()
    export(tmp_path / "one.json")
    export(tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()


def test_export_paths(tmp_path, db):
    with pytest.raises(CommandError, match="folder"):
        export(tmp_path)
    (tmp_path / "file.json").write_text("[]")
    with pytest.raises(CommandError, match="file"):
        export(tmp_path / "file.json", "--datapackage")
    export(tmp_path / "empty.json")
    assert json.loads((tmp_path / "empty.json").read_text()) == []


def test_a_broken_csv_row_is_reported_with_its_file_and_row(exported, tmp_path):
    _path, package, _output = exported
    with open(package / "services.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[1][header.index("minimum_age")] = "zwölf"  # the second service: row 3 of the file
    with open(package / "services.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    with pytest.raises(CommandError) as failure:
        import_(package)
    message = str(failure.value)
    assert "minimum_age" in message and re.search(r"services\.csv, \w+ 3\b", message)
    assert not OfferPage.objects.exists()
