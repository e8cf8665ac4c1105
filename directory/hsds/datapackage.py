"""The HSDS tabular form: a Frictionless datapackage of CSV files, one per HSDS object.

`write_datapackage(folder, organizations)` flattens fully nested organisations (as the
exporter makes them) into `datapackage.json` and the CSV files; `read_datapackage(folder)` reads
such a folder back into nested records for the importer. The tables and their columns are those
of the official HSDS 3.0 schemas (`TABLES`; a test compares them with the official files).

Nesting becomes link columns (`service_id`, `location_id`, …). HSDS contacts carry one link each,
so a contact of an offer gets a row of its own (an id derived from the person's and the
offer's), beside the organisation's row with the person's own id; the importer matches the
two by name and role.
"""

import csv
import json
import re
from pathlib import Path

from django.utils.translation import gettext as _

from . import mapping

#: (HSDS object, CSV file, columns) in the order of the official datapackage. A column is
#: "name" (a string), "name:uuid|email|uri" (a string of that format) or "name:number|date|
#: time|datetime"; a final "!" marks the columns HSDS requires.
TABLES = (
    (
        "organization",
        "organizations.csv",
        "id:uuid! name! alternate_name description! email:email website:uri tax_status "
        "tax_id year_incorporated:number legal_status logo uri:uri "
        "parent_organization_id:uuid",
    ),
    (
        "program",
        "programs.csv",
        "id:uuid! organization_id:uuid name! alternate_name description!",
    ),
    (
        "service",
        "services.csv",
        "id:uuid! organization_id:uuid program_id:uuid name! alternate_name description "
        "url:uri email:email status! interpretation_services application_process "
        "fees_description wait_time fees accreditations eligibility_description "
        "minimum_age:number maximum_age:number assured_date:date assurer_email:email "
        "licenses alert last_modified:datetime",
    ),
    (
        "attribute",
        "attributes.csv",
        "id:uuid! link_id:uuid taxonomy_term_id:uuid link_type link_entity value",
    ),
    (
        "service_at_location",
        "service_at_location.csv",
        "id:uuid! service_id:uuid location_id:uuid description",
    ),
    (
        "location",
        "locations.csv",
        "id:uuid! location_type! url:uri organization_id:uuid name alternate_name "
        "description transportation latitude:number longitude:number external_identifier "
        "external_identifier_type",
    ),
    (
        "phone",
        "phones.csv",
        "id:uuid! location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid "
        "service_at_location_id:uuid number! extension:number type description",
    ),
    (
        "contact",
        "contacts.csv",
        "id:uuid! organization_id:uuid service_id:uuid service_at_location_id:uuid "
        "location_id:uuid name title department email:email",
    ),
    (
        "address",
        "addresses.csv",
        "id:uuid! location_id:uuid attention address_1! address_2 city! region "
        "state_province! postal_code! country! address_type!",
    ),
    (
        "schedule",
        "schedules.csv",
        "id:uuid! service_id:uuid location_id:uuid service_at_location_id:uuid "
        "valid_from:date valid_to:date dtstart:date timezone:number until:date "
        "count:number wkst freq interval:number byday byweekno bymonthday byyearday "
        "description opens_at:time closes_at:time schedule_link:uri attending_type notes",
    ),
    (
        "funding",
        "funding.csv",
        "id:uuid! organization_id:uuid service_id:uuid source",
    ),
    (
        "service_area",
        "service_areas.csv",
        "id:uuid! service_id:uuid name description extent extent_type uri",
    ),
    (
        "required_document",
        "required_documents.csv",
        "id:uuid! service_id:uuid document uri:uri",
    ),
    (
        "language",
        "languages.csv",
        "id:uuid! service_id:uuid location_id:uuid phone_id:uuid name code note",
    ),
    (
        "accessibility",
        "accessibility.csv",
        "id:uuid! location_id:uuid description details url:uri",
    ),
    (
        "taxonomy_term",
        "taxonomy_terms.csv",
        "id:uuid! code name! description! parent_id:uuid taxonomy language "
        "taxonomy_id:uuid term_uri:uri",
    ),
    (
        "metadata",
        "metadata.csv",
        "id:uuid! resource_id:uuid resource_type last_action_date:date! last_action_type! "
        "field_name! previous_value! replacement_value! updated_by!",
    ),
    (
        "cost_option",
        "cost_options.csv",
        "id:uuid! service_id:uuid valid_from:date valid_to:date option currency "
        "amount:number amount_description",
    ),
    (
        "organization_identifier",
        "organization_identifiers.csv",
        "id:uuid! organization_id:uuid identifier_scheme identifier_type! identifier!",
    ),
    (
        "taxonomy",
        "taxonomies.csv",
        "id:uuid! name! description! uri:uri version",
    ),
)
STRING_FORMATS = ("uuid", "email", "uri")


