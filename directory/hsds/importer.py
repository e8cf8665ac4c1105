"""HSDS 3.0 into the directory: organisations, their pages, offers, places, hours, terms, contacts.

`read(path)` turns a file (one organisation, one service, a list of either, or a `Page`
envelope) or a folder (an HSDS tabular datapackage) into records; `Importer(...).run(records)`
checks every record against the official schema, then writes everything in one transaction.
Objects are matched by their HSDS id, and an object whose data did not change is not touched, so
importing the same file twice changes nothing the second time. A record that cannot be imported
is reported with its id and JSON path, and then nothing at all is written.

What the mapping keeps and leaves out is described in `mapping`; the importer is its inverse,
so importing an export and exporting again gives the same file. Lotse data HSDS cannot carry
(plain-language summaries, places' social areas, contacts' e-mail addresses, …) is left as it is
when an existing object is updated.
"""

import contextlib
import datetime as dt
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from lotse.network.models import Language, Organisation, Person, SocialArea

from .. import opening_hours
from ..fields import WEEKDAY_CODES
from ..models import (
    DirectoryIndexPage,
    Location,
    OfferLocation,
    OfferPage,
    OpeningHours,
    OrganisationPage,
    TargetGroup,
    Topic,
)
from . import mapping, schemas

ORGANIZATION = "organization"
SERVICE = "service"
SERVICE_AT_LOCATION = "service_at_location"
TAXONOMY = "taxonomy"
BROADER = set(mapping.BROADER_LINK_TYPES.values())
#: Keys only taxonomies and taxonomy terms have (they come with the services that use them).
TAXONOMY_KEYS = {"version", "term_uri", "taxonomy_detail", "taxonomy", "code", "parent_id"}


