"""Lotse's directory as HSDS 3.0 objects: one function per HSDS object, on prefetched rows.

Which Lotse data becomes which HSDS object:

* organization: `lotse_network.Organisation` (alternate_name: the short name; an attribute with
  link_type `organisation_kind`: the kind)
* service: a published `OfferPage` (description: the summary, a blank line, the description as
  plain text)
* service_at_location: `OfferLocation` (description: its note)
* location, address, accessibility: `Location` (one physical address; one accessibility entry per
  feature it has, one for the notes)
* schedule: `OpeningHours` (attending_type: the kind; description: the note, else the hours in
  words)
* taxonomy, taxonomy_term, attribute: the two taxonomies "topics" and "target groups", their
  terms, and an attribute per term of an offer, plus one per broader term (link_type
  `broader_…`) so that the hierarchy travels with the offers
* language: a `lotse_network.Language` of an offer; service_area: a `lotse_network.SocialArea` of an
  offer
* cost_option: free of charge (amount 0) or the costs in words; required_document: what to bring
* phone: the public phone of an offer or organisation
* contact: the offer's handover contact, name and role only (their e-mail address and phone
  number are for handovers and stay internal)

Objects Lotse keeps no row for (phones, languages, addresses, …) get ids derived from their
owner's id (`derived_id`), so every id is stable from one export to the next. Empty fields are
left out; lists are always present in fully nested objects.
"""

import datetime as dt
import re
import uuid
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import opening_hours
from ..models import Location, OpeningHours

#: Namespace of ids that are not stored but derived (the two taxonomies).
NAMESPACE = uuid.UUID("0c5b6e0e-5f4e-4d0a-b8a1-6c6f7473652d")
TOPICS = "topics"
TARGET_GROUPS = "target_groups"
TAXONOMY_IDS = {
    TOPICS: uuid.uuid5(NAMESPACE, "taxonomy:topics"),
    TARGET_GROUPS: uuid.uuid5(NAMESPACE, "taxonomy:target_groups"),
}
#: attribute link_type of an offer's own terms and of their broader terms, per taxonomy.
LINK_TYPES = {TOPICS: "topic", TARGET_GROUPS: "target_group"}
BROADER_LINK_TYPES = {TOPICS: "broader_topic", TARGET_GROUPS: "broader_target_group"}
ORGANISATION_KIND = "organisation_kind"
ACCESSIBILITY_FEATURES = ("step_free_access", "lift", "accessible_toilet", "hearing_loop")
CURRENCY = "EUR"
HSDS_VERSION = "3.0"
SUMMARY_LENGTH = 300


def derived_id(owner_id, *parts):
    """A stable id for an object that belongs to the object with id `owner_id`."""
    owner = owner_id if isinstance(owner_id, uuid.UUID) else uuid.UUID(str(owner_id))
    return str(uuid.uuid5(owner, "/".join(parts)))


def compact(data):
    """Leave out empty scalar fields (None, ""); lists and objects stay."""
    return {key: value for key, value in data.items() if value is not None and value != ""}


def iso_moment(value):
    """An aware datetime as RFC 3339 in UTC with milliseconds, e.g. 2026-03-01T09:30:00.000Z."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_date(value):
    return None if value is None else timezone.localtime(value).date().isoformat()


# Rich text <-> plain text


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [[]]

    def _break(self):
        if self.blocks[-1]:
            self.blocks.append([])

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.blocks[-1].append("\n")
        elif tag in self.BLOCKS:
            self._break()
            if tag == "li":
                self.blocks[-1].append("- ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._break()

    def handle_data(self, data):
        self.blocks[-1].append(data)


def html_to_text(html):
    """Rich text as plain text: blocks separated by a blank line, line breaks kept."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return normalise_text("\n\n".join("".join(parts) for parts in parser.blocks))


def normalise_text(text):
    """Paragraphs separated by one blank line, lines without extra spaces."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n")):
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def text_to_html(text):
    """Plain text as rich text: a paragraph per block, <br/> per line break."""
    return "".join(
        "<p>" + "<br/>".join(escape(line, quote=False) for line in paragraph.split("\n")) + "</p>"
        for paragraph in normalise_text(text).split("\n\n")
        if paragraph
    )


def one_line(text):
    return " ".join((text or "").split())


def shorten(text, length):
    """At most `length` characters, cut at a word and marked with an ellipsis."""
    text = one_line(text)
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] if " " in text[: length - 1] else text[: length - 1]
    return cut.rstrip(" ,.;:") + "…"


def service_description(summary, description_html):
    """An offer's summary and description as the one HSDS description."""
    body = html_to_text(description_html)
    if not body:
        return summary  # as it is: a one-paragraph description comes back unchanged
    summary = one_line(summary)
    if not summary or (summary.endswith("…") and one_line(body).startswith(summary[:-1])):
        return body
    return f"{summary}\n\n{body}"


