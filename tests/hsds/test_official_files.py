"""The official HSDS files in `official/` are unchanged, and what we derive from them agrees.

The API, import and export tests validate against these copies; this module makes sure they are
the specification's own bytes (SHA256SUMS), that the importer's compressed copies are the same
schemas, and that the datapackage tables are those of the official schemas.
"""

import gzip
import hashlib
from pathlib import Path

import pytest

from lotse.directory.hsds import datapackage, schemas

from .conftest import OFFICIAL, official, schema_errors


def manifest():
    entries = {}
    for line in (OFFICIAL / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        entries[name] = digest
    return entries


def test_the_official_files_are_unchanged():
    entries = manifest()
    present = {
        path.relative_to(OFFICIAL).as_posix() for path in OFFICIAL.rglob("*") if path.is_file()
    }
    assert present - {"SHA256SUMS", "SOURCE.md"} == set(entries)
    assert len(entries) == 17
    for name, digest in entries.items():
        assert hashlib.sha256((OFFICIAL / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("name", ["organization", "service"])
def test_the_importers_schemas_are_the_official_ones(name):
    packed = (Path(schemas.__file__).parent / "schema" / f"{name}.json.gz").read_bytes()
    original = (OFFICIAL / "schema" / "compiled" / f"{name}.json").read_bytes()
    assert gzip.decompress(packed) == original


@pytest.mark.parametrize(
    ("example", "ref"),
    [
        ("organization_full.json", "compiled/organization.json"),
        ("service_full.json", "compiled/service.json"),
        ("service_at_location_full.json", "compiled/service_at_location.json"),
        ("taxonomy.json", "taxonomy.json"),
        ("taxonomy_term.json", "taxonomy_term.json"),
    ],
)
def test_the_official_examples_validate(example, ref):
    """The validation set-up works: the specification's examples pass …"""
    assert schema_errors(official(f"examples/{example}"), ref) == []


def test_a_broken_document_does_not():
    """… and a service without a name, with a malformed id and a bad status fails."""
    service = official("examples/service_full.json")
    del service["name"]
    service["schedules"][0]["id"] = "48102e86"
    service["status"] = "open"
    errors = schema_errors(service, "compiled/service.json")
    assert any("'name' is a required property" in e for e in errors)
    assert any(e.startswith("$.schedules[0].id") for e in errors)
    assert any(e.startswith("$.status") for e in errors)


def official_tables():
    """(name, CSV file, [(column, type, format)]) of every object in the official schemas."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if {"name", "path", "properties"} <= set(node) and node["name"] not in found:
                columns = []
                for column, spec in node["properties"].items():
                    if spec.get("type") in ("array", "object") or "$ref" in spec:
                        continue
                    kind = spec.get("datapackage_type") or spec.get("type")
                    columns.append((column, kind, spec.get("format") if kind == "string" else None))
                order = node.get("datapackage_metadata", {}).get("order", 0)
                required = {c for c, _k, _f in columns} & set(node.get("required", []))
                found[node["name"]] = (order, node["path"], columns, required)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("organization", "service", "service_at_location"):
        walk(official(f"schema/compiled/{name}.json"))
    for name in ("taxonomy", "taxonomy_term"):
        walk(official(f"schema/{name}.json"))
    ordered = sorted(found.items(), key=lambda item: item[1][0])
    return [(name, path, cols, required) for name, (_o, path, cols, required) in ordered]


def test_the_datapackage_tables_are_the_official_ones():
    ours = [
        (name, path, datapackage.columns(name), datapackage.required_columns(name))
        for name, path, _spec in datapackage.TABLES
    ]
    assert ours == official_tables()