class ImportFailed(Exception):
    """Nothing was imported; `problems` says which records are invalid, and where."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RecordInvalid(Exception):
    """The current record cannot be imported (its problems are already noted)."""


@dataclass
class Problem:
    kind: str
    id: str
    path: str
    message: str
    source: str = ""

    def __str__(self):
        where = f"{self.path} ({self.source})" if self.source else self.path
        label = self.kind if not self.id else f"{self.kind} {self.id}"
        return f"{label}, {where}: {self.message}"


@dataclass
class Record:
    """One organisation or service of the input, and where it is in the input."""

    kind: str
    data: dict
    path: str
    #: id(object) -> where it came from (a CSV file and row), for tabular input
    sources: dict = field(default_factory=dict)

    @property
    def id(self):
        return str(self.data.get("id", "")) if isinstance(self.data, dict) else ""

    @property
    def units(self):
        """Steps of the progress bar: the record and, for an organisation, each service."""
        services = self.data.get("services") if isinstance(self.data, dict) else None
        return 1 + (len(services) if isinstance(services, list) else 0)


# Reading


def read(path):
    """The records in a JSON file or an HSDS tabular datapackage folder."""
    from . import limits

    path = Path(path)
    if path.is_dir():
        from .datapackage import read_datapackage

        return read_datapackage(path)
    return records_from_json(limits.read_json(path))


def records_from_json(document):
    """Records of a parsed document: a record, a list of records, or a `Page` envelope."""
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, prefix = document["contents"], "$.contents"
    elif isinstance(document, list):
        items, prefix = document, "$"
    else:
        return [classify(document, "$")]
    return [classify(item, f"{prefix}[{number}]") for number, item in enumerate(items)]


def classify(item, path):
    """A service has a status (required by HSDS); an organisation never has one.

    Other HSDS objects are recognised only to say that they cannot be imported on their own.
    """
    if isinstance(item, dict) and "status" in item:
        return Record(SERVICE, item, path)
    if isinstance(item, dict) and isinstance(item.get("service"), dict) and "location" in item:
        return Record(SERVICE_AT_LOCATION, item, path)
    if isinstance(item, dict) and "services" not in item and TAXONOMY_KEYS & set(item):
        return Record(TAXONOMY, item, path)
    return Record(ORGANIZATION, item, path)


# Checking


def json_path(prefix, parts):
    text = prefix
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


#: The HSDS object under a key of a nested document ("schedules" holds schedules).
OBJECT_OF_KEY = {
    "addresses": "address",
    "accessibility": "accessibility",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
    "organization": "organization",
    "location": "location",
    "service": "service",
    "program": "program",
    "funding": "funding",
}


def innermost(document, parts, sources, kind):
    """(kind, id, source) of the innermost object with an id along `parts` of `document`."""
    found_id, found_source, node = "", sources.get(id(document), ""), document
    if isinstance(node, dict) and node.get("id"):
        found_id = str(node["id"])
    key = None
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, str):
            key = part
        if isinstance(node, dict):
            if node.get("id") and key:
                found_id = str(node["id"])
                kind = OBJECT_OF_KEY.get(key, key[:-1] if key.endswith("s") else key)
            found_source = sources.get(id(node), found_source)
    return kind, found_id, found_source


def schema_problems(records, limit=200):
    """Every record checked against the official compiled schema of its kind."""
    problems = []
    for record in records:
        if not isinstance(record.data, dict) or record.kind not in (ORGANIZATION, SERVICE):
            if record.kind == SERVICE_AT_LOCATION:
                message = _("Import the service of this service_at_location, or its organization.")
            elif record.kind == TAXONOMY:
                message = _("Taxonomies and their terms come with the services that use them.")
            else:
                message = _("Expected an HSDS organization or service.")
            problems.append(Problem(record.kind, record.id, record.path, message))
            continue
        for error in schemas.errors(record.kind, record.data):
            parts = list(error.absolute_path)
            kind, object_id, source = innermost(record.data, parts, record.sources, record.kind)
            problems.append(
                Problem(
                    kind,
                    object_id,
                    json_path(record.path, parts),
                    error.message,
                    source,
                )
            )
            if len(problems) >= limit:
                return problems
    return problems


# Values


def text(data, key):
    value = data.get(key)
    return "" if value is None else str(value).strip()


def as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$", re.I)
BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


class Importer:
    """One import run; `run()` writes everything or nothing."""

    def __init__(self, publish=True, progress=None):
        self.publish = publish
        self.progress = progress
        self.counts = {}
        self.warnings = []
        self.problems = []
        self.record, self.record_start, self.service_start = None, 0, 0

    # Bookkeeping

    def count(self, what, outcome):
        self.counts.setdefault(what, Counter())[outcome] += 1

    def warn(self, path, message):
        self.warnings.append(f"{path}: {message}")

    def problem(self, path, message):
        record = self.record
        if record is None:
            self.problems.append(Problem("", "", path, str(message)))
            return
        kind, object_id, source = innermost(
            record.data, _parts(record, path), record.sources, record.kind
        )
        self.problems.append(Problem(kind, object_id, path, str(message), source))

    def record_failed(self):
        """Did the current record run into problems so far?"""
        return len(self.problems) > self.record_start

    def service_failed(self):
        """Did the service being imported run into problems so far?"""
        return len(self.problems) > self.service_start

    def check(self, instance, path, fields=None, exclude=None):
        """`instance.full_clean()`; its errors become problems at the HSDS paths of the fields."""
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            fields = fields or {}
            for name, messages in error.message_dict.items():
                where = path if name == NON_FIELD_ERRORS else f"{path}{fields.get(name, '')}"
                for message in messages:
                    self.problem(where, message)
            return False
        return True

    # The run

    def run(self, records, dry_run=False):
        """Import `records`; raises ImportFailed, and then nothing is written."""
        from . import limits

        # Sizes and text first: the schema check need not read a text of megabytes.
        problems = limits.record_problems(records) or schema_problems(records)
        if problems:
            raise ImportFailed(problems)
        self.files_terms = collect_terms(records)
        with transaction.atomic():
            self.index = None
            self.seen = {"schedule": {}, "service_at_location": {}, "service": {}}
            self.organisations, self.locations, self.persons, self.terms = {}, {}, {}, {}
            self.pending_parents = []
            self.pending_term_parents = {}
            for record in records:
                self.record, self.record_start = record, len(self.problems)
                try:
                    with transaction.atomic():
                        if record.kind == ORGANIZATION:
                            self.import_organization(record.data, record.path)
                        else:
                            self.import_service(record.data, record.path, None)
                except RecordInvalid:
                    self.forget()
                except DatabaseError as error:
                    self.problem(
                        record.path, _("The database refused it: %(error)s") % {"error": error}
                    )
                    self.forget()
            if not self.problems:
                self.record = records[0] if records else None
                self.link_parents()
            if self.problems:
                raise ImportFailed(self.problems)
            if dry_run:
                transaction.set_rollback(True)
        return self

    def forget(self, organisations=True):
        """Objects written in a savepoint that was rolled back are not there any more."""
        self.index = None
        self.locations, self.persons, self.terms = {}, {}, {}
        if organisations:
            self.organisations = {}

    def step(self, units=1):
        if self.progress is not None:
            self.progress(units)

    # Directory pages

    def directory_index(self):
        if self.index is not None:
            return self.index
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        site = site or Site.objects.select_related("root_page").first()
        if site is None:
            self.problem("$", _("There is no Wagtail site to import into."))
            raise RecordInvalid
        root = site.root_page
        index = DirectoryIndexPage.objects.descendant_of(root, inclusive=True).first()
        if index is None:
            with translation.override(settings.LANGUAGE_CODE):
                title = _("Find help")
            index = DirectoryIndexPage(title=title, slug=free_slug(root, title) or "directory")
            root.add_child(instance=index)
            index.save_revision().publish()
            self.count("directory_pages", "created")
        self.index = index
        return index

    def organisation_page(self, organisation):
        page = OrganisationPage.objects.filter(organisation=organisation).first()
        if page is not None:
            if self.publish and not page.live and page.first_published_at is None:
                # A draft an earlier import with --unpublished made: published with its offers.
                page.get_latest_revision().publish()
                self.count("organisation_pages", "updated")
                page = OrganisationPage.objects.get(pk=page.pk)
            return page
        index = self.directory_index()
        page = OrganisationPage(
            title=organisation.name,
            slug=free_slug(index, organisation.name) or str(organisation.hsds_id),
            organisation=organisation,
            live=False,
        )
        index.add_child(instance=page)
        revision = page.save_revision()
        if self.publish:
            revision.publish()
        self.count("organisation_pages", "created")
        return OrganisationPage.objects.get(pk=page.pk)

    # Organisations

    ORGANISATION_FIELDS = {
        "name": ".name",
        "short_name": ".alternate_name",
        "slug": ".name",
        "description": ".description",
        "website": ".website",
        "email": ".email",
        "phone": ".phones[0].number",
        "kind": ".attributes",
    }

    def import_organization(self, data, path):
        organisation = self.upsert_organisation(data, path)
        for number, item in enumerate(data.get("contacts") or []):
            self.upsert_person(item, organisation, f"{path}.contacts[{number}]")
        for number, item in enumerate(data.get("locations") or []):
            self.upsert_location(item, organisation, f"{path}.locations[{number}]")
            for key in ("contacts",):
                for inner, person in enumerate(item.get(key) or []):
                    self.upsert_person(
                        person, organisation, f"{path}.locations[{number}].{key}[{inner}]"
                    )
        self.step()
        for number, item in enumerate(data.get("services") or []):
            # Each service in a savepoint of its own: after a bad one, the next are checked too.
            try:
                with transaction.atomic():
                    self.import_service(item, f"{path}.services[{number}]", organisation)
            except RecordInvalid:
                self.forget(organisations=False)
        if self.record_failed():
            raise RecordInvalid

    def upsert_organisation(self, data, path):
        hsds_id = as_uuid(data["id"])
        if hsds_id in self.organisations:
            return self.organisations[hsds_id]
        organisation = Organisation.objects.filter(hsds_id=hsds_id).first()
        kinds = [
            text(a, "value")
            for a in data.get("attributes") or []
            if text(a, "link_type") == mapping.ORGANISATION_KIND
        ]
        kind = next((k for k in kinds if k in Organisation.Kind.values), None)
        if kinds and kind is None:
            self.warn(
                f"{path}.attributes",
                _("Unknown kind of organisation: %(kind)s") % {"kind": kinds[0]},
            )
        values = {
            "name": text(data, "name"),
            "short_name": self.fit(text(data, "alternate_name"), 60, f"{path}.alternate_name"),
            "description": data.get("description") or "",
            "website": text(data, "website"),
            "email": text(data, "email"),
        }
        if "phones" in data:
            phones = [text(p, "number") for p in data["phones"] or [] if text(p, "number")]
            values["phone"] = phones[0] if phones else ""
        if kind or organisation is None:
            values["kind"] = kind or Organisation.Kind.OTHER
        parent_id = as_uuid(data.get("parent_organization_id"))
        if organisation is None:
            organisation = Organisation(hsds_id=hsds_id, **values)
            organisation.slug = free_model_slug(Organisation, values["name"], 200)
            if not self.check(organisation, path, self.ORGANISATION_FIELDS):
                raise RecordInvalid
            organisation.save()
            self.count("organisations", "created")
        elif changed(organisation, values):
            for name, value in values.items():
                setattr(organisation, name, value)
            if not self.check(organisation, path, self.ORGANISATION_FIELDS):
                raise RecordInvalid
            organisation.save()
            self.count("organisations", "updated")
        else:
            self.count("organisations", "unchanged")
        if parent_id:
            self.pending_parents.append((organisation, parent_id, f"{path}.parent_organization_id"))
        self.organisations[hsds_id] = organisation
        return organisation

    def organisation_of_service(self, data, path):
        nested = data.get("organization")
        if isinstance(nested, dict) and nested.get("id"):
            return self.upsert_organisation(nested, f"{path}.organization")
        organisation_id = as_uuid(data.get("organization_id"))
        organisation = (
            Organisation.objects.filter(hsds_id=organisation_id).first()
            if organisation_id
            else None
        )
        if organisation is None:
            self.problem(
                f"{path}.organization_id",
                _("The service's organization is neither in the file nor in the directory."),
            )
            raise RecordInvalid
        return organisation

    def link_parents(self):
        """Broader organisations and terms, once every record is in."""
        for organisation, parent_id, path in self.pending_parents:
            parent = Organisation.objects.filter(hsds_id=parent_id).first()
            if parent is None:
                self.warn(
                    path, _("Unknown parent organization %(id)s: left out.") % {"id": parent_id}
                )
                continue
            if organisation.parent_id != parent.pk:
                organisation.parent = parent
                if self.check(organisation, path, {"parent": ""}):
                    organisation.save(update_fields=["parent", "updated_at"])
        for term, (parent_id, path) in self.pending_term_parents.items():
            parent = type(term).objects.filter(hsds_id=parent_id).first()
            if parent is None:
                self.warn(path, _("Unknown broader term %(id)s: left out.") % {"id": parent_id})
                continue
            if term.parent_id != parent.pk:
                term.parent = parent
                if self.check(term, path, {"parent": ""}):
                    term.save(update_fields=["parent"])

    # People

    def upsert_person(self, data, organisation, path):
        hsds_id = as_uuid(data.get("id"))
        if hsds_id in self.persons:
            return self.persons[hsds_id]
        person = Person.objects.filter(hsds_id=hsds_id).first()
        name, title = text(data, "name"), text(data, "title")
        if person is None and name:
            # A contact listed again under a service, with an id of its own (tabular data).
            person = Person.objects.filter(
                organisation=organisation, name=name[:150], function=title[:150]
            ).first()
            if person is not None:
                self.persons[hsds_id] = person
                return person
        phones = [text(p, "number") for p in data.get("phones") or [] if text(p, "number")]
        values = {
            "name": self.fit(name or title or _("Contact"), 150, f"{path}.name"),
            "function": self.fit(title, 150, f"{path}.title"),
        }
        # Not in our own exports: kept as they are unless the data gives them.
        if text(data, "email"):
            values["email"] = text(data, "email")
        if phones:
            values["phone"] = phones[0]
        fields = {"name": ".name", "function": ".title", "email": ".email"}
        fields["phone"] = ".phones[0].number"
        if person is None:
            person = Person(
                hsds_id=hsds_id, organisation=organisation, accepts_handovers=False, **values
            )
            if not self.check(person, path, fields):
                raise RecordInvalid
            person.save()
            self.count("contacts", "created")
        elif changed(person, values):
            for key, value in values.items():
                setattr(person, key, value)
            if not self.check(person, path, fields):
                raise RecordInvalid
            person.save()
            self.count("contacts", "updated")
        else:
            self.count("contacts", "unchanged")
        self.persons[hsds_id] = person
        return person

    # Places

    LOCATION_FIELDS = {
        "name": ".name",
        "street": ".addresses[0].address_1",
        "postcode": ".addresses[0].postal_code",
        "town": ".addresses[0].city",
        "country": ".addresses[0].country",
        "latitude": ".latitude",
        "longitude": ".longitude",
        "accessibility_notes": ".accessibility",
    }

    def upsert_location(self, data, organisation, path):
        """The place, or None for a place without an address (virtual)."""
        hsds_id = as_uuid(data.get("id"))
        if hsds_id in self.locations:
            return self.locations[hsds_id]
        place = Location.objects.filter(hsds_id=hsds_id).first()
        addresses = [a for a in data.get("addresses") or [] if isinstance(a, dict)]
        physical = [a for a in addresses if a.get("address_type") == "physical"]
        address = (physical or addresses or [None])[0]
        if address is None:
            if place is None:
                self.warn(path, _("A place without an address (virtual) is left out."))
            self.locations[hsds_id] = place
            return place
        values = self.location_values(data, address, path)
        if place is None:
            place = Location(hsds_id=hsds_id, organisation=organisation, **values)
            if not self.check(place, path, self.LOCATION_FIELDS, exclude=["social_area"]):
                raise RecordInvalid
            place.save()
            self.count("places", "created")
        elif changed(place, values):
            for key, value in values.items():
                setattr(place, key, value)
            if not self.check(place, path, self.LOCATION_FIELDS):
                raise RecordInvalid
            place.save()
            self.count("places", "updated")
        else:
            self.count("places", "unchanged")
        self.locations[hsds_id] = place
        return place

    def location_values(self, data, address, path):
        street = text(address, "address_1")
        town = text(address, "city")
        name = text(data, "name") or ", ".join(part for part in (street, town) if part)
        values = {
            "name": self.fit(name, 200, f"{path}.name"),
            "street": street,
            "postcode": text(address, "postal_code"),
            "town": town,
            "country": text(address, "country").upper(),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
        }
        lat, lon = values["latitude"], values["longitude"]
        if (lat is not None and not -90 <= lat <= 90) or (
            lon is not None and not -180 <= lon <= 180
        ):
            self.warn(
                path,
                _("Coordinates %(lat)s, %(lon)s lie outside the earth's range: left out.")
                % {"lat": lat, "lon": lon},
            )
            values["latitude"] = values["longitude"] = None
        if "accessibility" not in data:
            return values  # an existing place keeps what it has
        features = dict.fromkeys(mapping.ACCESSIBILITY_FEATURES, False)
        notes = []
        for entry in data.get("accessibility") or []:
            entry_id = str(entry.get("id", ""))
            feature = next(
                (
                    name
                    for name in mapping.ACCESSIBILITY_FEATURES
                    if entry_id == mapping.derived_id(data["id"], "accessibility", name)
                ),
                None,
            )
            if feature:
                features[feature] = True
                continue
            parts = [text(entry, "description"), text(entry, "details"), text(entry, "url")]
            note = "\n".join(part for part in parts if part)
            if note:
                notes.append(note)
        values.update(features)
        values["accessibility_notes"] = "\n\n".join(notes)
        return values

    # Terms

    def upsert_term(self, data, path):
        hsds_id = as_uuid(data.get("id"))
        if hsds_id in self.terms:
            return self.terms[hsds_id]
        data = {**self.files_terms.get(hsds_id, {}), **data}
        term = (
            Topic.objects.filter(hsds_id=hsds_id).first()
            or TargetGroup.objects.filter(hsds_id=hsds_id).first()
        )
        taxonomy_ids = {
            as_uuid(data.get("taxonomy_id")),
            as_uuid((data.get("taxonomy_detail") or {}).get("id")),
        }
        model = type(term) if term is not None else Topic
        if term is None and mapping.TAXONOMY_IDS[mapping.TARGET_GROUPS] in taxonomy_ids:
            model = TargetGroup
        if not text(data, "name"):
            if term is None:
                self.warn(path, _("Unknown taxonomy term %(id)s: left out.") % {"id": hsds_id})
                self.terms[hsds_id] = None
                return None
            self.terms[hsds_id] = term
            return term
        values = {
            "name": self.fit(text(data, "name"), 120, f"{path}.name"),
            "description": text(data, "description"),
        }
        code = slugify(text(data, "code"))[:120]
        if code and (term is None or term.slug != code):
            clash = model.objects.filter(slug=code)
            if term is not None:
                clash = clash.exclude(pk=term.pk)
            if not clash.exists():
                values["slug"] = code
        fields = {"name": ".name", "slug": ".code", "description": ".description"}
        if term is None:
            term = model(hsds_id=hsds_id, **values)
            if "slug" not in values:
                term.slug = free_model_slug(model, values["name"], 120)
            if not self.check(term, path, fields, exclude=["parent"]):
                raise RecordInvalid
            term.save()
            self.count("terms", "created")
        elif changed(term, values):
            for key, value in values.items():
                setattr(term, key, value)
            if not self.check(term, path, fields):
                raise RecordInvalid
            term.save()
            self.count("terms", "updated")
        else:
            self.count("terms", "unchanged")
        parent_id = as_uuid(data.get("parent_id"))
        if parent_id:
            self.pending_term_parents[term] = (parent_id, f"{path}.parent_id")
        self.terms[hsds_id] = term
        return term

    # Offers

    OFFER_FIELDS = {
        "title": ".name",
        "slug": ".name",
        "summary": ".description",
        "description": ".description",
        "website": ".url",
        "email": ".email",
        "how_to_apply": ".application_process",
        "eligibility": ".eligibility_description",
        "fee_description": ".fees_description",
        "is_free": ".cost_options",
        "what_to_bring": ".required_documents",
        "min_age": ".minimum_age",
        "max_age": ".maximum_age",
        "phone": ".phones[0].number",
        "handover_contact": ".contacts[0]",
    }
    #: Offer fields the import writes (compared to tell a change from a repeated import).
    CONTENT_FIELDS = (
        "title",
        "summary",
        "description",
        "website",
        "email",
        "how_to_apply",
        "eligibility",
        "is_free",
        "fee_description",
        "what_to_bring",
        "min_age",
        "max_age",
        "phone",
        "handover_contact_id",
    )
    HOURS_FIELDS = (
        "hsds_id",
        "kind",
        "location_id",
        "weekdays",
        "opens_at",
        "closes_at",
        "frequency",
        "interval",
        "week_of_month",
        "valid_from",
        "valid_to",
        "note",
    )
    SCHEDULE_FIELDS = {
        "kind": ".attending_type",
        "weekdays": ".byday",
        "week_of_month": ".byday",
        "frequency": ".freq",
        "interval": ".interval",
        "opens_at": ".opens_at",
        "closes_at": ".closes_at",
        "valid_from": ".valid_from",
        "valid_to": ".valid_to",
        "note": ".description",
        "location": "",
    }

    def import_service(self, data, path, organisation):
        self.service_start = len(self.problems)
        if organisation is None:
            organisation = self.organisation_of_service(data, path)
        hsds_id = as_uuid(data["id"])
        if hsds_id in self.seen["service"]:
            self.problem(
                f"{path}.id",
                _("The same service id is also at %(other)s.")
                % {"other": self.seen["service"][hsds_id]},
            )
            raise RecordInvalid
        self.seen["service"][hsds_id] = path
        values, relations, places, hours = self.offer_values(data, organisation, path)
        rows = [*(hours["places"] or []), *(hours["remote"] or [])]
        for index, message in opening_hours.too_many(row.location for row, _path in rows):
            self.problem(rows[index][1], message)
        existing = OfferPage.objects.filter(hsds_id=hsds_id).first()
        for key, rows in (
            ("service_at_location", places or []),
            ("schedule", [*(hours["places"] or []), *(hours["remote"] or [])]),
        ):
            model = OfferLocation if key == "service_at_location" else OpeningHours
            for row, row_path in rows:
                other = self.seen[key].get(row.hsds_id)
                if other:
                    self.problem(
                        f"{row_path}.id",
                        _("The same id is also at %(other)s.") % {"other": other},
                    )
                self.seen[key][row.hsds_id] = row_path
                taken = model.objects.filter(hsds_id=row.hsds_id)
                if existing is not None:
                    taken = taken.exclude(offer_id=existing.pk)
                if taken.exists():
                    self.problem(
                        f"{row_path}.id",
                        _("This id belongs to another service in the directory."),
                    )
        metadata = self.metadata(data, path)
        if self.service_failed():
            raise RecordInvalid
        parent = self.organisation_page(organisation)
        content = (values, relations, places, hours)
        if existing is None:
            self.create_offer(hsds_id, parent, organisation, content, metadata, path)
        else:
            self.update_offer(existing, parent, organisation, content, metadata, path)
        self.step()

    def offer_values(self, data, organisation, path):
        """What a service says about an offer: (fields, relations, places, hours).

        An array the service leaves out leaves that part of an existing offer as it is (a list
        item has no hours, say); an empty array empties it. `places` is a list of
        (OfferLocation, path) or None; `hours` maps "places" (hours at the service's places)
        and "remote" (hours without a place) to lists of (OpeningHours, path) or None.
        """
        title = text(data, "name")
        description = data.get("description")
        summary, body = mapping.split_description(description if description else "")
        if not summary.strip():
            summary = ""
        values = {
            "title": title,
            "summary": summary or mapping.shorten(title, mapping.SUMMARY_LENGTH),
            "description": body,
            "website": text(data, "url"),
            "email": text(data, "email"),
            "how_to_apply": text(data, "application_process"),
            "eligibility": text(data, "eligibility_description"),
            "min_age": self.age(data, "minimum_age", path),
            "max_age": self.age(data, "maximum_age", path),
        }
        fees = text(data, "fees_description") or text(data, "fees")
        if "cost_options" in data or fees:
            options = [o for o in data.get("cost_options") or [] if isinstance(o, dict)]
            values["is_free"] = any(o.get("amount") == 0 for o in options) or not (options or fees)
            if not values["is_free"] and not fees:
                fees = "; ".join(describe_cost(o) for o in options if describe_cost(o))
            values["fee_description"] = self.fit(fees, 300, f"{path}.fees_description")
        if "phones" in data:
            phones = [text(p, "number") for p in data["phones"] or [] if text(p, "number")]
            values["phone"] = phones[0] if phones else ""
        if "required_documents" in data:
            documents = [text(d, "document") for d in data["required_documents"] or []]
            values["what_to_bring"] = "\n\n".join(d for d in documents if d)
        if "contacts" in data:
            contacts = [
                self.upsert_person(item, organisation, f"{path}.contacts[{number}]")
                for number, item in enumerate(data["contacts"] or [])
            ]
            values["handover_contact_id"] = contacts[0].pk if contacts else None
        relations = {}
        if "attributes" in data:
            relations["topics"], relations["target_groups"] = [], []
            for number, attribute in enumerate(data["attributes"] or []):
                term_data = attribute.get("taxonomy_term") or {}
                term_id = term_data.get("id") or attribute.get("taxonomy_term_id")
                if not term_id:
                    continue
                term = self.upsert_term(
                    {**term_data, "id": term_id}, f"{path}.attributes[{number}].taxonomy_term"
                )
                if term is None or text(attribute, "link_type") in BROADER:
                    continue
                key = "target_groups" if isinstance(term, TargetGroup) else "topics"
                add_once(relations[key], term)
        if "languages" in data:
            relations["languages"] = []
            for number, item in enumerate(data["languages"] or []):
                language = self.language(item, f"{path}.languages[{number}]")
                if language is not None:
                    add_once(relations["languages"], language)
        if "service_areas" in data:
            relations["service_areas"] = []
            for number, item in enumerate(data["service_areas"] or []):
                area = self.service_area(item, f"{path}.service_areas[{number}]")
                add_once(relations["service_areas"], area)
        places = None
        hours = {"places": None, "remote": None}
        if "service_at_locations" in data:
            places, hours["places"] = self.places(data, organisation, path)
        if "schedules" in data:
            seen = {row.hsds_id for row, _p in hours["places"] or []}
            hours["remote"] = [
                self.schedule(schedule, None, f"{path}.schedules[{number}]")
                for number, schedule in enumerate(data["schedules"] or [])
                # The same schedule may be given at a place, too.
                if as_uuid(schedule.get("id")) not in seen
            ]
        return values, relations, places, hours

    def places(self, data, organisation, path):
        places, hours = [], []
        for number, item in enumerate(data["service_at_locations"] or []):
            item_path = f"{path}.service_at_locations[{number}]"
            location_data = item.get("location")
            place = None
            if isinstance(location_data, dict) and location_data.get("id"):
                place = self.upsert_location(location_data, organisation, f"{item_path}.location")
            elif as_uuid(item.get("location_id")):
                place = Location.objects.filter(hsds_id=as_uuid(item["location_id"])).first()
                if place is None:
                    self.problem(f"{item_path}.location_id", _("Unknown location."))
                    raise RecordInvalid
            if place is None:
                continue
            for inner, person in enumerate(item.get("contacts") or []):
                self.upsert_person(person, organisation, f"{item_path}.contacts[{inner}]")
            if any(row.location_id == place.pk for row, _p in places):
                self.problem(f"{item_path}.location", _("This place is listed twice."))
                continue
            note = self.fit(text(item, "description"), 200, f"{item_path}.description")
            row = OfferLocation(hsds_id=as_uuid(item["id"]), location=place, note=note)
            places.append((row, item_path))
            for inner, schedule in enumerate(item.get("schedules") or []):
                hours.append(self.schedule(schedule, place, f"{item_path}.schedules[{inner}]"))
        return places, hours

    def age(self, data, key, path):
        value = data.get(key)
        if value is None:
            return None
        if value < 0 or value != int(value):
            self.problem(f"{path}.{key}", _("Give the age in whole years."))
            return None
        return int(value)

    def language(self, data, path):
        code = text(data, "code").lower()
        name = text(data, "name")
        if not code:
            language = Language.objects.filter(name__iexact=name).first() if name else None
            if language is None:
                self.warn(path, _("A language without a code is left out."))
            return language
        if len(code) > 8:
            self.problem(f"{path}.code", _("Not an ISO 639 language code."))
            return None
        language = Language.objects.filter(code=code).first()
        if language is None:
            language = Language.objects.create(code=code, name=(name or code)[:100])
            self.count("languages", "created")
        return language

    def service_area(self, data, path):
        hsds_id = as_uuid(data["id"])
        area = SocialArea.objects.filter(hsds_id=hsds_id).first()
        if area is None:
            name = self.fit(
                text(data, "name") or text(data, "description") or str(hsds_id), 150, f"{path}.name"
            )
            area = SocialArea(
                hsds_id=hsds_id,
                name=name,
                kind=SocialArea.Kind.SOCIAL_AREA,
                slug=free_model_slug(SocialArea, name, 150),
            )
            if not self.check(area, path, {"name": ".name"}):
                raise RecordInvalid
            area.save()
            self.count("service_areas", "created")
        return area

    def schedule(self, data, place, path):
        """An OpeningHours row (unsaved) from an HSDS schedule, and its path."""
        hours = OpeningHours(hsds_id=as_uuid(data["id"]), location=place)
        freq = text(data, "freq").upper() or "WEEKLY"
        hours.frequency = (
            OpeningHours.Frequency.MONTHLY if freq == "MONTHLY" else OpeningHours.Frequency.WEEKLY
        )
        interval = data.get("interval")
        hours.interval = int(interval) if interval is not None and interval == int(interval) else 1
        days, ordinals = [], set()
        for token in [t.strip().upper() for t in text(data, "byday").split(",") if t.strip()]:
            match = BYDAY.match(token)
            if not match:
                self.problem(f"{path}.byday", _("Not a weekday: %(day)s") % {"day": token})
                continue
            if match.group(2) not in days:
                days.append(match.group(2))
            if match.group(1):
                ordinals.add(int(match.group(1)))
        hours.weekdays = sorted(days, key=WEEKDAY_CODES.index)
        if hours.frequency == OpeningHours.Frequency.MONTHLY:
            if len(ordinals) > 1 or (ordinals and next(iter(ordinals)) not in (1, 2, 3, 4, -1)):
                self.problem(
                    f"{path}.byday",
                    _(
                        "Lotse keeps one week of the month per schedule "
                        "(1 to 4, or -1 for the last)."
                    ),
                )
            elif ordinals:
                hours.week_of_month = next(iter(ordinals))
            elif text(data, "bymonthday"):
                self.problem(
                    f"{path}.bymonthday",
                    _("Monthly hours on days of the month are not supported; give byday."),
                )
        for key in ("byweekno", "byyearday") + (
            ("bymonthday",) if hours.frequency == OpeningHours.Frequency.WEEKLY else ()
        ):
            if text(data, key):
                self.warn(f"{path}.{key}", _("Not supported by Lotse: left out."))
        hours.opens_at = self.time(data, "opens_at", path)
        hours.closes_at = self.time(data, "closes_at", path)
        hours.valid_from = self.date(data, "valid_from", path)
        hours.valid_to = self.date(data, "valid_to", path) or self.date(data, "until", path)
        if hours.valid_from is None and hours.interval > 1:
            hours.valid_from = self.date(data, "dtstart", path)
        hours.kind = self.kind(text(data, "attending_type"), place, hours)
        hours.note = self.schedule_note(data, hours, path)
        # The id is checked against other services' rows in `import_service`.
        self.check(hours, path, self.SCHEDULE_FIELDS, exclude=["offer", "hsds_id"])
        return hours, path

    def kind(self, attending_type, place, hours):
        wanted = attending_type.casefold()
        if wanted:
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for code, label in OpeningHours.Kind.choices:
                        if wanted in (code, str(label).casefold()):
                            return code
        if place is not None:
            return OpeningHours.Kind.IN_PERSON
        return OpeningHours.Kind.APPOINTMENT

    def schedule_note(self, data, hours, path):
        """The description, unless it only says in words what the fields say."""
        description = text(data, "description")
        generated = set()
        for language, _name in settings.LANGUAGES:
            with (
                translation.override(language),
                contextlib.suppress(TypeError, ValueError, AttributeError),
            ):
                generated.add(opening_hours.describe(hours))
        note = description if description and description not in generated else ""
        note = note or text(data, "notes")
        return self.fit(note, 200, f"{path}.description")

    def time(self, data, key, path):
        value = text(data, key)
        if not value:
            return None
        match = TIME.match(value)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            self.problem(f"{path}.{key}", _("Not a time of day: %(value)s") % {"value": value})
            return None
        return dt.time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))

    def date(self, data, key, path):
        value = text(data, key)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            self.problem(
                f"{path}.{key}", _("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}
            )
            return None

    def fit(self, value, length, path):
        if len(value) <= length:
            return value
        self.warn(path, _("Shortened to %(length)d characters.") % {"length": length})
        return mapping.shorten(value, length)

    def metadata(self, data, path):
        """confirmed_at from assured_date, last_published_at from last_modified."""
        confirmed = self.date(data, "assured_date", path)
        if confirmed is not None:
            confirmed = timezone.make_aware(dt.datetime.combine(confirmed, dt.time()))
        modified = None
        if text(data, "last_modified"):
            value = text(data, "last_modified").replace("Z", "+00:00").replace("z", "+00:00")
            try:
                modified = dt.datetime.fromisoformat(value)
            except ValueError:
                self.problem(f"{path}.last_modified", _("Not a date and time."))
            else:
                if timezone.is_naive(modified):
                    modified = timezone.make_aware(modified, dt.UTC)
        return confirmed, modified

    def apply(self, page, values, relations, places, hours):
        """Set the offer's content on `page` (a page object or a revision's copy of it)."""
        for name, value in values.items():
            if name == "description":
                if mapping.html_to_text(page.description) != mapping.normalise_text(value):
                    page.description = mapping.text_to_html(value)
            else:
                setattr(page, name, value)
        for name, objects in relations.items():
            setattr(page, name, objects)
        if places is not None:
            existing = {row.hsds_id: row for row in page.offer_locations.all()}
            rows = []
            for number, (row, _path) in enumerate(places):
                kept = existing.get(row.hsds_id)
                if kept is not None:
                    kept.location, kept.note = row.location, row.note
                    row = kept
                row.sort_order = number
                rows.append(row)
            page.offer_locations = rows
        if hours["places"] is None and hours["remote"] is None:
            return
        current = list(page.opening_hours.all())
        at_places = hours["places"]
        if at_places is None:
            at_places = [(row, None) for row in current if row.location_id is not None]
        remote = hours["remote"]
        if remote is None:
            remote = [(row, None) for row in current if row.location_id is None]
        existing = {row.hsds_id: row for row in current}
        rows = []
        for number, (row, _path) in enumerate([*at_places, *remote]):
            kept = existing.get(row.hsds_id)
            if kept is not None and kept is not row:
                for name in self.HOURS_FIELDS:
                    if name not in ("hsds_id", "location_id"):
                        setattr(kept, name, getattr(row, name))
                kept.location = row.location
                row = kept
            row.sort_order = number
            rows.append(row)
        page.opening_hours = rows

    def content(self, page):
        return (
            tuple(
                mapping.html_to_text(page.description)
                if name == "description"
                else getattr(page, name)
                for name in self.CONTENT_FIELDS
            ),
            tuple(
                tuple(sorted(obj.pk for obj in getattr(page, name).all()))
                for name in ("topics", "target_groups", "languages", "service_areas")
            ),
            tuple((r.hsds_id, r.location_id, r.note) for r in page.offer_locations.all()),
            # HSDS lists hours per place, so their order across places is not data.
            tuple(
                sorted(
                    tuple(
                        tuple(getattr(r, n)) if n == "weekdays" else getattr(r, n)
                        for n in self.HOURS_FIELDS
                    )
                    for r in page.opening_hours.all()
                )
            ),
        )

    def validate_offer(self, page, places, hours, path, new):
        ok = self.check(
            page,
            path,
            self.OFFER_FIELDS,
            exclude=["path", "depth", "numchild", "url_path"] if new else None,
        )
        for row, row_path in places or []:
            ok = (
                self.check(row, row_path, {"note": ".description"}, exclude=["offer", "hsds_id"])
                and ok
            )
        if not ok or self.service_failed():
            raise RecordInvalid

    def create_offer(self, hsds_id, parent, organisation, content, metadata, path):
        values, relations, places, hours = content
        page = OfferPage(hsds_id=hsds_id, organisation=organisation, live=False)
        self.apply(page, values, relations, places, hours)
        page.slug = free_slug(parent, page.title) or str(hsds_id)
        self.validate_offer(page, places, hours, path, new=True)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if self.publish:
            revision.publish()
            self.set_metadata(page, *metadata)
        self.count("offers", "created")

    def update_offer(self, offer, parent, organisation, content, metadata, path):
        values, relations, places, hours = content
        moved = offer.get_parent().pk != parent.pk
        # Publishing compares with what the public sees (a partner's draft waiting for review
        # stays as it is if the data brings nothing new); drafts build on the newest revision.
        live_base = self.publish and offer.live
        page = offer if live_base else offer.get_latest_revision_as_object()
        before = self.content(page)
        self.apply(page, values, relations, places, hours)
        page.organisation = organisation
        self.validate_offer(page, places, hours, path, new=False)
        same = self.content(page) == before and not moved
        if self.publish:
            same = same and offer.live
        if moved:
            offer.move(parent, pos="last-child")
            page = OfferPage.objects.get(pk=offer.pk)
            page = page if live_base else page.get_latest_revision_as_object()
            self.apply(page, values, relations, places, hours)
        if not same:
            revision = page.save_revision()
            if self.publish:
                revision.publish()
        metadata_changed = self.publish and self.set_metadata(offer, *metadata)
        self.count("offers", "unchanged" if same and not metadata_changed else "updated")

    def set_metadata(self, page, confirmed, modified):
        current = OfferPage.objects.filter(pk=page.pk).values("confirmed_at", "last_published_at")[
            0
        ]
        updates = {}
        # As precise as the export writes them: the day, and the millisecond.
        if (confirmed and local_day(current["confirmed_at"])) != local_day(confirmed):
            updates["confirmed_at"], updates["confirmed_by"] = confirmed, None
        if modified is not None and not same_millisecond(current["last_published_at"], modified):
            updates["last_published_at"] = modified
        if updates:
            OfferPage.objects.filter(pk=page.pk).update(**updates)
        return bool(updates)


def describe_cost(option):
    amount = option.get("amount")
    parts = [text(option, "option")]
    if amount is not None:
        parts.append(f"{amount:g} {text(option, 'currency').upper()}".strip())
    parts.append(text(option, "amount_description"))
    return " ".join(part for part in parts if part)


def local_day(moment):
    return None if moment is None else timezone.localtime(moment).date()


def same_millisecond(one, other):
    return one is not None and abs(one - other) < dt.timedelta(milliseconds=1)


def add_once(objects, obj):
    if all(other.pk != obj.pk for other in objects):
        objects.append(obj)


def changed(instance, values):
    return any(getattr(instance, name) != value for name, value in values.items())


def free_slug(parent, title):
    """A slug from the title that no sibling page uses yet."""
    base = slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
    base = base[:240]
    if not base:
        return ""
    slug, number = base, 1
    while not Page._slug_is_available(slug, parent):
        number += 1
        slug = f"{base}-{number}"
    return slug


def free_model_slug(model, name, length):
    base = (slugify(name) or "eintrag")[: length - 6]
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def collect_terms(records):
    """Every nested taxonomy term in the input by id, for attributes that only name the id."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            term = node.get("taxonomy_term")
            if isinstance(term, dict) and as_uuid(term.get("id")) and term.get("name"):
                found.setdefault(as_uuid(term["id"]), term)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for record in records:
        walk(record.data)
    return found


def _parts(record, path):
    """The keys and indexes of a JSON path below the record's own path."""
    relative = path[len(record.path) :] if path.startswith(record.path) else ""
    return [
        match.group(1) if match.group(1) else int(match.group(2))
        for match in re.finditer(r"\.([A-Za-z_]+)|\[(\d+)\]", relative)
    ]