def split_description(text):
    """The inverse of `service_description`: (summary, description as plain text).

    The first paragraph is the summary when it fits; otherwise the summary is its shortened
    start and the description holds the whole text.
    """
    if "\n" not in text and len(text) <= SUMMARY_LENGTH:
        return text, ""
    text = normalise_text(text)
    first, _sep, rest = text.partition("\n\n")
    summary = one_line(first)
    if len(summary) <= SUMMARY_LENGTH:
        return summary, rest
    return shorten(summary, SUMMARY_LENGTH), text


# Taxonomies


def taxonomy_names():
    return {
        TOPICS: (_("Topics"), _("What an offer helps with.")),
        TARGET_GROUPS: (_("Target groups"), _("Whom an offer is for.")),
    }


def taxonomy(key):
    name, description = taxonomy_names()[key]
    return {"id": str(TAXONOMY_IDS[key]), "name": str(name), "description": str(description)}


def taxonomy_key(term):
    from ..models import TargetGroup

    return TARGET_GROUPS if isinstance(term, TargetGroup) else TOPICS


class Terms:
    """Every topic and target group in memory (two queries), for broader terms and parent ids."""

    def __init__(self):
        from ..models import TargetGroup, Topic

        self.by_key = {
            TOPICS: {t.pk: t for t in Topic.objects.all()},
            TARGET_GROUPS: {t.pk: t for t in TargetGroup.objects.all()},
        }

    def parent(self, term):
        return self.by_key[taxonomy_key(term)].get(term.parent_id)

    def ancestors(self, term):
        found, seen, node = [], {term.pk}, self.parent(term)
        while node is not None and node.pk not in seen:
            found.append(node)
            seen.add(node.pk)
            node = self.parent(node)
        return found


def taxonomy_term(term, terms, nested=True):
    key = taxonomy_key(term)
    parent = terms.parent(term)
    data = {
        "id": str(term.hsds_id),
        "code": term.slug,
        "name": term.name,
        "description": term.description,
        "parent_id": str(parent.hsds_id) if parent else None,
        "taxonomy": str(taxonomy_names()[key][0]),
        "taxonomy_id": str(TAXONOMY_IDS[key]),
        "language": settings.LANGUAGE_CODE,
    }
    data = compact(data)
    data["description"] = term.description  # required, even when empty
    if nested:
        data["taxonomy_detail"] = taxonomy(key)
    return data


def _sort_terms(terms):
    return sorted(terms, key=lambda t: (t.name.casefold(), str(t.hsds_id)))


def attributes(owner_id, owner_entity, term_lists, terms):
    """One attribute per term of the owner, then one per broader term not among them."""
    result = []
    for key, own in term_lists:
        own = _sort_terms(own)
        own_ids = {t.pk for t in own}
        broader = {}
        for term in own:
            for ancestor in terms.ancestors(term):
                if ancestor.pk not in own_ids:
                    broader[ancestor.pk] = ancestor
        for link_type, group in (
            (LINK_TYPES[key], own),
            (BROADER_LINK_TYPES[key], _sort_terms(broader.values())),
        ):
            for term in group:
                result.append(
                    {
                        "id": derived_id(owner_id, "attribute", str(term.hsds_id)),
                        "link_id": str(owner_id),
                        "link_type": link_type,
                        "link_entity": owner_entity,
                        "taxonomy_term_id": str(term.hsds_id),
                        "taxonomy_term": taxonomy_term(term, terms),
                    }
                )
    return result


# Organisations


class Catalogue:
    """What one response or export needs besides the rows: which organisations are public."""

    def __init__(self, public_organisation_ids=None):
        from .queries import public_organisations

        if public_organisation_ids is None:
            public_organisation_ids = set(public_organisations().values_list("pk", flat=True))
        self.public_organisation_ids = public_organisation_ids
        self._terms = None

    @property
    def terms(self):
        if self._terms is None:
            self._terms = Terms()
        return self._terms


