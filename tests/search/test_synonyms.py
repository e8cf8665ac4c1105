"""The editable synonym list: coordinators keep it in the Wagtail admin (snippet "Synonyms"),
partners may only look, and a change applies to the next search on both backends."""

import pytest
from django.urls import reverse

from lotse.search import service
from lotse.search.models import Synonym
from lotse.search.query import SearchQuery
from tests import factories

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(directory):
    county = factories.OrganisationFactory(name="Kreis")
    partner = factories.make_organisation_page(factories.OrganisationFactory(name="Caritas"))
    coordinator = factories.UserFactory(username="koordination")
    factories.MembershipFactory(user=coordinator, organisation=county, role="coordinator")
    editor = factories.UserFactory(username="redaktion")
    factories.MembershipFactory(user=editor, organisation=partner.organisation, role="editor")
    return {"coordinator": coordinator, "editor": editor, "partner": partner}


def titles(backend, q):
    return [h.title for h in backend.search(service.prepare(SearchQuery(q=q, now=MONDAY_10))).hits]


def test_seeded_synonyms_are_listed_in_the_admin(client, people):
    client.force_login(people["coordinator"])
    response = client.get(reverse("wagtailsnippets_lotse_search_synonym:list"))
    assert response.status_code == 200
    assert "Hartz IV, ALG II" in response.content.decode()


@pytest.mark.parametrize("search_backend", ["database", "elasticsearch"], indirect=True)
def test_a_synonym_added_in_the_admin_works_at_the_next_search(client, people, search_backend):
    offer = factories.make_offer(people["partner"], title="Tafel Lahnfeld", summary="Lebensmittel")
    search_backend.rebuild()
    assert titles(search_backend, "Essensausgabe") == []

    client.force_login(people["coordinator"])
    response = client.post(
        reverse("wagtailsnippets_lotse_search_synonym:add"),
        {"terms": "Essensausgabe, Lebensmittelausgabe", "expands_to": "Tafel"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Synonym.objects.filter(terms__startswith="Essensausgabe").exists()
    # No reindex: synonyms are applied to the query.
    assert titles(search_backend, "Essensausgabe") == [offer.title]
    # Deleting it applies at once, too.
    synonym = Synonym.objects.get(terms__startswith="Essensausgabe")
    response = client.post(
        reverse("wagtailsnippets_lotse_search_synonym:delete", args=[synonym.pk]), {}
    )
    assert response.status_code == 302
    assert titles(search_backend, "Essensausgabe") == []


def test_partners_may_look_but_not_change_the_list(client, people):
    client.force_login(people["editor"])
    assert client.get(reverse("wagtailsnippets_lotse_search_synonym:list")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_lotse_search_synonym:add"),
        {"terms": "Schufa", "expands_to": "Schulden"},
    )
    assert response.status_code in (302, 403)
    assert not Synonym.objects.filter(terms="Schufa").exists()
    synonym = Synonym.objects.first()
    response = client.post(
        reverse("wagtailsnippets_lotse_search_synonym:edit", args=[synonym.pk]),
        {"terms": "geändert", "expands_to": ""},
    )
    assert response.status_code in (302, 403)
    assert Synonym.objects.filter(terms="geändert").count() == 0