def columns(table):
    """[(column, type, format)] of a table."""
    spec = next(spec for name, _path, spec in TABLES if name == table)
    result = []
    for token in spec.split():
        name, _sep, kind = token.rstrip("!").partition(":")
        if kind in STRING_FORMATS or not kind:
            result.append((name, "string", kind or None))
        else:
            result.append((name, kind, None))
    return result


def required_columns(table):
    spec = next(spec for name, _path, spec in TABLES if name == table)
    return {token.rstrip("!").partition(":")[0] for token in spec.split() if token.endswith("!")}


def column_names(table):
    return [name for name, _type, _format in columns(table)]


PATHS = {name: path for name, path, _spec in TABLES}


def descriptor():
    """datapackage.json: every table with its fields, id as primary key."""
    resources = []
    for name, path, _spec in TABLES:
        fields = []
        required = required_columns(name)
        for column, kind, string_format in columns(name):
            field = {"name": column, "type": kind}
            if string_format:
                field["format"] = string_format
            if column in required:
                field["constraints"] = {"required": True}
            fields.append(field)
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": "id"},
            }
        )
    return {
        "name": "hsds",
        "title": "Human Services Data Specification (HSDS) 3.0",
        "profile": "tabular-data-package",
        "resources": resources,
    }


# Writing


class Tables:
    """Rows per table, each id once, in the order they were first met."""

    def __init__(self):
        self.rows = {name: {} for name, _path, _spec in TABLES}

    def put(self, table, obj, **links):
        row = {
            column: obj.get(column)
            for column in column_names(table)
            if not isinstance(obj.get(column), list | dict)
        }
        for column, value in links.items():
            if value is not None and row.get(column) in (None, ""):
                row[column] = value
        if row["id"] in self.rows[table]:
            return False
        self.rows[table][row["id"]] = row
        return True

    def phones(self, items, **links):
        for phone in items or []:
            self.put("phone", phone, **links)
            for language in phone.get("languages") or []:
                self.put("language", language, phone_id=phone["id"])

    def contacts(self, items, **links):
        for contact in items or []:
            self.put("contact", contact, **links)
            self.phones(contact.get("phones"), contact_id=contact["id"])

    def schedules(self, items, **links):
        for schedule in items or []:
            self.put("schedule", schedule, **links)

    def attributes(self, items):
        for attribute in items or []:
            self.put("attribute", attribute)
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                self.put("taxonomy_term", term)
                if isinstance(term.get("taxonomy_detail"), dict):
                    self.put("taxonomy", term["taxonomy_detail"])

    def location(self, location, organization_id=None):
        if not self.put("location", location, organization_id=organization_id):
            return
        for address in location.get("addresses") or []:
            self.put("address", address, location_id=location["id"])
        for entry in location.get("accessibility") or []:
            self.put("accessibility", entry, location_id=location["id"])
        for language in location.get("languages") or []:
            self.put("language", language, location_id=location["id"])
        self.phones(location.get("phones"), location_id=location["id"])
        self.schedules(location.get("schedules"), location_id=location["id"])
        self.contacts(location.get("contacts"), location_id=location["id"])
        self.attributes(location.get("attributes"))

    def service(self, service, organization_id=None):
        service_id = service["id"]
        self.put("service", service, organization_id=organization_id)
        self.phones(service.get("phones"), service_id=service_id)
        self.schedules(service.get("schedules"), service_id=service_id)
        for area in service.get("service_areas") or []:
            self.put("service_area", area, service_id=service_id)
        for language in service.get("languages") or []:
            self.put("language", language, service_id=service_id)
        for option in service.get("cost_options") or []:
            self.put("cost_option", option, service_id=service_id)
        for document in service.get("required_documents") or []:
            self.put("required_document", document, service_id=service_id)
        for funding in service.get("funding") or []:
            self.put("funding", funding, service_id=service_id)
        for contact in service.get("contacts") or []:
            # The organisation's row has the person's own id; this row links the offer.
            if contact["id"] in self.rows["contact"]:
                contact = {
                    **contact,
                    "id": mapping.derived_id(contact["id"], "service", service_id),
                }
            self.contacts([contact], service_id=service_id)
        self.attributes(service.get("attributes"))
        for sal in service.get("service_at_locations") or []:
            location = sal.get("location") or {}
            location_id = location.get("id") or sal.get("location_id")
            self.put("service_at_location", sal, service_id=service_id, location_id=location_id)
            if location:
                self.location(location)
            self.schedules(
                sal.get("schedules"),
                service_id=service_id,
                service_at_location_id=sal["id"],
                location_id=location_id,
            )
            self.phones(sal.get("phones"), service_at_location_id=sal["id"])
            self.contacts(sal.get("contacts"), service_at_location_id=sal["id"])
            self.attributes(sal.get("attributes"))

    def organization(self, organization):
        organization_id = organization["id"]
        self.put("organization", organization)
        self.contacts(organization.get("contacts"), organization_id=organization_id)
        self.phones(organization.get("phones"), organization_id=organization_id)
        for location in organization.get("locations") or []:
            self.location(location, organization_id=organization_id)
        for funding in organization.get("funding") or []:
            self.put("funding", funding, organization_id=organization_id)
        for identifier in organization.get("organization_identifiers") or []:
            self.put("organization_identifier", identifier, organization_id=organization_id)
        for program in organization.get("programs") or []:
            self.put("program", program, organization_id=organization_id)
        self.attributes(organization.get("attributes"))
        for service in organization.get("services") or []:
            self.service(service, organization_id=organization_id)


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return str(value)