def organization(org, catalogue):
    """The one-to-one fields of an organisation (organization_list)."""
    parent = org.parent if org.parent_id in catalogue.public_organisation_ids else None
    data = compact(
        {
            "id": str(org.hsds_id),
            "name": org.name,
            "alternate_name": org.short_name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
            "parent_organization_id": str(parent.hsds_id) if parent else None,
        }
    )
    data["description"] = org.description  # required, even when empty
    return {key: data[key] for key in ORGANIZATION_ORDER if key in data}


ORGANIZATION_ORDER = (
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "parent_organization_id",
)


def phones(owner_id, number):
    if not number:
        return []
    return [{"id": derived_id(owner_id, "phone"), "number": number}]


def organization_full(org, offers, catalogue, full_service=True):
    """An organisation with its published offers, their places and contacts."""
    data = organization(org, catalogue)
    offers = sorted(offers, key=lambda o: (o.title.casefold(), str(o.hsds_id)))
    locations, contacts = {}, {}
    for offer in offers:
        for row in offer.offer_locations.all():
            locations.setdefault(row.location.pk, row.location)
        if offer.handover_contact_id:
            contacts.setdefault(offer.handover_contact_id, offer.handover_contact)
    data["contacts"] = [
        contact(person)
        for person in sorted(contacts.values(), key=lambda p: (p.name.casefold(), str(p.hsds_id)))
    ]
    data["phones"] = phones(org.hsds_id, org.phone)
    data["locations"] = [
        location(place)
        for place in sorted(locations.values(), key=lambda p: (p.name.casefold(), str(p.hsds_id)))
    ]
    data["attributes"] = [
        {
            "id": derived_id(org.hsds_id, "attribute", ORGANISATION_KIND),
            "link_id": str(org.hsds_id),
            "link_type": ORGANISATION_KIND,
            "link_entity": "organization",
            "value": org.kind,
        }
    ]
    data["services"] = [
        service_full(offer, catalogue, with_organization=False)
        if full_service
        else service(offer, catalogue, with_organization=False)
        for offer in offers
    ]
    return data


def contact(person):
    return compact({"id": str(person.hsds_id), "name": person.name, "title": person.function})


# Places


def accessibility_labels():
    return {
        name: str(Location._meta.get_field(name).verbose_name) for name in ACCESSIBILITY_FEATURES
    }


def accessibility(place):
    labels = accessibility_labels()
    entries = [
        {"id": derived_id(place.hsds_id, "accessibility", name), "description": labels[name]}
        for name in ACCESSIBILITY_FEATURES
        if getattr(place, name)
    ]
    if place.accessibility_notes.strip():
        entries.append(
            {
                "id": derived_id(place.hsds_id, "accessibility", "notes"),
                "description": place.accessibility_notes.strip(),
            }
        )
    return entries


def address(place):
    return {
        "id": derived_id(place.hsds_id, "address"),
        "address_1": place.street,
        "city": place.town,
        # Required by HSDS; Lotse keeps no state or province.
        "state_province": "",
        "postal_code": place.postcode,
        "country": place.country,
        "address_type": "physical",
    }


