"""Schemathesis against `/api/schema/`: every operation, as an adviser and as a partner editor,
answers no 5xx, only documented status codes and media types, and bodies that match the
description (issue 13 "Measured", issue 11).

The schema is fetched from the running app and the requests go through its WSGI handler,
middleware included, in the test's transaction, over a small county: two partners with
published offers, an adviser's office, handovers between them. Bounded and reproducible: a
fixed number of generated examples per operation (plus the description's own examples) and a
fixed seed.
"""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lotse.network.models import Membership, Organisation
from tests import factories

from .hsds.conftest import build_county

MAX_EXAMPLES = 25
SEED = 20260313
CONFIG = {
    "seed": SEED,
    "cache": {"enabled": False},
    "generation": {
        "mode": "positive",
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        # Authentication is the test's: no generated Authorization headers or session cookies.
        "with-security-parameters": False,
    },
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
}


@schemathesis.deserializer("application/x-ndjson")
def ndjson_lines(ctx, response):
    """A stream of JSON lines as the array of its lines, as the description reads it."""
    return [json.loads(line) for line in response.content.splitlines() if line.strip()]


def declared_body(ctx, response, case):
    """A response with a body declares its media type for that status (DRF answers every
    error with JSON; a description saying "no body" would hide that)."""
    if not response.content:
        return None
    definition = case.operation.responses.find_by_status_code(response.status_code)
    content = (definition.definition if definition else {}).get("content")
    assert content, (
        f"{case.operation.label} answered {response.status_code} with a body, but the "
        "description declares no content for it."
    )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    declared_body,
]


def issue_token(user):
    """An API token for `user` (the one place to change when tokens are stored differently)."""
    return factories.api_token(user)


def build_people(county):
    """An adviser's office and a partner editor who is also Caritas' named handover contact,
    with handovers between them."""
    office = factories.OrganisationFactory(
        name="Sozialbüro Lahnfeld", slug="sozialbuero", kind=Organisation.Kind.COUNTY_DEPARTMENT
    )
    adviser = factories.UserFactory(username="lea", email="lea@sozialbuero.example")
    factories.MembershipFactory(user=adviser, organisation=office, role=Membership.Role.ADVISER)
    factories.PersonFactory(organisation=office, user=adviser, name="Lea Lotse")
    editor = factories.UserFactory(username="emil", email="emil@caritas-lahnfeld.example")
    for role in (Membership.Role.EDITOR, Membership.Role.CONTACT):
        factories.MembershipFactory(user=editor, organisation=county.caritas, role=role)
    contact = county.contact
    contact.user = editor
    contact.save()
    handovers = [
        factories.make_handover(adviser, recipient=contact.pk, offer=county.debt_offer),
        factories.make_handover(adviser, recipient=contact.pk, urgency="urgent"),
    ]
    return SimpleNamespace(
        adviser=adviser,
        editor=editor,
        handovers=handovers,
        tokens={"adviser": issue_token(adviser), "partner": issue_token(editor)},
    )


def known(county, people):
    """Path parameters and request bodies that name what exists (see KNOWN)."""
    client = Client()

    def ids(path):
        return [item["id"] for item in client.get(path, {"per_page": 1000}).json()["contents"]]

    hsds = {
        f"/api/hsds/{name}/{{id}}": [{"id": value} for value in ids(f"/api/hsds/{name}")]
        for name in ("services", "organizations", "service_at_locations", "taxonomies")
    }
    hsds["/api/hsds/taxonomy_terms/{id}"] = [
        {"id": value} for value in ids("/api/hsds/taxonomy_terms")
    ]
    offers = [{"hsds_id": str(offer.hsds_id)} for offer in (county.debt_offer, county.draft)]
    offers.append({"hsds_id": str(county.care_offer.hsds_id)})  # another organisation's
    handovers = [{"id": handover.pk} for handover in people.handovers]
    paths = {
        **hsds,
        "/api/v1/partner/offers/{hsds_id}/": offers,
        "/api/v1/handovers/{id}/": handovers,
        "/api/v1/handovers/{id}/transitions/": handovers,
        "/api/v1/handovers/{id}/withdraw-consent/": handovers,
    }
    house, contact = str(county.house.hsds_id), county.contact

    def handover(body):
        today = timezone.localdate()
        consent = {
            "given_at": timezone.now().isoformat(),
            "method": "written",
            "data_categories": ["contact", "finances"],
            "purpose": "Schuldnerberatung",
            "valid_until": (today + dt.timedelta(days=30)).isoformat(),
        }
        named = {**body, "recipient": contact.pk, "offer": str(county.debt_offer.hsds_id)}
        return [named, {**named, "consent": consent}]

    def offer(body):
        named = dict(body)
        if "topics" in body:
            named["topics"] = [str(county.debt.hsds_id)]
        for name in ("target_groups", "service_areas"):
            if name in body:
                named[name] = []
        if "languages" in body:
            named["languages"] = ["tr"]
        if "handover_contact" in body:
            named["handover_contact"] = str(contact.hsds_id)
        if "locations" in body:
            named["locations"] = [{"location": house, "note": ""}]
        if "opening_hours" in body:
            named["opening_hours"] = [
                {**hours, "location": house}
                if hours.get("kind", "in_person") in ("in_person", "mobile")
                else {**hours, "location": None}
                for hours in body["opening_hours"]
                if isinstance(hours, dict)
            ]
        return [named]

    bodies = {
        "POST /api/v1/handovers/": handover,
        "POST /api/v1/partner/offers/": offer,
        "PUT /api/v1/partner/offers/{hsds_id}/": offer,
        "PATCH /api/v1/partner/offers/{hsds_id}/": offer,
    }
    return {"paths": paths, "bodies": bodies}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The county and its people, once per module, in a transaction rolled back afterwards.

    Requests go through the WSGI handler, whose request signals would close the connection
    (and so the transaction) after each request: Django's test client unhooks them the same way.
    """
    from django.core.cache import cache

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Rate limits are tested on their own; here they would only cut the runs short.
    with (
        override_settings(LOTSE_RATELIMIT_ENABLED=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        cache.clear()
        county = build_county()
        people = build_people(county)
        KNOWN.update(known(county, people))
        yield SimpleNamespace(county=county, people=people)
        KNOWN.update(paths={}, bodies={})
        transaction.set_rollback(True)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_schema():
    """The description as `/api/schema/` serves it (at collection: it needs no database)."""
    config = schemathesis.Config.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), config=config
    )


schema = load_schema()

#: What exists in the seeded county, filled in by `seeded`: path → path parameters, and the
#: ids a valid request body names. Generated ids alone would almost never find anything, so
#: half of the path parameters and some bodies are drawn from these.
KNOWN = {"paths": {}, "bodies": {}}


@schema.hook
def before_generate_path_parameters(context, strategy):
    path = context.operation.path

    def known():
        found = KNOWN["paths"].get(path)
        return st.sampled_from(found) if found else strategy

    return st.one_of(strategy, st.deferred(known))


@schema.hook
def flatmap_body(context, body):
    realistic = KNOWN["bodies"].get(f"{context.operation.method.upper()} {context.operation.path}")
    if realistic is None or not isinstance(body, dict):
        return st.just(body)
    return st.sampled_from([body, *realistic(body)])


@pytest.fixture(params=["adviser", "partner"])
def credentials(request, seeded, db):
    # Django's test client connects close_old_connections again after each of its requests
    # (other fixtures use it), so it is unhooked here for each test, not only for the module.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Token {seeded.people.tokens[request.param]}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, credentials):
    case.call_and_validate(headers=credentials, checks=CHECKS)
