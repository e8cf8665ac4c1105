"""The HSDS read API under /api/hsds/: every response against the official schemas, the
parameters of the official OpenAPI file, pagination, streaming, and what the public may see."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lotse.directory.hsds import mapping
from lotse.directory.models import OfferPage
from tests import factories

from .conftest import assert_page, assert_valid, hours, official, response

pytestmark = pytest.mark.django_db

API = "/api/hsds"


def get(client, path, **params):
    return client.get(API + path, params)


def body(client, path, status=200, **params):
    reply = get(client, path, **params)
    assert reply.status_code == status, reply.content[:500]
    return reply.json()


def ids(items):
    return [item["id"] for item in items]


# Every endpoint against the official schemas


def test_root_describes_the_api(client):
    data = body(client, "/")
    assert data["version"] == "3.0"
    assert_valid(data, response("/"))
    assert data["openapi_url"].endswith("/openapi.json")


def test_service_list_and_items_validate(client, county):
    data = body(client, "/services")
    assert_page(data, "/services", "compiled/service_list.json")
    assert [s["name"] for s in data["contents"]] == [
        "Familienberatung",
        "Pflegestützpunkt",
        "Schuldnerberatung",
    ]
    first = data["contents"][2]
    assert first["id"] == str(county.debt_offer.hsds_id)
    assert first["organization"]["id"] == str(county.caritas.hsds_id)
    assert first["status"] == "active"
    # The description: the summary, then the rich text as plain text.
    assert first["description"] == (
        "Hilfe bei Schulden und drohender Überschuldung.\n\nWir beraten vertraulich.\n\n"
        "- Haushaltsplan"
    )


def test_full_services_validate_as_services_and_list_items(client, county):
    data = body(client, "/services", full="true")
    assert_page(data, "/services", "compiled/service_list.json")
    for item in data["contents"]:
        assert_valid(item, "compiled/service.json")
        assert "schedules" in item and "service_at_locations" in item


def test_service_detail_is_a_fully_nested_service(client, county):
    offer = county.debt_offer
    data = body(client, f"/services/{offer.hsds_id}")
    assert_valid(data, "compiled/service.json")
    assert data["id"] == str(offer.hsds_id)
    assert data["organization"]["parent_organization_id"] == str(county.county_office.hsds_id)
    assert data["minimum_age"] == 18
    assert data["url"] == "https://caritas-lahnfeld.example/schulden"
    assert data["phones"] == [
        {"id": mapping.derived_id(offer.hsds_id, "phone"), "number": "069 90009-101"}
    ]
    assert data["cost_options"] == [
        {"id": mapping.derived_id(offer.hsds_id, "cost_option"), "currency": "EUR", "amount": 0}
    ]
    assert data["required_documents"][0]["document"] == "Kontoauszüge und Mahnungen."
    assert data["languages"] == [
        {
            "id": mapping.derived_id(offer.hsds_id, "language", "tr"),
            "name": "Türkisch",
            "code": "tr",
        }
    ]
    assert data["service_areas"] == [{"id": str(county.lahnfeld.hsds_id), "name": "Lahnfeld"}]
    # The handover contact, without the e-mail address and phone number handovers use.
    assert data["contacts"] == [
        {"id": str(county.contact.hsds_id), "name": "Erika Muster", "title": "Schuldnerberaterin"}
    ]
    # Topics and target groups: own terms, then the broader terms.
    attributes = {(a["link_type"], a["taxonomy_term"]["name"]) for a in data["attributes"]}
    assert attributes == {
        ("topic", "Schulden"),
        ("broader_topic", "Geld"),
        ("target_group", "Familien"),
    }
    debt = next(a for a in data["attributes"] if a["link_type"] == "topic")["taxonomy_term"]
    assert debt["parent_id"] == str(county.money.hsds_id)
    assert debt["taxonomy_id"] == str(mapping.TAXONOMY_IDS[mapping.TOPICS])


def test_schedules_are_hsds_schedules(client, county):
    data = body(client, f"/services/{county.debt_offer.hsds_id}")
    (place,) = data["service_at_locations"]
    assert place["location"]["id"] == str(county.house.hsds_id)
    weekly, monthly = place["schedules"]
    assert {k: weekly[k] for k in ("freq", "interval", "byday", "opens_at", "closes_at")} == {
        "freq": "WEEKLY",
        "interval": 1,
        "byday": "MO,TU,FR",
        "opens_at": "08:30:00",
        "closes_at": "12:30:00",
    }
    assert weekly["description"] == "Mo, Di, Fr 08:30–12:30"
    assert weekly["attending_type"] == "Öffnungszeiten"
    assert monthly["freq"] == "MONTHLY" and monthly["byday"] == "1WE"
    assert monthly["description"] == "Offene Sprechstunde"
    (phone,) = data["schedules"]
    assert phone["byday"] == "TH" and phone["attending_type"] == "Telefonische Sprechzeiten"

    fortnightly = body(client, f"/services/{county.care_offer.hsds_id}")
    (schedule,) = fortnightly["service_at_locations"][0]["schedules"]
    assert schedule["interval"] == 2
    assert schedule["valid_from"] == schedule["dtstart"] == "2026-01-05"
    assert schedule["valid_to"] == "2026-12-31"


def test_locations_carry_address_and_accessibility(client, county):
    data = body(client, f"/services/{county.debt_offer.hsds_id}")
    location = data["service_at_locations"][0]["location"]
    assert location["name"] == "Caritas-Haus"
    assert location["latitude"] == 50.55
    (address,) = location["addresses"]
    assert (address["address_1"], address["postal_code"], address["city"]) == (
        "Marktplatz 1",
        "35578",
        "Lahnfeld",
    )
    assert address["country"] == "DE" and address["address_type"] == "physical"
    assert [a.get("description") for a in location["accessibility"]] == [
        "stufenloser Zugang",
        "Induktionsschleife",
        "Klingel am Seiteneingang.",
    ]


def test_organizations_validate(client, county):
    data = body(client, "/organizations")
    assert_page(data, "/organizations", "compiled/organization_list.json")
    # Only organisations with a published page or offer.
    assert ids(data["contents"]) == [str(county.caritas.hsds_id), str(county.county_office.hsds_id)]
    full = body(client, "/organizations", full="true", full_service="true")
    assert_page(full, "/organizations", "compiled/organization_list.json")
    for item in full["contents"]:
        assert_valid(item, "compiled/organization.json")


@pytest.mark.parametrize("full_service", ["false", "true"])
def test_organization_detail(client, county, full_service):
    data = body(client, f"/organizations/{county.caritas.hsds_id}", full_service=full_service)
    assert_valid(data, "compiled/organization.json")
    assert ids(data["services"]) == [
        str(county.family_offer.hsds_id),
        str(county.debt_offer.hsds_id),
    ]
    assert ("schedules" in data["services"][0]) == (full_service == "true")
    assert ids(data["contacts"]) == [str(county.contact.hsds_id)]
    # The places its published offers use, and no other.
    assert ids(data["locations"]) == [str(county.house.hsds_id), str(county.town_hall.hsds_id)]
    assert data["phones"][0]["number"] == "069 90009-100"
    assert data["attributes"][0]["value"] == "welfare_association"


def test_service_at_locations_validate(client, county):
    data = body(client, "/service_at_locations")
    assert_page(data, "/service_at_locations", "compiled/service_at_location_list.json")
    assert data["total_items"] == 4
    full = body(client, "/service_at_locations", full="true")
    assert_page(full, "/service_at_locations", "compiled/service_at_location_list.json")
    for item in full["contents"]:
        assert_valid(item, "compiled/service_at_location.json")
    row = county.debt_offer.offer_locations.get()
    detail = body(client, f"/service_at_locations/{row.hsds_id}")
    # The official OpenAPI file names compiled/service.json here, but a service_at_location is
    # what this path returns; it validates against the schema of exactly that.
    assert_valid(detail, "compiled/service_at_location.json")
    assert detail["service"]["id"] == str(county.debt_offer.hsds_id)
    assert detail["location"]["id"] == str(county.house.hsds_id)
    assert len(detail["schedules"]) == 2


def test_taxonomies_and_terms_validate(client, county):
    data = body(client, "/taxonomies")
    assert_page(data, "/taxonomies", "taxonomy.json")
    assert [t["name"] for t in data["contents"]] == ["Themen", "Zielgruppen"]
    topics = data["contents"][0]
    assert_valid(body(client, f"/taxonomies/{topics['id']}"), "taxonomy.json")

    terms = body(client, "/taxonomy_terms")
    assert_page(terms, "/taxonomy_terms", "taxonomy_term.json")
    # Terms of published offers and their broader terms; not "Sucht" of the draft.
    assert [t["name"] for t in terms["contents"]] == ["Geld", "Pflege", "Schulden", "Familien"]
    term = body(client, f"/taxonomy_terms/{county.debt.hsds_id}")
    assert_valid(term, "taxonomy_term.json")
    assert term["code"] == "schulden" and term["parent_id"] == str(county.money.hsds_id)
    assert get(client, f"/taxonomy_terms/{county.unused.hsds_id}").status_code == 404


def test_taxonomy_term_filters(client, county):
    topics = str(mapping.TAXONOMY_IDS[mapping.TOPICS])
    names = lambda **p: [t["name"] for t in body(client, "/taxonomy_terms", **p)["contents"]]  # noqa: E731
    assert names(taxonomy_id=topics) == ["Geld", "Pflege", "Schulden"]
    assert names(top_only="true") == ["Geld", "Pflege", "Familien"]
    assert names(parent_id=str(county.money.hsds_id)) == ["Schulden"]
    assert names(search="schul") == ["Schulden"]


# What the public may see


def test_drafts_and_what_only_they_use_stay_hidden(client, county):
    assert get(client, f"/services/{county.draft.hsds_id}").status_code == 404
    everything = json.dumps(
        [
            body(client, "/services", full="true"),
            body(client, "/organizations", full="true", full_service="true"),
            body(client, "/service_at_locations", full="true"),
            body(client, "/taxonomy_terms"),
        ]
    )
    for secret in (
        county.draft.hsds_id,
        county.secret_place.hsds_id,
        county.hidden.hsds_id,
        county.unused.hsds_id,
        "Geheim",
        county.contact.email,
    ):
        assert str(secret) not in everything
    assert get(client, f"/organizations/{county.hidden.hsds_id}").status_code == 404


def test_an_unpublished_offer_disappears(client, county):
    county.care_offer.unpublish()
    assert get(client, f"/services/{county.care_offer.hsds_id}").status_code == 404
    assert str(county.care_offer.hsds_id) not in ids(body(client, "/services")["contents"])
    # The county office now has neither a published offer nor … it still has its page.
    assert str(county.county_office.hsds_id) in ids(body(client, "/organizations")["contents"])


@pytest.mark.parametrize(
    "path",
    [
        "/services/{}",
        "/organizations/{}",
        "/service_at_locations/{}",
        "/taxonomies/{}",
        "/taxonomy_terms/{}",
    ],
)
@pytest.mark.parametrize("unknown", ["0b8a4e8e-6f4b-4d62-9a11-000000000000", "not-a-uuid"])
def test_unknown_ids_are_404(client, county, path, unknown):
    reply = get(client, path.format(unknown))
    assert reply.status_code == 404
    assert "detail" in reply.json()


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/services", {"page": "0"}, "page"),
        ("/services", {"page": "eins"}, "page"),
        ("/services", {"per_page": "1001"}, "per_page"),
        ("/services", {"per_page": "0"}, "per_page"),
        ("/services", {"full": "vielleicht"}, "full"),
        ("/services", {"minimal": "true", "full": "true"}, "minimal"),
        ("/services", {"format": "xml"}, "format"),
        ("/services", {"taxonomy_term_id": "schulden"}, "taxonomy_term_id"),
        ("/services", {"taxonomy_id": "1"}, "taxonomy_id"),
        ("/services", {"organization_id": "caritas"}, "organization_id"),
        ("/services", {"modified_after": "gestern"}, "modified_after"),
        ("/services", {"proximity": "1000"}, "proximity"),
        ("/services", {"postcode": "35578", "proximity": "-5"}, "proximity"),
        ("/services", {"postcode": "99999", "proximity": "1000"}, "postcode"),
        ("/service_at_locations", {"page": "-1"}, "page"),
        ("/organizations", {"full_service": "2"}, "full_service"),
        ("/organizations", {"per_page": "x"}, "per_page"),
        ("/taxonomy_terms", {"parent_id": "x"}, "parent_id"),
        ("/taxonomies", {"format": "csv"}, "format"),
        (f"/organizations/{'{org}'}", {"full_service": "x"}, "full_service"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client, county, path, params, parameter):
    path = path.replace("{org}", str(county.caritas.hsds_id))
    reply = get(client, path, **params)
    assert reply.status_code == 400
    messages = reply.json()[parameter]
    assert messages and all(isinstance(m, str) and m for m in messages)


# Pagination


def test_pages(client, county):
    pages = [body(client, "/services", per_page=2, page=n) for n in (1, 2, 3)]
    first, second, beyond = pages
    assert (first["total_items"], first["total_pages"], first["page_number"]) == (3, 2, 1)
    assert (first["size"], first["first_page"], first["last_page"], first["empty"]) == (
        2,
        True,
        False,
        False,
    )
    assert (second["size"], second["first_page"], second["last_page"]) == (1, False, True)
    assert ids(first["contents"]) + ids(second["contents"]) == ids(
        body(client, "/services")["contents"]
    )
    assert beyond["contents"] == [] and beyond["empty"] and beyond["last_page"]
    assert beyond["total_items"] == 3 and beyond["size"] == 0
    for page in pages:
        assert_page(page, "/services", "compiled/service_list.json")


def test_an_empty_result(client, county):
    data = body(client, "/services", organization_id=str(county.hidden.hsds_id))
    assert data == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }
    assert_page(data, "/services", "compiled/service_list.json")


def test_page_size_one_walks_every_page(client, county):
    seen = []
    page = 1
    while True:
        data = body(client, "/service_at_locations", per_page=1, page=page)
        seen.extend(ids(data["contents"]))
        if data["last_page"]:
            break
        page += 1
    assert page == 4 and len(set(seen)) == 4


def test_minimal_services(client, county):
    data = body(client, "/services", minimal="true")
    assert_page(data, "/services", "compiled/service_list.json")
    assert all(set(item) == {"id", "name", "status", "last_modified"} for item in data["contents"])


# Filters


def test_modified_after(client, county):
    since = county.base + dt.timedelta(days=5)
    data = body(client, "/services", modified_after=since.isoformat())
    assert {s["name"] for s in data["contents"]} == {"Pflegestützpunkt", "Familienberatung"}
    moment = county.base + dt.timedelta(days=10)  # on or after: the boundary is included
    zulu = moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    names = {s["name"] for s in body(client, "/services", modified_after=zulu)["contents"]}
    assert names == {"Pflegestützpunkt", "Familienberatung"}
    day = (county.base + dt.timedelta(days=19)).date().isoformat()
    assert ids(body(client, "/services", modified_after=day)["contents"]) == [
        str(county.family_offer.hsds_id)
    ]
    places = body(client, "/service_at_locations", modified_after=day)
    assert {p["service_id"] for p in places["contents"]} == {str(county.family_offer.hsds_id)}


def test_taxonomy_and_organization_filters(client, county):
    def names(path="/services", **params):
        return sorted(
            item.get("name") or item["service"]["name"]
            for item in body(client, path, **params)["contents"]
        )

    # A broader term finds offers with its narrower terms.
    assert names(taxonomy_term_id=str(county.money.hsds_id)) == [
        "Familienberatung",
        "Schuldnerberatung",
    ]
    assert names(taxonomy_term_id=str(county.debt.hsds_id)) == ["Schuldnerberatung"]
    assert names(taxonomy_term_id=str(county.families.hsds_id)) == ["Schuldnerberatung"]
    assert names(taxonomy_term_id=str(county.unused.hsds_id)) == []
    groups = str(mapping.TAXONOMY_IDS[mapping.TARGET_GROUPS])
    assert names(taxonomy_id=groups) == ["Schuldnerberatung"]
    assert names(organization_id=str(county.county_office.hsds_id)) == ["Pflegestützpunkt"]
    assert names("/service_at_locations", organization_id=str(county.caritas.hsds_id)) == [
        "Familienberatung",
        "Familienberatung",
        "Schuldnerberatung",
    ]


def test_postcode_and_proximity(client, county):
    def names(path="/services", **params):
        contents = body(client, path, **params)["contents"]
        return sorted(item.get("name") or item["service"]["name"] for item in contents)

    # Service areas: the debt advice serves Lahnfeld only; the others name no area.
    assert names(postcode="35630") == ["Familienberatung", "Pflegestützpunkt"]
    assert names(postcode="35578") == ["Familienberatung", "Pflegestützpunkt", "Schuldnerberatung"]
    # Within 2 km of Lahnfeld's centre: the places there.
    assert names(postcode="35578", proximity="2000") == ["Familienberatung", "Schuldnerberatung"]
    places = body(client, "/service_at_locations", postcode="35578", proximity="2000")
    assert {p["location"]["id"] for p in places["contents"]} == {str(county.house.hsds_id)}
    assert names(postcode="35578", proximity="50000") == [
        "Familienberatung",
        "Pflegestützpunkt",
        "Schuldnerberatung",
    ]


def test_search_goes_through_the_search_interface(client, county, monkeypatch):
    from lotse.search import service as search_service

    asked = []
    real = search_service.search

    def spy(query):
        asked.append(query)
        return real(query)

    monkeypatch.setattr(search_service, "search", spy)
    search_service.rebuild_index()
    data = body(client, "/services", search="Schulden")
    assert asked and asked[0].q == "Schulden"
    assert ids(data["contents"])[0] == str(county.debt_offer.hsds_id)
    assert str(county.care_offer.hsds_id) not in ids(data["contents"])
    assert body(client, "/services", search="Pflegestützpunkt")["total_items"] == 1
    assert body(client, "/services", search="Zyxwvutsrq")["total_items"] == 0
    places = body(client, "/service_at_locations", search="Pflegestützpunkt")
    assert [p["service"]["name"] for p in places["contents"]] == ["Pflegestützpunkt"]
    orgs = body(client, "/organizations", search="Pflegestützpunkt")
    assert ids(orgs["contents"]) == [str(county.county_office.hsds_id)]


# Streaming


def test_ndjson_streams_every_result(client, county):
    reply = get(client, "/services", format="ndjson", per_page=1, full="true")
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/x-ndjson")
    assert reply.streaming
    lines = b"".join(reply.streaming_content).decode().splitlines()
    items = [json.loads(line) for line in lines]
    assert len(items) == 3
    assert ids(items) == ids(body(client, "/services")["contents"])
    for item in items:
        assert_valid(item, "compiled/service.json")
    for path, ref in (
        ("/organizations", "compiled/organization_list.json"),
        ("/service_at_locations", "compiled/service_at_location_list.json"),
        ("/taxonomy_terms", "taxonomy_term.json"),
    ):
        reply = get(client, path, format="ndjson")
        rows = [json.loads(line) for line in b"".join(reply.streaming_content).splitlines()]
        assert len(rows) == body(client, path)["total_items"]
        for row in rows:
            assert_valid(row, ref)


def test_ndjson_of_nothing_is_empty(client, county):
    reply = get(client, "/services", format="ndjson", organization_id=str(county.hidden.hsds_id))
    assert b"".join(reply.streaming_content) == b""


# Bounded queries


def count_queries(client, path, **params):
    """Queries of one request, without the rate limit's counter (a fixed few)."""
    with (
        override_settings(LOTSE_RATELIMIT_ENABLED=False),
        CaptureQueriesContext(connection) as queries,
    ):
        reply = get(client, path, **params)
    assert reply.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/services", {}),
        ("/services", {"full": "true"}),
        ("/organizations", {}),
        ("/organizations", {"full": "true", "full_service": "true"}),
        ("/service_at_locations", {}),
        ("/service_at_locations", {"full": "true"}),
        ("/taxonomy_terms", {}),
    ],
)
def test_list_queries_do_not_grow_with_the_number_of_services(client, county, path, params):
    before = count_queries(client, path, **params)
    for number in range(5):
        # Every other one at a partner of its own, with a parent: organisations grow, too.
        page = county.caritas.pages.get()
        if number % 2:
            organisation = factories.OrganisationFactory(parent=county.county_office)
            page = factories.make_organisation_page(organisation)
        place = factories.LocationFactory(organisation=page.organisation, name=f"Ort {number}")
        factories.make_offer(
            page,
            title=f"Angebot {number}",
            topics=[factories.TopicFactory(parent=county.money)],
            locations=[place],
            hours=[hours("in_person", ["MO"], (9, 0), (12, 0), 0)],
            handover_contact=factories.PersonFactory(organisation=page.organisation),
        )
    assert OfferPage.objects.live().count() == 8
    assert count_queries(client, path, **params) == before


