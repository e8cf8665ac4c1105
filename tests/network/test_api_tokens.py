"""API tokens at rest: a database dump holds nothing that opens the API (issue #13, item 4)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient
from wagtail.models import APIToken

from lotse.network import tokens
from tests import factories

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def get(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get(ME)


@pytest.fixture
def adviser(db):
    user = factories.UserFactory(username="beratung-token")
    county = factories.OrganisationFactory(name="Sozialbüro")
    factories.MembershipFactory(user=user, organisation=county, role="adviser")
    return user


def table_values():
    """Every value of the token table, as a dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM wagtailcore_apitoken")
        return [str(value) for row in cursor.fetchall() for value in row]


def test_only_the_real_token_authenticates_not_what_the_table_holds(adviser):
    _row, token = tokens.issue(adviser)
    assert get(token).status_code == 200
    values = table_values()
    assert token not in "\n".join(values)
    for value in values:
        # The handover API lists session authentication first: DRF answers 403, not 401.
        assert get(value).status_code == 403, value


def test_a_revoked_token_no_longer_authenticates(adviser):
    row, token = tokens.issue(adviser)
    assert get(token).status_code == 200
    assert tokens.revoke(APIToken.objects.filter(pk=row.pk)) == 1
    assert get(token).status_code == 403
    row.refresh_from_db()
    assert row.revoked_at is not None  # kept, so it stays visible which keys existed


def test_use_is_recorded_at_most_once_a_minute(adviser, settings):
    row, token = tokens.issue(adviser)
    assert row.last_used_at is None
    get(token)
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    get(token)
    row.refresh_from_db()
    assert row.last_used_at == first
    settings.WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 0
    get(token)
    row.refresh_from_db()
    assert row.last_used_at > first


def test_an_inactive_users_token_is_refused(adviser):
    _row, token = tokens.issue(adviser)
    adviser.is_active = False
    adviser.save()
    assert get(token).status_code == 403


def test_another_secret_key_makes_every_digest_useless(adviser, settings):
    """The digests are keyed with SECRET_KEY: a copied table is worthless elsewhere."""
    _row, token = tokens.issue(adviser)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-for-another-site-0123456789abcdef"
    assert get(token).status_code == 403
    settings.SECRET_KEY_FALLBACKS = [old]  # rotation: the old key as a fallback
    assert get(token).status_code == 200


def test_revoke_with_the_management_command(adviser):
    row, token = tokens.issue(adviser)
    out = io.StringIO()
    call_command("api_tokens", "list", "--user", adviser.username, stdout=out)
    assert row.prefix in out.getvalue() and token not in out.getvalue()
    call_command(
        "api_tokens", "revoke", "--user", adviser.username, "--prefix", row.prefix, stdout=out
    )
    assert get(token).status_code == 403


def test_the_plaintext_token_table_is_gone(db):
    assert "authtoken_token" not in connection.introspection.table_names()
