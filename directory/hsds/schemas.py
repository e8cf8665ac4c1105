"""The official HSDS 3.0 JSON Schemas the importer checks incoming records with.

`schema/organization.json.gz` and `schema/service.json.gz` are the specification's compiled
schemas, gzip-compressed but otherwise unchanged (a test compares them with the verbatim copies in
`tests/hsds/official/`). Loading one takes a moment, so each is read once per process.
"""

import datetime as dt
import gzip
import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema

HERE = Path(__file__).resolve().parent / "schema"
#: Where the specification publishes its schemas; the OpenAPI file refers to them by these URLs.
SPECIFICATION_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def format_checker():
    """Checks `uuid`, `date`, `email` as jsonschema does, and `date-time` and `uri` as well.

    jsonschema only checks the last two when optional packages are installed; the checks here
    are simple but catch what matters for an exchange format (a date where a moment is expected,
    a relative path where an address is expected).
    """
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER

    checker = jsonschema.FormatChecker(formats=list(checker.checkers))

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return "T" in value.upper() and parsed.tzinfo is not None

    @checker.checks("uri")
    def is_uri(value):
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("mailto", "tel"))

    return checker


@cache
def compiled_schema(name):
    """The official compiled schema `name` ("organization" or "service") as a dict."""
    with gzip.open(HERE / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def validator(name):
    schema = compiled_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=format_checker())


def errors(name, document):
    """Schema errors of `document` against the compiled schema `name`, in document order."""
    found = validator(name).iter_errors(document)
    return sorted(found, key=lambda error: [_key(part) for part in error.absolute_path])


def _key(part):
    return (0, part, "") if isinstance(part, int) else (1, 0, str(part))
