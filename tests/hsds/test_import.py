"""`manage.py import_hsds`: the official examples read back through the API, idempotence,
drafts, dry runs, the accepted input forms, and nothing half-written when a record is bad."""

import copy
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import translation
from wagtail.models import Page, Revision, Site

from lotse.directory.hsds import importer, mapping
from lotse.directory.models import (
    DirectoryIndexPage,
    Location,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    Topic,
)
from lotse.network.models import Organisation, Person

from .conftest import assert_valid, official

pytestmark = pytest.mark.django_db

API = "/api/hsds"


def write(tmp_path, document, name="data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(path, *options):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_hsds", str(path), *options, stdout=out)
    return out.getvalue()


def model_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def example(name):
    return official(f"examples/{name}.json")


SCHEDULE_FIELDS = ("freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to")


def schedules_of(service):
    """Every schedule of a service, at its places or not, by id."""
    found = {}
    for place in service.get("service_at_locations", []):
        for schedule in place.get("schedules", []):
            found.setdefault(schedule["id"], schedule)
    for schedule in service.get("schedules", []):
        found.setdefault(schedule["id"], schedule)
    return found


def assert_same_service(original, read_back):
    for key in ("id", "name", "description", "email", "url", "minimum_age", "maximum_age"):
        assert read_back.get(key) == original.get(key), key
    assert read_back["application_process"] == original["application_process"]
    assert read_back["eligibility_description"] == original["eligibility_description"]
    assert read_back["assured_date"] == original["assured_date"]
    assert read_back["last_modified"] == original["last_modified"]
    expected, actual = schedules_of(original), schedules_of(read_back)
    assert set(actual) == set(expected)
    for schedule_id, schedule in expected.items():
        for key in (*SCHEDULE_FIELDS, "description", "interval"):
            assert actual[schedule_id].get(key) == schedule.get(key), key
    assert [p["id"] for p in read_back["service_at_locations"]] == [
        p["id"] for p in original["service_at_locations"]
    ]
    for mine, theirs in zip(
        read_back["service_at_locations"], original["service_at_locations"], strict=True
    ):
        location, source = mine["location"], theirs["location"]
        assert (location["id"], location["name"]) == (source["id"], source["name"])
        (address,) = location["addresses"]
        given = source["addresses"][0]
        for key in ("address_1", "city", "postal_code", "country"):
            assert address[key] == given[key], key
    assert [c["id"] for c in read_back["contacts"]] == [c["id"] for c in original["contacts"]]
    assert [a["code"] for a in read_back["languages"]] == [a["code"] for a in original["languages"]]
    assert read_back["phones"][0]["number"] == original["phones"][0]["number"]
    terms = [a["taxonomy_term"] for a in read_back["attributes"]]
    assert [(t["id"], t["name"]) for t in terms] == [
        (a["taxonomy_term"]["id"], a["taxonomy_term"]["name"]) for a in original["attributes"]
    ]


def test_the_official_organization_reads_back_the_same(client, tmp_path):
    source = example("organization_full")
    output = run(write(tmp_path, source))
    # What Lotse cannot keep is said, not hidden.
    assert "100, 101" in output  # coordinates outside the earth's range
    assert "byweekno" in output
    reply = client.get(f"{API}/organizations/{source['id']}", {"full_service": "true"})
    assert reply.status_code == 200
    data = reply.json()
    assert_valid(data, "compiled/organization.json")
    for key in ("id", "name", "alternate_name", "description", "email", "website"):
        assert data[key] == source[key], key
    assert [c["id"] for c in data["contacts"]] == [c["id"] for c in source["contacts"]]
    assert [loc["id"] for loc in data["locations"]] == [loc["id"] for loc in source["locations"]]
    (service,) = data["services"]
    assert_same_service(source["services"][0], service)
    # The same through /services/{id} and /service_at_locations/{id}.
    detail = client.get(f"{API}/services/{service['id']}").json()
    assert_valid(detail, "compiled/service.json")
    assert_same_service(source["services"][0], detail)
    place = source["services"][0]["service_at_locations"][0]
    sal = client.get(f"{API}/service_at_locations/{place['id']}").json()
    assert_valid(sal, "compiled/service_at_location.json")
    assert sal["location"]["name"] == place["location"]["name"]
    # The page tree: the organisation's page under the directory, the offer below it.
    offer = OfferPage.objects.get(hsds_id=service["id"])
    assert offer.live and offer.get_parent().specific.organisation.hsds_id.hex == (
        source["id"].replace("-", "")
    )
    contact = Person.objects.get(hsds_id=source["contacts"][0]["id"])
    assert contact.email == "email@example.com" and not contact.accepts_handovers
    assert offer.handover_contact == contact


