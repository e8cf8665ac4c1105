"""`import_hsds` reads only inside its folder and only bounded, clean data (issue #13, item 5).

A datapackage naming a file outside its folder (`../`, an absolute path, a symlink, a URL) is
refused before anything is read; files, records and texts over their limits, deep nesting,
broken Unicode and control characters give one line naming the file or the record's id and
JSON path, and nothing is written — on SQLite as on PostgreSQL.
"""

import copy
import io
import json
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from lotse.directory.models import OfferPage
from lotse.network.models import Organisation

from .conftest import build_county, official

pytestmark = pytest.mark.django_db


def run(path, *options):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_hsds", str(path), *options, stdout=out)
    return out.getvalue()


def refused(path):
    """The reason of a refused import: one line per problem, then the summary; nothing written."""
    with pytest.raises(CommandError) as failure:
        run(path)
    assert not Organisation.objects.exists() and not OfferPage.objects.exists()
    lines = str(failure.value).splitlines()
    assert lines[-1].startswith("Nothing was imported"), lines
    assert "Traceback" not in str(failure.value)
    return lines[:-1]


def write(path, document):
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def package(tmp_path):
    """The test county as a datapackage folder, with an empty database afterwards."""
    with transaction.atomic():
        build_county()
        with translation.override("en"):
            call_command(
                "export_hsds", str(tmp_path / "package"), "--datapackage", stdout=io.StringIO()
            )
        transaction.set_rollback(True)
    return tmp_path / "package"


def point(package, table, path):
    """Let datapackage.json name `path` as the file of `table`."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == table:
            resource["path"] = path
    write(package / "datapackage.json", descriptor)


# Confined to the folder


@pytest.fixture
def outside(package, tmp_path):
    """A valid organisations table outside the package folder (it would import if read)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    shutil.copy(package / "organizations.csv", folder / "organizations.csv")
    (package / "organizations.csv").unlink()
    return folder / "organizations.csv"


def test_a_relative_path_leading_out_of_the_folder_is_refused(package, outside):
    point(package, "organization", "../elsewhere/organizations.csv")
    (line,) = refused(package)
    assert line == (
        "datapackage, resources[0].path (datapackage.json): The path leads outside the "
        "datapackage folder: ../elsewhere/organizations.csv"
    )
    point(package, "organization", "../../../../../../../../etc/passwd")
    (line,) = refused(package)
    assert "outside the datapackage folder: ../../../../../../../../etc/passwd" in line


def test_an_absolute_path_is_refused(package, outside):
    point(package, "organization", str(outside))
    (line,) = refused(package)
    assert "Absolute paths are not read" in line and str(outside) in line


def test_a_symlink_leading_out_of_the_folder_is_refused(package, outside):
    (package / "organizations.csv").symlink_to(outside)
    (line,) = refused(package)
    assert "outside the datapackage folder: organizations.csv" in line
    # Without datapackage.json the default file names are checked just the same.
    (package / "datapackage.json").unlink()
    (line,) = refused(package)
    assert "outside the datapackage folder: organizations.csv" in line


def test_files_and_symlinks_inside_the_folder_are_read(package):
    (package / "tables").mkdir()
    shutil.move(package / "organizations.csv", package / "tables" / "organizations.csv")
    (package / "organizations.csv").symlink_to(package / "tables" / "organizations.csv")
    shutil.move(package / "services.csv", package / "tables" / "services.csv")
    point(package, "service", "tables/./services.csv")
    assert "Organisations: 2 created" in run(package)
    assert OfferPage.objects.count() == 3


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("https://evil.example/organizations.csv", "not from URLs"),
        ("file:organizations.csv", "not from URLs"),
        ("C:\\data\\organizations.csv", "Absolute paths are not read"),
        ("//server/share/organizations.csv", "Absolute paths are not read"),
        (["organizations.csv"], "Give the file as a path inside the datapackage folder."),
        ("", "Give the file as a path inside the datapackage folder."),
        ("organi\u0000zations.csv", "control characters"),
    ],
)
def test_urls_and_other_names_are_refused(package, path, reason):
    point(package, "organization", path)
    (line,) = refused(package)
    assert line.startswith("datapackage, resources[0].path (datapackage.json): ")
    assert reason in line


# Bounded


def test_a_file_over_the_size_limit_is_not_read(package, tmp_path, settings):
    settings.LOTSE_IMPORT_MAX_FILE_BYTES = 1000
    (line,) = refused(package)
    assert "bytes; at most 1000 are read (LOTSE_IMPORT_MAX_FILE_BYTES)" in line
    document = write(tmp_path / "organization.json", official("examples/organization_full.json"))
    (line,) = refused(document)
    assert line.startswith(f"file, {document}: The file has ")


def test_a_record_over_the_size_limit_names_its_id(tmp_path, settings):
    settings.LOTSE_IMPORT_MAX_RECORD_BYTES = 2000
    organization = official("examples/organization_full.json")
    (line,) = refused(write(tmp_path / "data.json", [organization]))
    assert line.startswith(f"organization {organization['id']}, $[0]: The record has ")
    assert "at most 2000 are allowed (LOTSE_IMPORT_MAX_RECORD_BYTES)" in line