def test_detail_queries_are_bounded(client, county):
    path = f"/services/{county.family_offer.hsds_id}"
    before = count_queries(client, path)
    for number in range(4):
        county.family_offer.offer_locations.create(
            location=factories.LocationFactory(organisation=county.caritas, name=f"Ort {number}")
        )
    assert count_queries(client, path) == before


# The OpenAPI description of the project


def test_the_project_schema_describes_the_hsds_paths(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths = set(schema["paths"])
    for path in (
        "/api/hsds/",
        "/api/hsds/services",
        "/api/hsds/services/{id}",
        "/api/hsds/organizations",
        "/api/hsds/service_at_locations/{id}",
        "/api/hsds/taxonomy_terms",
    ):
        assert path in paths
    operation = schema["paths"]["/api/hsds/services"]["get"]
    assert operation["operationId"] == "getPaginatedListOfServices"
    names = {p["name"] for p in operation["parameters"]}
    official_names = {
        p.get("name") or p["$ref"].rsplit("/", 1)[1]
        for p in official("schema/openapi.json")["paths"]["/services"]["get"]["parameters"]
    }
    assert official_names <= names


def test_english_wording_follows_the_request(client, county):
    reply = client.get(f"{API}/services/{county.debt_offer.hsds_id}", HTTP_ACCEPT_LANGUAGE="en")
    schedule = reply.json()["service_at_locations"][0]["schedules"][0]
    assert schedule["attending_type"] == "Opening hours"
    assert schedule["description"] == "Mon, Tue, Fri 08:30–12:30"
