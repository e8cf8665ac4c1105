"""More Wagtail admin screens a partner editor can reach: none names another organisation.

Complements the sweep in test_admin_scoping: choosers' JSON, the move confirmation, filter
choices that list people, the admin API's images and documents, forms that echo a submitted
id, revisions, previews and workflow history of another organisation's pages.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageLogEntry, WorkflowState

from lotse.directory.models import OfferLocation, OfferPage, OrganisationPage
from tests import factories
from tests.html_forms import form_data
from tests.network.test_admin_scoping import SECRET, partners  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_b(partners):  # noqa: F811
    """An editor of B whose name carries SECRET, who owns and edits B's pages."""
    user = factories.UserFactory(
        username=f"{SECRET}-nutzer", first_name=f"{SECRET}-vorname", last_name="Muster"
    )
    factories.MembershipFactory(user=user, organisation=partners["b"].organisation, role="editor")
    for key in ("offer_b", "draft_b"):
        page = OfferPage.objects.get(pk=partners[key].pk)
        page.owner = user
        page.save()
        page.save_revision(user=user, log_action=True)
    return user


def leaking(client, urls):
    return [url for url in urls if SECRET in client.get(url, follow=True).text]


def test_the_page_chooser_neither_opens_nor_returns_another_organisations_pages(
    client,
    partners,  # noqa: F811
):
    client.force_login(partners["editor"])
    b, draft_b, a = partners["b"], partners["draft_b"], partners["a"]
    for url in (
        reverse("wagtailadmin_choose_page_child", args=[b.pk]),
        reverse("wagtailadmin_choose_page_child", args=[draft_b.pk]) + "?user_perms=copy_to",
        reverse("wagtailadmin_choose_page_child", args=[b.pk])
        + "?page_type=lotse_directory.offerpage",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.text
    chosen = client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple"),
        {"id": [draft_b.pk, b.pk, partners["offer_a"].pk]},
    )
    assert SECRET not in chosen.text
    assert [page["id"] for page in chosen.json()["result"]] == [partners["offer_a"].pk]
    # Their own pages still open.
    own = client.get(reverse("wagtailadmin_choose_page_child", args=[a.pk]))
    assert own.status_code == 200 and "Schuldnerberatung A" in own.text


def test_the_move_confirmation_names_no_foreign_destination_and_moves_nothing(
    client,
    partners,  # noqa: F811
):
    offer, b = partners["offer_a"], partners["b"]
    url = reverse("wagtailadmin_pages:move_confirm", args=[offer.pk, b.pk])
    client.force_login(partners["editor"])
    assert SECRET not in client.get(url, follow=True).text
    assert SECRET not in client.post(url, follow=True).text
    offer.refresh_from_db()
    assert offer.get_parent().pk == partners["a"].pk

    client.force_login(partners["coordinator"])
    assert SECRET in client.get(url).text, "the coordination still moves offers between partners"


def test_user_filters_list_only_people_named_on_visible_pages(
    client,
    partners,  # noqa: F811
    colleague_b,
):
    offer_a = OfferPage.objects.get(pk=partners["offer_a"].pk)
    offer_a.owner = partners["editor"]
    offer_a.save()
    offer_a.save_revision(user=partners["editor"], log_action=True)
    assert PageLogEntry.objects.filter(user=colleague_b, action="wagtail.edit").exists()

    client.force_login(partners["editor"])
    explorer = client.get(reverse("wagtailadmin_explore", args=[partners["a"].pk]))
    assert explorer.status_code == 200
    assert f'name="owner" value="{partners["editor"].pk}"' in explorer.text
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert history.status_code == 200
    assert f'name="user" value="{partners["editor"].pk}"' in history.text
    for response in (
        explorer,
        history,
        client.get(reverse("wagtailadmin_reports:site_history_results")),
        client.get(reverse("wagtailadmin_explore_results", args=[partners["a"].pk])),
    ):
        assert SECRET not in response.text

    client.force_login(partners["coordinator"])
    explorer = client.get(reverse("wagtailadmin_explore", args=[partners["b"].pk]))
    assert f'name="owner" value="{colleague_b.pk}"' in explorer.text


def test_the_admin_api_lists_only_images_and_documents_the_user_may_choose(
    client,
    partners,  # noqa: F811
):
    Image.objects.create(title=f"{SECRET} Foto", file=get_test_image_file())
    Document.objects.create(title=f"{SECRET} Flyer", file=ContentFile(b"-", name="flyer.txt"))
    client.force_login(partners["editor"])
    for kind in ("images", "documents"):
        response = client.get(f"/admin/api/main/{kind}/")
        assert response.status_code == 200
        assert response.json()["meta"]["total_count"] == 0, kind
        assert SECRET not in response.text
    for url in (
        reverse("wagtailimages_chooser:choose") + "?q=Foto",
        reverse("wagtaildocs_chooser:choose") + "?q=Flyer",
    ):
        assert SECRET not in client.get(url).text

    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/api/main/images/").json()["meta"]["total_count"] == 1


def test_a_refused_choice_is_not_echoed_back_by_snippet_forms(client, partners):  # noqa: F811
    client.force_login(partners["editor"])
    organisation_b = partners["b"].organisation_id
    for add in (
        "wagtailsnippets_lotse_network_person:add",
        "wagtailsnippets_lotse_directory_location:add",
    ):
        response = client.post(reverse(add), {"organisation": organisation_b, "name": "Probe"})
        assert response.status_code == 200, add
        assert SECRET not in response.text, add


