"""The official HSDS 3.0 schemas as components of Lotse's OpenAPI description.

The compiled schemas nest every related object in full, so one sub-schema (an attribute, a
metadata entry, a phone) appears up to 196 times and the six of them hold 3.5 MB. Here every
object schema that occurs more than once becomes one component, referenced wherever it occurred:
the same JSON Schema in about a thirtieth of the size (`tests/test_openapi.py` expands the
references again and compares the result with the official files). The specification's field
`example`s are left out: 109 of them do not match their own types (the string "100" for a
number), and tools read them as examples of what Lotse answers.
"""

import copy
import gzip
import hashlib
import json
from functools import cache

from .schemas import HERE

PREFIX = "#/components/schemas/"
#: component name → file in `schema/` (verbatim official files, gzip-compressed).
DOCUMENTS = {
    "HsdsService": "service.json.gz",
    "HsdsServiceList": "service_list.json.gz",
    "HsdsOrganization": "organization.json.gz",
    "HsdsOrganizationList": "organization_list.json.gz",
    "HsdsServiceAtLocation": "service_at_location.json.gz",
    "HsdsServiceAtLocationList": "service_at_location_list.json.gz",
    "HsdsTaxonomy": "taxonomy.json.gz",
    "HsdsTaxonomyTerm": "taxonomy_term.json.gz",
}
#: The two uncompiled schemas refer to their neighbours by file name.
FILE_REFS = {"taxonomy.json": "HsdsTaxonomy", "metadata.json": "HsdsMetadata"}
PAGE_KEYS = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
]


def load(filename):
    with gzip.open(HERE / filename, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def without_examples(node):
    if isinstance(node, dict):
        return {key: without_examples(value) for key, value in node.items() if key != "example"}
    if isinstance(node, list):
        return [without_examples(value) for value in node]
    return node


def digests(node, found):
    """A digest of every dict and list below `node` (by id), counting the object schemas."""
    if isinstance(node, dict):
        parts = [(key, digests(value, found)) for key, value in node.items()]
    elif isinstance(node, list):
        parts = [digests(value, found) for value in node]
    else:
        return json.dumps(node)
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    found["digest"][id(node)] = digest
    if isinstance(node, dict) and node.get("type") == "object":
        found["count"][digest] = found["count"].get(digest, 0) + 1
    return digest


def component_name(node, taken, digest):
    base = "Hsds" + "".join(part.capitalize() for part in str(node.get("name", "")).split("_"))
    name, number = base, 1
    while name in taken and taken[name] != digest:
        number += 1
        name = f"{base}{number}"
    taken[name] = digest
    return name


@cache
def _components():
    documents = {name: without_examples(load(filename)) for name, filename in DOCUMENTS.items()}
    found = {"digest": {}, "count": {}}
    for document in documents.values():
        digests(document, found)
    taken = {name: found["digest"][id(doc)] for name, doc in documents.items()}
    by_digest = {digest: name for name, digest in taken.items()}
    components = {}

    def rewrite(node, root=False):
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        if not isinstance(node, dict):
            return node
        if node.get("$ref") in FILE_REFS:
            return {**node, "$ref": PREFIX + FILE_REFS[node["$ref"]]}
        digest = found["digest"][id(node)]
        if not root and (found["count"].get(digest, 0) > 1 or digest in by_digest):
            name = by_digest.get(digest)
            if name is None:
                name = by_digest[digest] = component_name(node, taken, digest)
                components[name] = rewrite(node, root=True)
            return {"$ref": PREFIX + name}
        return {key: rewrite(value) for key, value in node.items()}

    for name, document in documents.items():
        components[name] = rewrite(document, root=True)
    missing = {ref for ref in FILE_REFS.values() if ref not in components}
    if missing:
        raise RuntimeError(f"The HSDS schemas have no shared {', '.join(sorted(missing))}.")
    official = load("openapi.json.gz")
    components["HsdsPage"] = official["components"]["schemas"]["Page"]
    root = official["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    components["HsdsApiMeta"] = root["schema"]
    return dict(sorted(components.items()))


def components():
    """name → schema: the official schemas and everything they share (a fresh copy)."""
    return copy.deepcopy(_components())


def ref(name):
    return {"$ref": PREFIX + name}


def page(item):
    """The HSDS `Page` envelope with `contents` of the component `item`; Lotse sends every key."""
    return {
        "allOf": [ref("HsdsPage")],
        "required": PAGE_KEYS,
        "properties": {"contents": {"type": "array", "items": ref(item)}},
    }


def lines(item):
    """ndjson: the whole stream as an array of lines (as OpenAPI 3.2 reads sequential media)."""
    return {"type": "array", "items": ref(item)}


def add_components(result, generator, request, public):
    """drf-spectacular postprocessing hook: the HSDS components, if any operation uses them."""
    if f'"{PREFIX}Hsds' in json.dumps(result.get("paths", {}), default=str):
        schemas = result.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(components())
    return result
