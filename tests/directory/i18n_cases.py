"""Cases for a site with Wagtail's i18n (run by test_translation.py with tests.settings_i18n)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.models import Locale

from lotse.directory.models import OfferLocation, OfferPage, OrganisationPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def translated(client, offer, english):
    """The directory translated into English with simple_translation's own view."""
    client.force_login(factories.UserFactory(is_superuser=True))
    directory = factories.directory_root()
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[directory.pk]),
        {"locales": [english.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    english_offer = OfferPage.objects.get(locale=english)
    english_offer.title = "Debt advice"
    english_offer.save_revision().publish()
    return OfferPage.objects.get(pk=offer.pk), OfferPage.objects.get(pk=english_offer.pk)


def test_each_locale_has_its_own_organisation_page(translated, english):
    german, english_offer = translated
    pages = OrganisationPage.objects.filter(organisation=german.organisation)
    assert sorted(pages.values_list("locale__language_code", flat=True)) == ["de", "en"]
    assert english_offer.organisation_id == german.organisation_id
    assert english_offer.get_parent().specific.locale == english
    assert english_offer.hsds_id != german.hsds_id
    assert not set(
        OfferLocation.objects.filter(offer=english_offer).values_list("hsds_id", flat=True)
    ) & set(OfferLocation.objects.filter(offer=german).values_list("hsds_id", flat=True))


def test_one_organisation_page_per_locale(translated, english):
    german, _english = translated
    with pytest.raises(ValidationError, match="schon eine Seite in dieser Sprache"):
        factories.directory_root().add_child(
            instance=OrganisationPage(
                title="Noch einmal", slug="noch-einmal", organisation=german.organisation
            )
        )
    # The database holds the rule, too, whatever route a second page takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationPage.objects.filter(locale=english).update(
            page_locale=german.get_parent().locale
        )


def names(client, language, path="/api/hsds/services"):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.json()
    return [item["name"] for item in body.get("contents", [body])]


def test_the_hsds_api_answers_in_the_request_language_else_german(client, translated):
    german, english_offer = translated
    client.logout()
    assert names(client, "en") == ["Debt advice"]
    assert names(client, "de") == [german.title]
    assert names(client, "en", f"/api/hsds/services/{german.hsds_id}") == ["Debt advice"]
    assert names(client, "de", f"/api/hsds/services/{english_offer.hsds_id}") == [german.title]
    english_offer.unpublish()
    assert names(client, "en") == [german.title]