def test_page_forms_offer_and_accept_only_the_users_own_places_and_people(
    client,
    partners,  # noqa: F811
):
    offer = partners["offer_a"]
    url = reverse("wagtailadmin_pages:edit", args=[offer.pk])
    client.force_login(partners["editor"])
    data = form_data(client.get(url))
    data.update(
        {
            "offer_locations-TOTAL_FORMS": ["1"],
            "offer_locations-0-location": [str(partners["location_b"].pk)],
            "offer_locations-0-note": [""],
            "offer_locations-0-ORDER": ["1"],
            "offer_locations-0-id": [""],
            "action-submit": ["1"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200, "refused"
    assert SECRET not in response.text
    revision = OfferPage.objects.get(pk=offer.pk).get_latest_revision()
    assert not revision or not revision.content.get("offer_locations")

    data["offer_locations-TOTAL_FORMS"] = ["0"]
    data["handover_contact"] = [str(partners["person_b"].pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert SECRET not in response.text
    assert not OfferLocation.objects.filter(location=partners["location_b"]).exists()
    assert not WorkflowState.objects.filter(object_id=str(offer.pk)).exists()


def test_editors_cannot_hand_their_organisation_page_to_another_organisation(
    client,
    partners,  # noqa: F811
):
    page = partners["a"]
    organisation = page.organisation
    organisation.trusted = True
    organisation.save()
    pageless = factories.OrganisationFactory(name="Ohne Seite")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.force_login(partners["editor"])
    data = form_data(client.get(url))
    data.update(
        {"title": ["Partner A neu"], "organisation": [str(pageless.pk)], "action-publish": ["1"]}
    )
    client.post(url, data)
    page = OrganisationPage.objects.get(pk=page.pk)
    assert (page.title, page.organisation_id) == ("Partner A", organisation.pk)

    # The same form with their own organisation goes through: only the foreign one was refused.
    data["organisation"] = [str(organisation.pk)]
    client.post(url, data)
    page = OrganisationPage.objects.get(pk=page.pk)
    assert (page.title, page.organisation_id) == ("Partner A neu", organisation.pk)


def test_more_screens_of_another_organisations_pages_show_nothing(
    client,
    partners,  # noqa: F811
    colleague_b,
):
    draft = OfferPage.objects.get(pk=partners["draft_b"].pk)
    first = draft.get_latest_revision()
    draft.title = f"Neu {SECRET}-titel"
    second = draft.save_revision(user=colleague_b)
    draft.get_workflow().start(draft, colleague_b)
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    directory = partners["a"].get_parent()
    offer_a = partners["offer_a"]

    client.force_login(partners["editor"])
    pages = "/admin/pages"
    urls = [
        f"{pages}/{draft.pk}/edit/preview/",
        f"{pages}/{draft.pk}/revisions/{first.pk}/view/",
        f"{pages}/{draft.pk}/revisions/{first.pk}/revert/",
        f"{pages}/{draft.pk}/revisions/compare/{first.pk}...{second.pk}/",
        f"{pages}/{draft.pk}/revisions/compare/earliest...latest/",
        f"{pages}/{draft.pk}/workflow_history/",
        f"{pages}/{draft.pk}/workflow_history/detail/{state.pk}/",
        f"{pages}/workflow/preview/{draft.pk}/{state.current_task_state.task_id}/",
        f"{pages}/{draft.pk}/usage/",
        f"{pages}/{draft.pk}/history/results/",
        f"{pages}/{draft.pk}/privacy/",
        f"{pages}/{partners['b'].pk}/add_subpage/",
        f"{pages}/add/lotse_directory/offerpage/{partners['b'].pk}/",
        f"{pages}/{directory.pk}/?q=Entwurf",
        f"{pages}/search/?q=Entwurf",
        f"{pages}/usage/lotse_directory/offerpage/",
        f"{pages}/usage/lotse_directory/organisationpage/",
        f"{pages}/{offer_a.pk}/move/",
        f"{pages}/{offer_a.pk}/copy/",
        reverse("wagtailadmin_choose_page_search") + "?q=Entwurf",
        reverse("wagtailadmin_choose_page_child", args=[directory.pk]),
        reverse("wagtailadmin_choose_page") + f"?user_perms=move_to&target_pages={offer_a.pk}",
        "/admin/api/main/pages/?search=Entwurf",
        f"/admin/api/main/pages/?descendant_of={directory.pk}",
        f"/admin/api/main/pages/{draft.pk}/",
        reverse("wagtailsnippetchoosers_lotse_network_person:choose_results") + "?q=Person",
        reverse("wagtailsnippetchoosers_lotse_directory_location:choose_results") + "?q=Haus",
        reverse("wagtailadmin_home"),
    ]
    assert not leaking(client, urls)
    for url, data in (
        (f"{pages}/{draft.pk}/edit/preview/", {"title": "x", "slug": "x"}),
        (f"{pages}/{draft.pk}/lock/", {}),
    ):
        assert SECRET not in client.post(url, data, follow=True).text
    draft.refresh_from_db()
    assert not draft.locked
    print(f"\n{len(urls) + 2} more admin URLs checked for leaks of another organisation: none")