def test_the_official_service_reads_back_the_same(client, tmp_path):
    source = example("service_full")
    run(write(tmp_path, source))
    data = client.get(f"{API}/services/{source['id']}").json()
    assert_valid(data, "compiled/service.json")
    assert_same_service(source, data)
    assert data["organization"]["id"] == source["organization"]["id"]
    assert data["organization"]["name"] == source["organization"]["name"]
    # Costs in the data: not free, and what it costs in words.
    offer = OfferPage.objects.get(hsds_id=source["id"])
    assert not offer.is_free and offer.fee_description == source["fees_description"]


def test_list_items_update_what_they_carry_and_leave_the_rest(client, tmp_path):
    run(write(tmp_path, example("organization_full")))
    before = client.get(f"{API}/services/{example('service_full')['id']}").json()
    output = run(write(tmp_path, example("service_list"), "list.json"))
    assert "0 created, 0 updated, 1 unchanged" in output
    run(write(tmp_path, example("organization_list"), "orgs.json"))
    after = client.get(f"{API}/services/{example('service_full')['id']}").json()
    assert after == before


def test_a_second_import_changes_nothing(tmp_path):
    path = write(tmp_path, [example("organization_full")])
    first = run(path)
    assert "1 created" in first
    counts, revisions = model_counts(), list(Revision.objects.values_list("pk", flat=True))
    stamps = list(Organisation.objects.values_list("updated_at", flat=True))
    published = list(OfferPage.objects.values_list("last_published_at", "latest_revision_id"))
    second = run(path)
    assert "created" in second and " 1 updated" not in second
    for line in second.splitlines():
        if "created," in line:
            assert line.split(": ", 1)[1].startswith("0 created, 0 updated"), line
    assert model_counts() == counts
    assert list(Revision.objects.values_list("pk", flat=True)) == revisions
    assert list(Organisation.objects.values_list("updated_at", flat=True)) == stamps
    assert list(OfferPage.objects.values_list("last_published_at", "latest_revision_id")) == (
        published
    )


def test_changes_in_the_data_are_applied(client, tmp_path):
    source = example("organization_full")
    run(write(tmp_path, source))
    changed = copy.deepcopy(source)
    service = changed["services"][0]
    service["name"] = "Community Counselling (new)"
    schedule = service["service_at_locations"][0]["schedules"][0]
    schedule["opens_at"], schedule["byday"] = "09:00", "MO,WE"
    service["languages"].append({"id": "7f0b5a3e-0c3f-4f0e-9d7e-3b2f1f6a9c11", "code": "pl"})
    service["service_areas"] = []
    output = run(write(tmp_path, changed, "changed.json"))
    assert "0 created, 1 updated" in output
    data = client.get(f"{API}/services/{service['id']}").json()
    assert data["name"] == "Community Counselling (new)"
    (read,) = data["service_at_locations"][0]["schedules"]
    assert (read["id"], read["opens_at"], read["byday"]) == (schedule["id"], "09:00:00", "MO,WE")
    assert [lang["code"] for lang in data["languages"]] == ["pl", "ur"]
    assert data["service_areas"] == []
    # The schedule row was kept (same id, same database row), not replaced.
    assert OpeningHours.objects.filter(hsds_id=schedule["id"]).count() == 1


def test_dry_run_writes_nothing(tmp_path):
    counts = model_counts()
    output = run(write(tmp_path, example("organization_full")), "--dry-run")
    assert "1 created" in output
    assert model_counts() == counts


def test_unpublished_creates_drafts_for_review(client, tmp_path):
    path = write(tmp_path, example("organization_full"))
    run(path, "--unpublished")
    offer = OfferPage.objects.get()
    assert not offer.live and offer.latest_revision is not None
    assert not OrganisationPage.objects.get().live
    assert client.get(f"{API}/services/{offer.hsds_id}").status_code == 404
    assert client.get(f"{API}/services").json()["total_items"] == 0
    revisions = Revision.objects.count()
    assert "0 created, 0 updated, 1 unchanged" in run(path, "--unpublished")
    assert Revision.objects.count() == revisions
    run(path)  # now published, with the organisation's page
    assert OfferPage.objects.get().live
    assert OrganisationPage.objects.get().live
    assert client.get(f"{API}/services/{offer.hsds_id}").status_code == 200


