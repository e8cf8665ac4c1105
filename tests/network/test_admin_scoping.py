"""Partner editors in the Wagtail admin: review workflow, no leaks anywhere, scoped forms."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from lotse.directory.models import OfferPage
from lotse.network.models import Membership, Organisation, Person
from tests import factories
from tests.html_forms import form_data, submit

pytestmark = pytest.mark.django_db

SECRET = "geheim-b"


@pytest.fixture
def partners(directory):
    """Partner A (untrusted, with an editor) and partner B, whose names carry SECRET."""
    a = factories.make_organisation_page(factories.OrganisationFactory(name="Partner A"))
    b = factories.make_organisation_page(
        factories.OrganisationFactory(name=f"Partner {SECRET}-organisation")
    )
    editor = factories.UserFactory(username="redaktion-a")
    factories.MembershipFactory(user=editor, organisation=a.organisation, role="editor")
    coordinator = factories.UserFactory(username="koordination")
    county = factories.OrganisationFactory(name="Kreis")
    factories.MembershipFactory(user=coordinator, organisation=county, role="coordinator")
    return {
        "a": a,
        "b": b,
        "offer_a": factories.make_offer(a, title="Schuldnerberatung A"),
        "offer_b": factories.make_offer(b, title=f"Angebot {SECRET}-live"),
        "draft_b": factories.make_offer(b, title=f"Entwurf {SECRET}-draft", publish=False),
        "person_b": factories.PersonFactory(organisation=b.organisation, name=f"{SECRET} Person"),
        "location_b": factories.LocationFactory(organisation=b.organisation, name=f"{SECRET} Haus"),
        "editor": editor,
        "coordinator": coordinator,
    }


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_untrusted_partner_changes_wait_for_the_coordination(client, partners):
    offer = partners["offer_a"]
    client.force_login(partners["editor"])
    response = client.get(edit_url(offer))
    assert b'name="action-submit"' in response.content
    assert b'name="action-publish"' not in response.content

    submit(client, edit_url(offer), {"title": "Schuldnerberatung A (neu)", "action-submit": "1"})

    offer.refresh_from_db()
    assert offer.title == "Schuldnerberatung A", "the live page is unchanged until approval"
    assert offer.has_unpublished_changes
    state = WorkflowState.objects.get(object_id=str(offer.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Prüfung durch die Koordination"
    public = client.get(offer.url)
    assert b"Schuldnerberatung A (neu)" not in public.content

    # The coordinator sees the change on the dashboard and approves it.
    client.force_login(partners["coordinator"])
    assert "Schuldnerberatung A (neu)" in client.get(reverse("wagtailadmin_home")).text
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[offer.pk, "approve", task_state.pk]),
        {"comment": "Passt."},
    )
    assert response.status_code in (200, 302)
    offer.refresh_from_db()
    assert offer.title == "Schuldnerberatung A (neu)"
    assert offer.live and not offer.has_unpublished_changes


def test_the_coordination_can_reject_with_a_comment(client, partners):
    offer = partners["offer_a"]
    client.force_login(partners["editor"])
    submit(client, edit_url(offer), {"title": "Falscher Titel", "action-submit": "1"})
    task_state = WorkflowState.objects.get(object_id=str(offer.pk)).current_task_state

    client.force_login(partners["coordinator"])
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[offer.pk, "reject", task_state.pk]),
        {"comment": "Bitte die Öffnungszeiten prüfen."},
    )

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Bitte die Öffnungszeiten prüfen."
    offer.refresh_from_db()
    assert offer.title == "Schuldnerberatung A"
    # The editor sees the comment on their page.
    client.force_login(partners["editor"])
    assert "Bitte die Öffnungszeiten prüfen." in client.get(edit_url(offer)).text


def test_untrusted_editors_cannot_publish_by_posting_the_button(client, partners):
    offer = partners["offer_a"]
    client.force_login(partners["editor"])
    submit(client, edit_url(offer), {"title": "Eigenmächtig", "action-publish": "1"})
    offer.refresh_from_db()
    assert offer.title == "Schuldnerberatung A"


def test_trusted_partners_publish_directly(client, partners):
    organisation = partners["a"].organisation
    organisation.trusted = True
    organisation.save()
    offer = partners["offer_a"]
    client.force_login(partners["editor"])
    submit(client, edit_url(offer), {"title": "Sofort online", "action-publish": "1"})
    offer.refresh_from_db()
    assert offer.title == "Sofort online"
    assert not WorkflowState.objects.filter(object_id=str(offer.pk)).exists()


def test_nothing_of_another_organisation_shows_anywhere_in_the_admin(client, partners):
    """Dashboard, explorer, search, reports, listings and choosers: no titles, no names."""
    # B has a change awaiting review, so moderation panels and reports have something to show.
    draft = OfferPage.objects.get(pk=partners["draft_b"].pk)
    draft.save_revision(user=partners["coordinator"])
    draft.get_workflow().start(draft, partners["coordinator"])
    draft.locked, draft.locked_by, draft.locked_at = True, partners["coordinator"], timezone.now()
    draft.save()

    client.force_login(partners["editor"])
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[partners["a"].get_parent().pk]),
        reverse("wagtailadmin_pages:search") + "?q=Angebot",
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_child", args=[partners["a"].get_parent().pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=Angebot",
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailsnippets:index"),
    ]
    for model in ("organisation", "person", "membership"):
        urls.append(reverse(f"wagtailsnippets_lotse_network_{model}:list") + "?q=Partner")
        urls.append(reverse(f"wagtailsnippets_lotse_network_{model}:list"))
    urls.append(reverse("wagtailsnippets_lotse_directory_location:list"))
    urls.append(reverse("wagtailsnippetchoosers_lotse_network_person:choose"))
    urls.append(reverse("wagtailsnippetchoosers_lotse_directory_location:choose"))
    urls.append(reverse("wagtailsnippetchoosers_lotse_network_organisation:choose"))
    for obj in ("offer_b", "draft_b"):
        page = partners[obj]
        for view in ("edit", "delete", "move", "copy", "unpublish", "history", "revisions_index"):
            urls.append(reverse(f"wagtailadmin_pages:{view}", args=[page.pk]))
        urls.append(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
        urls.append(reverse("wagtailadmin_explore", args=[page.pk]))
        for action in ("delete", "publish", "unpublish", "move"):
            urls.append(
                reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
                + f"?id={page.pk}"
            )
    for kind, obj in (("lotse_network", "person_b"), ("lotse_directory", "location_b")):
        model = type(partners[obj])._meta.model_name
        for view in ("edit", "delete", "inspect", "history", "usage", "copy"):
            urls.append(reverse(f"wagtailsnippets_{kind}_{model}:{view}", args=[partners[obj].pk]))
        urls.append(
            reverse("wagtail_bulk_action", args=[kind, model, "delete"]) + f"?id={partners[obj].pk}"
        )
    organisation_b = partners["b"].organisation
    urls.append(
        reverse("wagtailsnippets_lotse_network_organisation:edit", args=[organisation_b.pk])
    )
    urls.append(reverse("wagtailadmin_pages:edit", args=[partners["b"].pk]))

    leaks = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if SECRET in response.text:
            leaks.append(url)
    assert not leaks, f"{len(leaks)} of {len(urls)} admin URLs name the other organisation: {leaks}"
    print(f"\n{len(urls)} admin URLs checked for leaks of another organisation: none")


def test_changes_to_another_organisations_objects_are_refused_and_change_nothing(client, partners):
    client.force_login(partners["editor"])
    person = partners["person_b"]
    url = reverse("wagtailsnippets_lotse_network_person:edit", args=[person.pk])
    response = client.post(url, {"name": "Übernommen", "organisation": person.organisation_id})
    assert response.status_code == 404
    response = client.post(reverse("wagtailsnippets_lotse_network_person:delete", args=[person.pk]))
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.name == f"{SECRET} Person"

    page = partners["offer_b"]
    for view in ("delete", "unpublish"):
        response = client.post(reverse(f"wagtailadmin_pages:{view}", args=[page.pk]))
        assert response.status_code in (302, 403), view
        assert SECRET not in response.text
    copy = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Kopie", "new_slug": "kopie", "new_parent_page": partners["a"].pk},
    )
    assert copy.status_code in (302, 403)
    page.refresh_from_db()
    assert page.live
    assert not OfferPage.objects.filter(slug="kopie").exists()


def test_forms_offer_only_the_users_own_organisations(client, partners):
    client.force_login(partners["editor"])
    response = client.get(reverse("wagtailsnippets_lotse_network_person:add"))
    assert response.status_code == 200
    assert SECRET not in response.text

    # Smuggling in another organisation's id is rejected, and nothing is created.
    response = client.post(
        reverse("wagtailsnippets_lotse_network_person:add"),
        {"organisation": partners["b"].organisation_id, "name": "Untergeschoben"},
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="Untergeschoben").exists()

    response = submit(
        client,
        reverse("wagtailsnippets_lotse_network_person:add"),
        {
            "organisation": str(partners["a"].organisation_id),
            "name": "Neue Kollegin",
            "email": "kollegin@example.org",
        },
    )
    assert Person.objects.get(name="Neue Kollegin").organisation == partners["a"].organisation


def test_partners_cannot_make_themselves_trusted(client, partners):
    organisation = partners["a"].organisation
    url = reverse("wagtailsnippets_lotse_network_organisation:edit", args=[organisation.pk])
    client.force_login(partners["editor"])
    data = form_data(client.get(url))
    assert "trusted" not in data, "the field is locked for partners"
    data.update({"trusted": ["on"], "description": ["Wir beraten."]})
    client.post(url, data)
    organisation.refresh_from_db()
    assert organisation.description == "Wir beraten."
    assert organisation.trusted is False

    client.force_login(partners["coordinator"])
    submit(client, url, {"trusted": "on"})
    organisation.refresh_from_db()
    assert organisation.trusted is True


def test_organisation_admins_manage_memberships_but_not_the_coordinator_role(client, partners):
    organisation = partners["a"].organisation
    admin = factories.UserFactory(username="leitung-a")
    factories.MembershipFactory(user=admin, organisation=organisation, role="org_admin")
    colleague = factories.UserFactory(username="kollege-a")
    factories.MembershipFactory(user=colleague, organisation=organisation, role="contact")
    outsider = factories.UserFactory(username=f"{SECRET}-nutzer")
    factories.MembershipFactory(user=outsider, organisation=partners["b"].organisation)

    client.force_login(admin)
    url = reverse("wagtailsnippets_lotse_network_membership:add")
    form = client.get(url)
    assert "kollege-a" in form.text
    assert SECRET not in form.text, "users of other organisations are not offered"

    client.post(url, {"user": colleague.pk, "organisation": organisation.pk, "role": "coordinator"})
    assert not Membership.objects.filter(user=colleague, role="coordinator").exists()
    client.post(url, {"user": colleague.pk, "organisation": organisation.pk, "role": "editor"})
    assert Membership.objects.filter(user=colleague, role="editor").exists()
    assert colleague.groups.filter(pk=Organisation.objects.get(pk=organisation.pk).editors_group_id)


@pytest.mark.parametrize(
    ("listing", "name"),
    [
        ("wagtailsnippets_lotse_network_organisation:list", "Partner A"),
        ("wagtailsnippets_lotse_network_person:list", f"{SECRET} Person"),
        ("wagtailsnippets_lotse_directory_location:list", f"{SECRET} Haus"),
    ],
)
def test_admin_listings_search_by_name(client, partners, listing, name):
    client.force_login(partners["coordinator"])
    response = client.get(reverse(listing), {"q": name.split()[-1]})
    assert response.status_code == 200
    assert name in response.text
