"""Lotse's API description (`/api/schema/`): valid OpenAPI 3.1, honest examples, every media
type it serves, and the official HSDS 3.0 schemas for the HSDS answers."""

import gzip
import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from lotse.directory.hsds import openapi as hsds_openapi
from lotse.directory.hsds.schemas import HERE, format_checker

from .hsds.conftest import OFFICIAL

BASE = "urn:lotse-api"
HSDS_LISTS = (
    "/api/hsds/services",
    "/api/hsds/organizations",
    "/api/hsds/service_at_locations",
    "/api/hsds/taxonomies",
    "/api/hsds/taxonomy_terms",
)


@cache
def _schema():
    from django.test import Client

    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def schema():
    """The description as the site serves it (a fresh copy for each test)."""
    return json.loads(_schema())


#: Keywords whose values are data, not parts of the description.
DATA = {"example", "examples", "default", "enum", "const"}


def walk(node, path=()):
    """Every dict of the description with its JSON path (not descending into data)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in DATA or path[-1:] == ("properties",):
                yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def pointer(path):
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def validator(schema, path):
    """A JSON Schema 2020-12 validator for the schema at `path`, resolving `#/components/…`."""
    registry = Registry().with_resource(
        BASE, Resource.from_contents(schema, default_specification=DRAFT202012)
    )
    return jsonschema.Draft202012Validator(
        {"$ref": f"{BASE}#{pointer(path)}"}, registry=registry, format_checker=format_checker()
    )


def examples(schema):
    """(where, value, path of the schema it must match) for every example in the description."""
    for path, node in walk(schema):
        if path[-1:] == ("properties",):
            continue
        if path[-2:-1] == ("content",) or {"in", "name"} <= set(node):
            # A media type or a parameter: `example`, or `examples` holding Example objects.
            if "example" in node:
                yield pointer(path) + "/example", node["example"], (*path, "schema")
            for name, example in node.get("examples", {}).items():
                if "value" in example:
                    yield pointer(path) + f"/examples/{name}", example["value"], (*path, "schema")
        else:
            # A schema: OpenAPI's `example` and JSON Schema's `examples`.
            if "example" in node:
                yield pointer(path) + "/example", node["example"], path
            for number, value in enumerate(node.get("examples") or []):
                yield pointer(path) + f"/examples/{number}", value, path


def test_the_description_is_valid_openapi_3_1(schema):
    assert schema["openapi"] == "3.1.0"
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in OpenAPIV31SpecValidator(schema).iter_errors()
    ]
    assert errors == []


def test_every_example_validates_against_its_own_schema(schema):
    found = list(examples(schema))
    # Requests and answers of the handover, partner and search APIs, and DRF's page fields.
    assert len(found) >= 30
    wrong = []
    for where, value, path in found:
        for error in validator(schema, path).iter_errors(value):
            wrong.append(f"{where} {'/'.join(map(str, error.absolute_path))}: {error.message}")
    assert wrong == []


def test_a_wrong_example_would_be_found(schema):
    """The check above looks where the examples are: a list example that drf-spectacular
    would wrap in a second list fails it."""
    operation = schema["paths"]["/api/v1/contacts/"]["get"]
    content = operation["responses"]["200"]["content"]["application/json"]
    (example,) = content["examples"].values()
    example["value"] = [example["value"]]
    path = ("paths", "/api/v1/contacts/", "get", "responses", "200", "content")
    errors = list(
        validator(schema, (*path, "application/json", "schema")).iter_errors(example["value"])
    )
    assert errors


def test_nullable_fields_are_typed(schema):
    """OpenAPI 3.1 has no `nullable`: a field that may be null says so in its `type` or with
    a `{"type": "null"}` alternative."""
    assert [pointer(path) for path, node in walk(schema) if "nullable" in node] == []
    components = schema["components"]["schemas"]
    offer = components["PartyHandover"]["properties"]["offer"]
    assert offer["type"] == ["string", "null"]
    assert {"type": "null"} in components["PartyHandover"]["properties"]["recipient"]["oneOf"]
    page = components["PaginatedPartnerOfferSummaryList"]["properties"]
    assert page["next"]["type"] == page["previous"]["type"] == ["string", "null"]


def test_every_error_answer_has_a_documented_body(schema):
    """DRF answers every error with JSON; an error without a body in the description would
    leave its media type undeclared."""
    missing = [
        f"{method.upper()} {path} {status}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status >= "400" and "application/json" not in response.get("content", {})
    ]
    assert missing == []


def test_logins_throttles_and_ids_have_their_errors(schema):
    operations = schema["paths"]
    assert {"400", "401", "403", "404", "429"} <= set(
        operations["/api/v1/handovers/{id}/"]["get"]["responses"]
    )
    assert {"400", "401", "403", "429"} <= set(operations["/api/v1/me/"]["get"]["responses"])
    public = operations["/api/hsds/services"]["get"]["responses"]
    assert {"400", "429"} <= set(public) and not {"401", "403"} & set(public)


def test_only_lotse_endpoints_are_described(schema):
    from lotse.handover.api import is_lotse_view

    assert all(path.startswith("/api/") for path in schema["paths"])

    class HostView:
        pass

    HostView.__module__ = "blog.api"
    assert not is_lotse_view(HostView)
    HostView.__module__ = "lotse.directory.hsds.api"
    assert is_lotse_view(HostView)


# HSDS


def test_the_hsds_lists_declare_json_pages_and_ndjson(schema):
    for path in HSDS_LISTS:
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "application/x-ndjson"}, path
        page = content["application/json"]["schema"]
        assert page["allOf"] == [{"$ref": "#/components/schemas/HsdsPage"}]
        item = page["properties"]["contents"]["items"]
        assert content["application/x-ndjson"]["schema"] == {"type": "array", "items": item}


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/hsds/", "HsdsApiMeta"),
        ("/api/hsds/services/{id}", "HsdsService"),
        ("/api/hsds/organizations/{id}", "HsdsOrganization"),
        ("/api/hsds/service_at_locations/{id}", "HsdsServiceAtLocation"),
        ("/api/hsds/taxonomies/{id}", "HsdsTaxonomy"),
        ("/api/hsds/taxonomy_terms/{id}", "HsdsTaxonomyTerm"),
    ],
)
def test_the_hsds_objects_are_the_official_components(schema, path, component):
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert content == {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
    }


def _official(relative):
    return json.loads((OFFICIAL / "schema" / relative).read_text(encoding="utf-8"))


def _expanded(components, node, file_refs):
    """`node` with every component reference replaced by the component, except references
    that stand for one of the official files (`file_refs`: component → file name)."""
    if isinstance(node, list):
        return [_expanded(components, value, file_refs) for value in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix(hsds_openapi.PREFIX)
        if name in file_refs:
            return {**node, "$ref": file_refs[name]}
        assert set(node) == {"$ref"}
        return _expanded(components, components[name], file_refs)
    return {key: _expanded(components, value, file_refs) for key, value in node.items()}


@pytest.mark.parametrize(
    ("component", "official", "file_refs"),
    [
        ("HsdsService", "compiled/service.json", {}),
        ("HsdsServiceList", "compiled/service_list.json", {}),
        ("HsdsOrganization", "compiled/organization.json", {}),
        ("HsdsOrganizationList", "compiled/organization_list.json", {}),
        ("HsdsServiceAtLocation", "compiled/service_at_location.json", {}),
        ("HsdsServiceAtLocationList", "compiled/service_at_location_list.json", {}),
        ("HsdsTaxonomy", "taxonomy.json", {"HsdsMetadata": "metadata.json"}),
        (
            "HsdsTaxonomyTerm",
            "taxonomy_term.json",
            {"HsdsMetadata": "metadata.json", "HsdsTaxonomy": "taxonomy.json"},
        ),
    ],
)
def test_the_hsds_components_are_the_official_schemas(schema, component, official, file_refs):
    """Shared sub-schemas expand back to exactly the official files, without their examples."""
    components = schema["components"]["schemas"]
    expanded = _expanded(components, components[component], file_refs)
    assert expanded == hsds_openapi.without_examples(_official(official))


def test_the_shared_hsds_components_are_much_smaller_than_the_compiled_files(schema):
    components = {k: v for k, v in schema["components"]["schemas"].items() if k.startswith("Hsds")}
    compiled = sum(
        len(json.dumps(_official(f"compiled/{path.name}")))
        for path in (OFFICIAL / "schema" / "compiled").glob("*.json")
    )
    assert len(json.dumps(components)) * 20 < compiled


@pytest.mark.parametrize("packed", sorted(path.name for path in HERE.glob("*.json.gz")))
def test_the_apps_hsds_files_are_the_official_ones(packed):
    name = packed.removesuffix(".gz")
    candidates = [OFFICIAL / "schema" / name, OFFICIAL / "schema" / "compiled" / name]
    (original,) = [path for path in candidates if path.exists()]
    assert gzip.decompress((HERE / packed).read_bytes()) == original.read_bytes()


def test_the_pages_and_ndjson_lines_the_api_serves_match_the_description(schema, client, county):
    """What the description says each list answers is what it answers (json and ndjson)."""
    for path in HSDS_LISTS:
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        page = client.get(path)
        assert page["Content-Type"].split(";")[0] in content
        errors = list(
            validator(
                schema,
                ("paths", path, "get", "responses", "200", "content", "application/json", "schema"),
            ).iter_errors(page.json())
        )
        assert errors == [], path
        stream = client.get(path, {"format": "ndjson"})
        assert stream["Content-Type"].split(";")[0] in content
        lines = [json.loads(line) for line in b"".join(stream.streaming_content).splitlines()]
        assert lines
        ndjson = (
            "paths",
            path,
            "get",
            "responses",
            "200",
            "content",
            "application/x-ndjson",
            "schema",
        )
        assert list(validator(schema, ndjson).iter_errors(lines)) == [], path


@pytest.fixture
def county(db):
    from .hsds.conftest import build_county

    return build_county()


def test_the_hsds_components_are_built_once_per_process():
    hsds_openapi._components.cache_clear()
    first = hsds_openapi.components()
    assert hsds_openapi.components() == first and hsds_openapi.components() is not first
    assert Path(HERE / "service.json.gz").exists()