def test_a_text_over_the_limit_names_the_record_and_its_path(tmp_path):
    organization = official("examples/organization_full.json")
    service = organization["services"][0]
    service["description"] = "Hilfe. " * 50_000
    (line,) = refused(write(tmp_path / "data.json", organization))
    assert line == (
        f"service {service['id']}, $.services[0].description: The text has 350000 characters; "
        "at most 25000 are allowed (LOTSE_IMPORT_MAX_TEXT_CHARS)."
    )


def test_a_text_over_the_model_limit_is_refused_too(tmp_path, settings):
    """Below the import's own limit, the models' bound (every route) still holds."""
    settings.LOTSE_MAX_TEXT_CHARS = 100
    organization = official("examples/organization_full.json")
    organization["description"] = "x" * 101
    (line,) = refused(write(tmp_path / "data.json", organization))
    assert line.startswith(f"organization {organization['id']}, $.description: ")
    assert "At most 100 characters are allowed (this text has 101)." in line


def test_a_text_in_a_csv_cell_over_the_limit_names_file_and_row(package, settings):
    settings.LOTSE_IMPORT_MAX_TEXT_CHARS = 40  # above the ids (36), below the descriptions
    lines = refused(package)
    pattern = r"^service [-0-9a-f]{36}, \$\[0\]\.services\[1\]\.url \(services\.csv, row 3\): "
    assert any(re.match(pattern + "The text has 41 characters; at most 40", line) for line in lines)


def test_deep_nesting_is_one_line(tmp_path, package):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    (line,) = refused(path)
    assert line == f"file, {path}: The JSON is nested too deeply: at most 64 levels are allowed."
    (package / "datapackage.json").write_text('{"resources": ' + "{" * 100_000, encoding="utf-8")
    (line,) = refused(package)
    assert "nested too deeply" in line


# Clean text


def test_nul_and_control_characters_are_refused(tmp_path):
    organization = official("examples/organization_full.json")
    broken = copy.deepcopy(organization)
    broken["name"] = "AWO\u0000Lahnfeld"
    broken["services"][0]["locations"] = {"x\u001by": 1}
    lines = refused(write(tmp_path / "data.json", broken))
    expected = "$.name: Control characters are not allowed: U+0000 at position 4."
    assert f"organization {organization['id']}, {expected}" in lines
    assert any(
        "$.services[0].locations: Control characters are not allowed: U+001B" in line
        for line in lines
    )


def test_a_lone_surrogate_is_refused(tmp_path):
    text = json.dumps(official("examples/organization_full.json"))
    path = tmp_path / "data.json"
    path.write_text(text.replace('"name": "', '"name": "\\ud800', 1), encoding="utf-8")
    (line,) = refused(path)
    assert line.endswith("$.name: Invalid Unicode (a lone surrogate) at position 1.")


def test_invalid_utf8_is_one_line(tmp_path, package):
    path = tmp_path / "data.json"
    path.write_bytes(
        json.dumps(official("examples/organization_full.json")).encode().replace(b"a", b"\xff", 1)
    )
    (line,) = refused(path)
    assert line.startswith(f"file, {path}: Not valid UTF-8 (byte ")
    csv_file = package / "services.csv"
    csv_file.write_bytes(csv_file.read_bytes() + b"\xff\xfe\n")
    (line,) = refused(package)
    assert line.startswith("service, services.csv: Not a readable CSV file: ")
    (package / "datapackage.json").write_bytes(b'{"resources": [\xff]}')
    (line,) = refused(package)
    assert "datapackage.json: Not valid UTF-8 (byte 16)." in line


def test_nul_in_a_csv_cell_is_refused(package):
    organisations = package / "organizations.csv"
    organisations.write_text(
        organisations.read_text(encoding="utf-8").replace("Caritas", "Cari\x00tas", 1),
        encoding="utf-8",
    )
    lines = refused(package)
    assert any("(organizations.csv, row 2)" in line and "U+0000" in line for line in lines)


# Opening hours


def with_schedules(count, at_place):
    organization = official("examples/organization_full.json")
    service = organization["services"][0]
    template = copy.deepcopy(
        service["service_at_locations"][0]["schedules"][0] if at_place else service["schedules"][0]
    )
    schedules = []
    for number in range(count):
        schedule = copy.deepcopy(template)
        schedule["id"] = f"00000000-0000-4000-8000-{number:012d}"
        schedules.append(schedule)
    if at_place:
        service["service_at_locations"][0]["schedules"] = schedules
        service["schedules"] = []
    else:
        service["schedules"] = schedules
        for place in service["service_at_locations"]:
            place["schedules"] = []
    return organization


def test_at_most_so_many_opening_hours_per_offer(tmp_path, settings):
    settings.LOTSE_MAX_OPENING_HOURS_PER_OFFER = 5
    organization = with_schedules(6, at_place=False)
    (line,) = refused(write(tmp_path / "data.json", organization))
    assert line.endswith(
        "$.services[0].schedules[5]: An offer can have at most 5 opening hours (here: 6)."
    )
    write(tmp_path / "data.json", with_schedules(5, at_place=False))
    run(tmp_path / "data.json")
    assert OfferPage.objects.get().opening_hours.count() == 5


def test_at_most_so_many_opening_hours_per_place(tmp_path, settings):
    settings.LOTSE_MAX_OPENING_HOURS_PER_PLACE = 3
    organization = with_schedules(4, at_place=True)
    (line,) = refused(write(tmp_path / "data.json", organization))
    assert (
        "$.services[0].service_at_locations[0].schedules[3]: At most 3 opening hours per place"
        in line
    )