def location_basic(place):
    return compact(
        {
            "id": str(place.hsds_id),
            "location_type": "physical",
            "name": place.name,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    )


def location(place):
    data = location_basic(place)
    data["addresses"] = [address(place)]
    data["accessibility"] = accessibility(place)
    return data


# Schedules


def kind_labels():
    return dict(OpeningHours.Kind.choices)


def schedule(hours):
    data = {"id": str(hours.hsds_id)}
    monthly = hours.frequency == OpeningHours.Frequency.MONTHLY
    if hours.weekdays:
        data["freq"] = "MONTHLY" if monthly else "WEEKLY"
        data["interval"] = hours.interval or 1
        prefix = str(hours.week_of_month) if monthly and hours.week_of_month else ""
        data["byday"] = ",".join(prefix + day for day in hours.weekdays)
    if hours.opens_at is not None:
        data["opens_at"] = hours.opens_at.strftime("%H:%M:%S")
    if hours.closes_at is not None:
        data["closes_at"] = hours.closes_at.strftime("%H:%M:%S")
    if hours.valid_from:
        data["valid_from"] = hours.valid_from.isoformat()
    if hours.valid_to:
        data["valid_to"] = hours.valid_to.isoformat()
    if hours.valid_from and (hours.interval or 1) > 1 and not monthly:
        # The week the count of "every n weeks" starts from.
        data["dtstart"] = hours.valid_from.isoformat()
    data["description"] = hours.note or opening_hours.describe(hours)
    data["attending_type"] = str(kind_labels()[hours.kind])
    return data


# Offers


def service(offer, catalogue, with_organization=True):
    """The one-to-one fields of an offer (service_list)."""
    data = compact(
        {
            "id": str(offer.hsds_id),
            "organization_id": str(offer.organisation.hsds_id),
            "name": offer.title,
            "description": service_description(offer.summary, offer.description),
            "url": offer.website,
            "email": offer.email,
            "status": "active",
            "application_process": offer.how_to_apply.strip(),
            "fees_description": offer.fee_description.strip(),
            "eligibility_description": offer.eligibility.strip(),
            "minimum_age": offer.min_age,
            "maximum_age": offer.max_age,
            "assured_date": local_date(offer.confirmed_at),
            "last_modified": iso_moment(offer.last_published_at or offer.first_published_at),
        }
    )
    if with_organization:
        data["organization"] = organization(offer.organisation, catalogue)
    return data


def minimal_service(offer):
    return compact(
        {
            "id": str(offer.hsds_id),
            "name": offer.title,
            "status": "active",
            "last_modified": iso_moment(offer.last_published_at or offer.first_published_at),
        }
    )


def cost_options(offer):
    option = {"id": derived_id(offer.hsds_id, "cost_option"), "currency": CURRENCY}
    if offer.is_free:
        option["amount"] = 0
    elif offer.fee_description.strip():
        option["amount_description"] = offer.fee_description.strip()
    return [option]


def service_full(offer, catalogue, with_organization=True):
    """An offer with everything it uses (service); expects `queries.with_relations` rows."""
    data = service(offer, catalogue, with_organization=False)
    hours = list(offer.opening_hours.all())
    rows = list(offer.offer_locations.all())
    data["phones"] = phones(offer.hsds_id, offer.phone)
    data["schedules"] = [schedule(h) for h in hours if h.location_id is None]
    data["service_areas"] = [
        {"id": str(area.hsds_id), "name": area.name}
        for area in sorted(offer.service_areas.all(), key=lambda a: (a.name, str(a.hsds_id)))
    ]
    data["service_at_locations"] = [service_at_location_nested(row, hours) for row in rows]
    data["languages"] = [
        {
            "id": derived_id(offer.hsds_id, "language", lang.code),
            "name": lang.name,
            "code": lang.code,
        }
        for lang in sorted(offer.languages.all(), key=lambda lang: lang.code)
    ]
    if with_organization:
        data["organization"] = organization(offer.organisation, catalogue)
    data["cost_options"] = cost_options(offer)
    data["required_documents"] = (
        [{"id": derived_id(offer.hsds_id, "required_document"), "document": offer.what_to_bring}]
        if offer.what_to_bring.strip()
        else []
    )
    data["contacts"] = [contact(offer.handover_contact)] if offer.handover_contact_id else []
    data["attributes"] = attributes(
        offer.hsds_id,
        "service",
        [(TOPICS, offer.topics.all()), (TARGET_GROUPS, offer.target_groups.all())],
        catalogue.terms,
    )
    return data


def service_at_location_nested(row, hours):
    """A place of an offer inside the offer (without the offer again)."""
    data = compact({"id": str(row.hsds_id), "description": row.note})
    data["schedules"] = [schedule(h) for h in hours if h.location_id == row.location_id]
    data["location"] = location(row.location)
    return data


def service_at_location(row, catalogue):
    """The one-to-one fields (service_at_location_list); `row.offer` must be loaded."""
    offer = row.offer
    data = compact(
        {
            "id": str(row.hsds_id),
            "service_id": str(offer.hsds_id),
            "location_id": str(row.location.hsds_id),
            "description": row.note,
        }
    )
    data["location"] = location_basic(row.location)
    data["service"] = service(offer, catalogue)
    return data


def service_at_location_full(row, catalogue):
    """A place of an offer with its hours, the full location and the full offer."""
    offer = row.offer
    data = service_at_location(row, catalogue)
    hours = list(offer.opening_hours.all())
    data["contacts"] = [contact(offer.handover_contact)] if offer.handover_contact_id else []
    data["phones"] = phones(offer.hsds_id, offer.phone)
    data["schedules"] = [schedule(h) for h in hours if h.location_id == row.location_id]
    data["location"] = location(row.location)
    full = service_full(offer, catalogue)
    full.pop("service_at_locations")
    data["service"] = full
    return data