def write_datapackage(folder, organizations):
    """Write `datapackage.json` and one CSV per table into `folder` (created if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = Tables()
    for organization in organizations:
        tables.organization(organization)
    with open(folder / "datapackage.json", "w", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n")
    for name, path, _spec in TABLES:
        names = column_names(name)
        with open(folder / path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(names)
            for row in tables.rows[name].values():
                writer.writerow([cell(row.get(column)) for column in names])
    return {name: len(rows) for name, rows in tables.rows.items()}


# Reading

NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")


def convert(value, kind):
    if kind != "number" or not NUMBER.match(value):
        return value  # not a number: the schema check reports it
    number = float(value)
    return (
        int(number)
        if number.is_integer() and "." not in value and "e" not in value.lower()
        else number
    )


def read_table(file, name, path, sources):
    """Rows of one CSV file as dicts without empty cells; missing files are empty tables.

    `file` is the resolved path (inside the folder: `limits.inside`), `path` its given name.
    """
    from . import limits
    from .importer import ImportFailed, Problem

    if not file.is_file():
        return []
    limits.check_size(file)
    kinds = {column: kind for column, kind, _format in columns(name)}
    # An empty cell is a missing value, except in a column HSDS requires: an empty text there.
    keep_empty = {c for c in required_columns(name) if kinds.get(c) == "string" and c != "id"}
    rows = []
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            for number, raw in enumerate(csv.DictReader(handle), start=2):
                row = {
                    key: convert(value, kinds.get(key, "string"))
                    for key, value in raw.items()
                    if key and (value not in (None, "") or (value == "" and key in keep_empty))
                }
                sources[id(row)] = _("%(file)s, row %(row)d") % {"file": path, "row": number}
                rows.append(row)
    except (UnicodeDecodeError, csv.Error, OSError) as error:
        raise ImportFailed(
            [Problem(name, "", path, _("Not a readable CSV file: %(error)s") % {"error": error})]
        ) from None
    return rows


def read_datapackage(folder):
    """The organisations (and services without one) of a tabular datapackage, as records."""
    from . import limits
    from .importer import ORGANIZATION, SERVICE, ImportFailed, Problem, Record

    folder = Path(folder).resolve()
    paths = dict(PATHS)
    where = {name: name for name in paths}
    descriptor_file = folder / "datapackage.json"
    if descriptor_file.exists():
        package = limits.read_json(descriptor_file)
        resources = package.get("resources") if isinstance(package, dict) else None
        if not isinstance(resources, list):
            raise ImportFailed(
                [
                    Problem(
                        "datapackage",
                        "",
                        str(descriptor_file),
                        _("A datapackage lists its files under resources."),
                    )
                ]
            )
        for number, resource in enumerate(resources):
            if isinstance(resource, dict) and resource.get("name") in paths:
                paths[resource["name"]] = resource.get("path")
                where[resource["name"]] = f"resources[{number}].path"
    elif not any((folder / path).exists() for path in paths.values()):
        raise ImportFailed(
            [
                Problem(
                    "datapackage",
                    "",
                    str(folder),
                    _("This folder holds neither datapackage.json nor HSDS CSV files."),
                )
            ]
        )
    # Only files inside the folder are read, whatever datapackage.json names.
    files, refused = {}, []
    for name, path in paths.items():
        files[name], problem = limits.inside(folder, path, where[name])
        if problem is not None:
            refused.append(problem)
    if refused:
        raise ImportFailed(refused)
    sources = {}
    table = {name: read_table(files[name], name, paths[name], sources) for name in paths}
    by_id = {name: {row["id"]: row for row in rows if "id" in row} for name, rows in table.items()}

    def attach(parent, key, child):
        parent.setdefault(key, []).append(child)

    def home(row, *candidates):
        """The first (table, link column) whose linked object exists."""
        for name, column in candidates:
            target = by_id[name].get(row.get(column))
            if target is not None:
                return target
        return None

    for term in table["taxonomy_term"]:
        taxonomy = by_id["taxonomy"].get(term.get("taxonomy_id"))
        if taxonomy is not None:
            term["taxonomy_detail"] = taxonomy
    for language in table["language"]:
        target = home(
            language, ("phone", "phone_id"), ("service", "service_id"), ("location", "location_id")
        )
        if target is not None:
            attach(target, "languages", language)
    for phone in table["phone"]:
        target = home(
            phone,
            ("contact", "contact_id"),
            ("service_at_location", "service_at_location_id"),
            ("service", "service_id"),
            ("location", "location_id"),
            ("organization", "organization_id"),
        )
        if target is not None:
            attach(target, "phones", phone)
    for contact in table["contact"]:
        target = home(
            contact,
            ("service_at_location", "service_at_location_id"),
            ("service", "service_id"),
            ("location", "location_id"),
            ("organization", "organization_id"),
        )
        if target is not None:
            attach(target, "contacts", contact)
    for schedule in table["schedule"]:
        target = home(
            schedule,
            ("service_at_location", "service_at_location_id"),
            ("service", "service_id"),
            ("location", "location_id"),
        )
        if target is not None:
            attach(target, "schedules", schedule)
    for name, key in (("address", "addresses"), ("accessibility", "accessibility")):
        for row in table[name]:
            target = home(row, ("location", "location_id"))
            if target is not None:
                attach(target, key, row)
    for name, key in (
        ("service_area", "service_areas"),
        ("cost_option", "cost_options"),
        ("required_document", "required_documents"),
    ):
        for row in table[name]:
            target = home(row, ("service", "service_id"))
            if target is not None:
                attach(target, key, row)
    for name, key in (("organization_identifier", "organization_identifiers"),):
        for row in table[name]:
            target = home(row, ("organization", "organization_id"))
            if target is not None:
                attach(target, key, row)
    for attribute in table["attribute"]:
        term = by_id["taxonomy_term"].get(attribute.get("taxonomy_term_id"))
        if term is not None:
            attribute["taxonomy_term"] = term
        for name in ("service", "organization", "location", "service_at_location"):
            target = by_id[name].get(attribute.get("link_id"))
            if target is not None:
                attach(target, "attributes", attribute)
                break
    for sal in table["service_at_location"]:
        location = by_id["location"].get(sal.get("location_id"))
        if location is not None:
            sal["location"] = location
        service = by_id["service"].get(sal.get("service_id"))
        if service is not None:
            attach(service, "service_at_locations", sal)
    for location in table["location"]:
        organization = by_id["organization"].get(location.get("organization_id"))
        if organization is not None:
            attach(organization, "locations", location)
    records, orphans = [], []
    for service in table["service"]:
        organization = by_id["organization"].get(service.get("organization_id"))
        if organization is not None:
            attach(organization, "services", service)
        else:
            orphans.append(service)
    for number, organization in enumerate(table["organization"]):
        records.append(Record(ORGANIZATION, organization, f"$[{number}]", sources))
    for number, service in enumerate(orphans, start=len(records)):
        service.setdefault("status", "active")
        records.append(Record(SERVICE, service, f"$[{number}]", sources))
    return records