def test_accepted_forms_of_input(client, tmp_path):
    service = example("service_full")
    organization = example("organization_full")
    other = copy.deepcopy(service)
    other["id"] = "5a0d4b4e-1b1c-4d1e-9f00-0000000000aa"
    other["name"] = "Another service"
    other["service_at_locations"] = []
    other["schedules"] = []
    other["contacts"] = []
    envelope = {
        "total_items": 2,
        "total_pages": 1,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": [service, other],
    }
    run(write(tmp_path, envelope))
    assert client.get(f"{API}/services").json()["total_items"] == 2
    # A list of organisations and services, mixed, is fine too.
    assert "unchanged" in run(write(tmp_path, [organization, other], "mixed.json"))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (example("taxonomy"), "come with the services"),
        (example("service_at_location_full"), "Import the service"),
        ("just text", "Expected an HSDS organization or service"),
    ],
)
def test_objects_that_are_not_organizations_or_services(tmp_path, document, message):
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, document))


def test_unreadable_input(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        run(path)
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.json")


def test_a_service_needs_its_organization(tmp_path):
    service = example("service_full")
    del service["organization"]
    with pytest.raises(CommandError) as failure:
        run(write(tmp_path, service))
    assert "$.organization_id" in str(failure.value)
    assert service["id"] in str(failure.value)


# Rollback


def bad_batch(break_it):
    """A valid organisation, then a service of another organisation broken by `break_it`."""
    good = example("organization_full")
    bad = copy.deepcopy(example("service_full"))
    bad["id"] = "c3f5a0d2-8e9b-4c7a-a1d2-3e4f5a6b7c8d"
    bad["organization"]["id"] = bad["organization_id"] = "9e8d7c6b-5a49-4838-9271-605f4e3d2c1b"
    for place in bad["service_at_locations"]:
        place["id"] = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
        place["location"]["id"] = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
        for schedule in place["schedules"]:
            schedule["id"] = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
    bad["schedules"] = []
    break_it(bad)
    return [good, bad]


def assert_nothing_written(counts):
    assert model_counts() == counts
    assert not Organisation.objects.exists()
    assert not OfferPage.objects.exists()


def test_a_schema_error_rolls_back_everything(tmp_path):
    def break_it(service):
        service["service_at_locations"][0]["schedules"][0]["id"] = "not-a-uuid"
        service["status"] = "open"

    counts = model_counts()
    with pytest.raises(CommandError) as failure:
        run(write(tmp_path, bad_batch(break_it)))
    message = str(failure.value)
    assert "$[1].service_at_locations[0].schedules[0].id" in message
    assert "$[1].status" in message
    assert "c3f5a0d2-8e9b-4c7a-a1d2-3e4f5a6b7c8d" in message  # the service's id
    assert "Nothing was imported: 2 problem(s)" in message
    assert_nothing_written(counts)


def test_an_invalid_record_rolls_back_everything(tmp_path):
    """Valid HSDS, but not valid opening hours: the first record was written, then undone."""

    def break_it(service):
        schedule = service["service_at_locations"][0]["schedules"][0]
        schedule["opens_at"], schedule["closes_at"] = "18:00", "10:00"
        service["minimum_age"] = 12.5

    counts = model_counts()
    with pytest.raises(CommandError) as failure:
        run(write(tmp_path, bad_batch(break_it)))
    message = str(failure.value)
    assert "$[1].service_at_locations[0].schedules[0].closes_at" in message
    assert "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e" in message  # the schedule's id
    assert "$[1].minimum_age" in message
    assert_nothing_written(counts)


def test_a_failure_while_writing_rolls_back_everything(tmp_path, monkeypatch):
    real = importer.Importer.create_offer
    calls = []

    def failing(self, hsds_id, *args, **kwargs):
        calls.append(hsds_id)
        if len(calls) == 2:
            raise DatabaseError("disk full")
        return real(self, hsds_id, *args, **kwargs)

    monkeypatch.setattr(importer.Importer, "create_offer", failing)
    counts = model_counts()
    with pytest.raises(CommandError, match="disk full"):
        run(write(tmp_path, bad_batch(lambda service: None)))
    assert len(calls) == 2
    assert_nothing_written(counts)


def test_the_same_id_twice_in_one_file(tmp_path):
    first = example("service_full")
    second = copy.deepcopy(first)
    second["name"] = "Copy"
    with pytest.raises(CommandError, match=r"\$\[1\]\.id"):
        run(write(tmp_path, [first, second]))
    assert not OfferPage.objects.exists()


# Where the pages go


def test_the_directory_is_created_under_the_default_sites_root(tmp_path):
    assert not DirectoryIndexPage.objects.exists()
    run(write(tmp_path, example("organization_full")))
    index = DirectoryIndexPage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert index.get_parent().pk == site.root_page.pk and index.live
    (org_page,) = OrganisationPage.objects.child_of(index)
    assert org_page.live and org_page.title == "Example Organization Inc."
    assert OfferPage.objects.child_of(org_page).count() == 1


def test_an_existing_directory_is_used(tmp_path, directory):
    run(write(tmp_path, example("organization_full")))
    assert DirectoryIndexPage.objects.get().pk == directory.pk
    assert OrganisationPage.objects.child_of(directory).count() == 1


def test_progress_is_shown(tmp_path):
    other = copy.deepcopy(example("service_full"))
    other["id"] = "5a0d4b4e-1b1c-4d1e-9f00-0000000000aa"
    other["service_at_locations"], other["schedules"] = [], []
    output = run(write(tmp_path, [example("organization_full"), other]))
    assert "3/3" in output


def test_imported_terms_go_to_the_right_taxonomy(client, tmp_path, directory):
    """A term of Lotse's target-group taxonomy becomes a target group, others topics."""
    source = copy.deepcopy(example("service_full"))
    term = source["attributes"][0]["taxonomy_term"]
    term["taxonomy_id"] = str(mapping.TAXONOMY_IDS[mapping.TARGET_GROUPS])
    del term["taxonomy_detail"]
    del term["parent_id"]
    run(write(tmp_path, source))
    offer = OfferPage.objects.get()
    assert [t.hsds_id.hex for t in offer.target_groups.all()] == [term["id"].replace("-", "")]
    assert not Topic.objects.exists()
    assert Location.objects.count() == 1
    assert Page.objects.type(OfferPage).count() == 1


def test_messages_are_in_the_sites_language(tmp_path):
    """On the command line Lotse speaks German, like its other commands."""
    out = io.StringIO()
    call_command("import_hsds", str(write(tmp_path, example("organization_full"))), stdout=out)
    assert "1 neu" in out.getvalue()
    with pytest.raises(CommandError, match="Es wurde nichts importiert"):
        call_command("import_hsds", str(write(tmp_path, example("taxonomy"), "t.json")))


def test_every_bad_service_of_an_organization_is_reported(tmp_path):
    source = example("organization_full")
    second = copy.deepcopy(source["services"][0])
    second["id"] = "6c1f0a55-3b7e-4f0a-9d6c-2e8b1a4f7d90"
    for place in second["service_at_locations"]:
        place["id"] = "7d2a1b66-4c8f-4a1b-8e7d-3f9c2b5a8e01"
        for schedule in place["schedules"]:
            schedule["id"] = "8e3b2c77-5d9a-4b2c-9f8e-4a0d3c6b9f12"
    second["schedules"] = []
    source["services"][0]["minimum_age"] = -3
    second["maximum_age"] = 7.5
    source["services"].append(second)
    with pytest.raises(CommandError) as failure:
        run(write(tmp_path, source))
    message = str(failure.value)
    assert "$.services[0].minimum_age" in message
    assert "$.services[1].maximum_age" in message
    assert not OfferPage.objects.exists() and not Organisation.objects.exists()


def test_a_service_moves_to_the_organization_the_data_names(client, tmp_path):
    run(write(tmp_path, example("organization_full")))
    service = copy.deepcopy(example("service_full"))
    service["organization"] = {
        "id": "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f",
        "name": "Neuer Träger",
        "description": "Übernimmt die Beratung.",
    }
    service["organization_id"] = service["organization"]["id"]
    service["contacts"] = []
    output = run(write(tmp_path, service, "moved.json"))
    assert "0 created, 1 updated" in output
    offer = OfferPage.objects.get()
    assert offer.get_parent().specific.organisation.name == "Neuer Träger"
    assert offer.organisation.name == "Neuer Träger" and offer.live
    data = client.get(f"{API}/services/{service['id']}").json()
    assert data["organization"]["name"] == "Neuer Träger"


def test_a_partners_draft_waiting_for_review_is_left_alone(client, tmp_path):
    source = example("organization_full")
    path = write(tmp_path, source)
    run(path)
    offer = OfferPage.objects.get()
    draft = offer.get_latest_revision_as_object()
    draft.easy_language_summary = "Entwurf in leichter Sprache."
    draft.save_revision()
    latest = OfferPage.objects.get().latest_revision_id
    # The same data again: nothing new for the public, the draft stays the newest version.
    assert "0 created, 0 updated, 1 unchanged" in run(path)
    offer = OfferPage.objects.get()
    assert offer.latest_revision_id == latest and offer.has_unpublished_changes
    # New data is published on top of what the public sees, not of the unreviewed draft.
    changed = copy.deepcopy(source)
    changed["services"][0]["name"] = "Counselling, renamed"
    run(write(tmp_path, changed, "changed.json"))
    offer = OfferPage.objects.get()
    assert offer.title == "Counselling, renamed" and offer.easy_language_summary == ""
    assert client.get(f"{API}/services/{offer.hsds_id}").json()["name"] == "Counselling, renamed"
