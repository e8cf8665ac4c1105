"""Who sees and does what in the real Wagtail admin: roles × object kinds × own/other × actions.

Every combination is one or more HTTP requests to the admin URLs a user would use. An allowed
action must work (the object is listed, shown, or changed); a denied one must be refused and
must not reveal the object: its unique marker may not appear in the response, and nothing may
change in the database.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page

from lotse.directory.models import Location, OfferPage
from lotse.network.models import Membership, Organisation, Person
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor_a", "editor_b", "contact", "adviser", "coordinator", "superuser")
KINDS = ("page", "draft_page", "organisation", "person", "location", "membership")
ACTIONS = ("list", "view", "choose", "edit", "publish", "delete")

#: Actions that have an admin screen for a kind. Snippets are not publishable, and memberships
#: are never chosen in a form.
APPLICABLE = {
    "page": set(ACTIONS),
    "draft_page": set(ACTIONS),
    "organisation": set(ACTIONS) - {"publish"},
    "person": set(ACTIONS) - {"publish"},
    "location": set(ACTIONS) - {"publish"},
    "membership": set(ACTIONS) - {"publish", "choose"},
}

EVERYTHING = set(ACTIONS)
READ = {"list", "view", "choose"}
NOTHING = set()

#: role -> kind -> (allowed on objects of the user's own organisation, allowed on another's)
EXPECTED = {
    "anonymous": dict.fromkeys(KINDS, (NOTHING, NOTHING)),
    # Editors of an untrusted partner: changes to pages go to the coordination for approval,
    # and a live page is not theirs to take offline.
    "editor": {
        "page": (EVERYTHING - {"publish", "delete"}, NOTHING),
        "draft_page": (EVERYTHING - {"publish"}, NOTHING),
        "organisation": (READ | {"edit"}, NOTHING),
        "person": (EVERYTHING, NOTHING),
        "location": (EVERYTHING, NOTHING),
        "membership": ({"list", "view"}, NOTHING),
    },
    # A handover contact reads their own organisation's entries.
    "contact": {
        "page": ({"choose"}, NOTHING),
        "draft_page": ({"choose"}, NOTHING),
        "organisation": (READ, NOTHING),
        "person": (READ, NOTHING),
        "location": (READ, NOTHING),
        "membership": ({"list", "view"}, NOTHING),
    },
    # Advisers read every partner's entries to hand cases over, and change nothing.
    "adviser": {
        "page": (READ, READ),
        "draft_page": (READ, READ),
        "organisation": (READ, READ),
        "person": (READ, READ),
        "location": (READ, READ),
        "membership": ({"list", "view"}, {"list", "view"}),
    },
    "coordinator": dict.fromkeys(KINDS, (EVERYTHING, EVERYTHING)),
    "superuser": dict.fromkeys(KINDS, (EVERYTHING, EVERYTHING)),
}
EXPECTED["editor_a"] = EXPECTED["editor_b"] = EXPECTED.pop("editor")

#: (role, combinations, wrong) per run; tests/conftest.py prints the total after the session.
MATRIX_TALLY = []

SNIPPET_MODELS = {
    "organisation": Organisation,
    "person": Person,
    "location": Location,
    "membership": Membership,
}


class World:
    """Two partner organisations, A and B, each with one object of every kind."""

    def __init__(self):
        factories.directory_root()
        self.objects = {}
        for key in ("a", "b"):
            organisation = factories.OrganisationFactory(
                name=f"Partner {self.marker('organisation', key)}"
            )
            organisation_page = factories.make_organisation_page(organisation)
            self.objects[key] = {
                "organisation_page": organisation_page,
                "organisation": organisation,
                "page": factories.make_offer(
                    organisation_page, title=f"Angebot {self.marker('page', key)}"
                ),
                "draft_page": factories.make_offer(
                    organisation_page,
                    title=f"Entwurf {self.marker('draft_page', key)}",
                    publish=False,
                ),
                "person": factories.PersonFactory(
                    organisation=organisation, name=f"Erika {self.marker('person', key)}"
                ),
                "location": factories.LocationFactory(
                    organisation=organisation, name=f"Haus {self.marker('location', key)}"
                ),
                "membership": factories.MembershipFactory(
                    organisation=organisation,
                    role=Membership.Role.CONTACT,
                    user=factories.UserFactory(username=self.marker("membership", key)),
                ),
            }
        county = factories.OrganisationFactory(name="Sozialbüro des Kreises")
        self.users = {
            "editor_a": self.member("redaktion-a", "a", Membership.Role.EDITOR),
            "editor_b": self.member("redaktion-b", "b", Membership.Role.EDITOR),
            "contact": self.member("kontakt-a", "a", Membership.Role.CONTACT),
            "adviser": self.member("beratung", county, Membership.Role.ADVISER),
            "coordinator": self.member("koordination", county, Membership.Role.COORDINATOR),
            "superuser": factories.UserFactory(username="admin", is_superuser=True),
        }

    def member(self, username, organisation, role):
        if isinstance(organisation, str):
            organisation = self.objects[organisation]["organisation"]
        user = factories.UserFactory(username=username)
        factories.MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    @staticmethod
    def own_key(role):
        return "b" if role == "editor_b" else "a"

    #: Tokens that appear in one object's name only (no token contains another).
    TOKENS = {
        "page": "angebot",
        "draft_page": "entwurf",
        "organisation": "partner",
        "person": "mensch",
        "location": "ort",
        "membership": "mitglied",
    }

    @classmethod
    def marker(cls, kind, key):
        return f"{cls.TOKENS[kind]}-{key}-x"


def snippet_url(kind, view, *args):
    model = SNIPPET_MODELS[kind]
    name = f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}"
    return reverse(name, args=args)


def chooser_url(kind, view, *args):
    model = SNIPPET_MODELS[kind]
    name = f"wagtailsnippetchoosers_{model._meta.app_label}_{model._meta.model_name}:{view}"
    return reverse(name, args=args)


class Probe:
    """A logged-in client that remembers whether any response mentioned the marker."""

    def __init__(self, client, marker):
        self.client = client
        self.marker = marker
        self.leaked = False

    def _seen(self, response):
        shown = self.marker in response.content.decode()
        self.leaked |= shown
        return response.status_code == 200 and shown

    def get(self, url, data=None):
        """GET `url`; does the response show the object?"""
        return self._seen(self.client.get(url, data))

    def post(self, url, data=None):
        return self._seen(self.client.post(url, data or {}))


def page_action(probe, action, obj, parent):
    """Perform `action` on a page; did it take effect (or show the page)?"""
    if action == "list":
        return probe.get(reverse("wagtailadmin_explore", args=[parent.pk]))
    if action == "view":
        # The page's own explorer screen, and the preview of its latest draft (which only users
        # who may edit the page see); either shows the page.
        explorer = probe.get(reverse("wagtailadmin_explore", args=[obj.pk]))
        preview = probe.get(reverse("wagtailadmin_pages:view_draft", args=[obj.pk]))
        return explorer or preview
    if action == "edit":
        return probe.get(reverse("wagtailadmin_pages:edit", args=[obj.pk]))
    if action == "choose":
        browse = probe.get(reverse("wagtailadmin_choose_page_child", args=[parent.pk]))
        search = probe.get(reverse("wagtailadmin_choose_page_search"), {"q": obj.title.split()[0]})
        assert browse == search, f"page chooser browse and search disagree: {browse}, {search}"
        return browse
    if action == "publish":
        # A new draft title, then Wagtail's bulk publish: the live title changes only if the
        # user may publish.
        page = OfferPage.objects.get(pk=obj.pk)
        page.title = f"{page.title} neu"
        page.save_revision()
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        probe.post(f"{url}?id={obj.pk}")
        page.refresh_from_db()
        return page.live and page.title.endswith(" neu")
    if action == "delete":
        probe.post(reverse("wagtailadmin_pages:delete", args=[obj.pk]))
        return not Page.objects.filter(pk=obj.pk).exists()
    raise AssertionError(action)


def snippet_action(probe, action, kind, obj):
    """Perform `action` on a snippet; did it show the object (or delete it)?"""
    if action == "list":
        return probe.get(snippet_url(kind, "list"))
    if action == "view":
        return probe.get(snippet_url(kind, "inspect", obj.pk))
    if action == "edit":
        return probe.get(snippet_url(kind, "edit", obj.pk))
    if action == "choose":
        listing = probe.get(chooser_url(kind, "choose"))
        # Search for a word all objects of the kind share; the query itself is echoed back.
        search = probe.get(chooser_url(kind, "choose_results"), {"q": str(obj).split()[0]})
        chosen = probe.get(chooser_url(kind, "chosen", obj.pk))
        shown = (listing, search, chosen)
        assert len(set(shown)) == 1, f"chooser list, search and chosen disagree: {shown}"
        return listing
    if action == "delete":
        model = SNIPPET_MODELS[kind]
        confirmation = probe.get(snippet_url(kind, "delete", obj.pk))
        if kind != "organisation":  # an organisation with a page is protected from deletion
            probe.post(snippet_url(kind, "delete", obj.pk))
            return not model.objects.filter(pk=obj.pk).exists()
        return confirmation
    raise AssertionError(action)


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])


@pytest.mark.parametrize("role", ROLES)
def test_admin_permission_matrix(client, role, record_property):
    world = World()
    login(client, world, role)
    own = world.own_key(role)
    failures = []
    combinations = 0
    for kind in KINDS:
        for key in ("a", "b"):
            allowed = EXPECTED[role][kind][0 if key == own else 1]
            # Destructive actions last, so that earlier checks see the object.
            for action in ACTIONS:
                if action not in APPLICABLE[kind]:
                    continue
                combinations += 1
                obj = world.objects[key][kind]
                probe = Probe(client, world.marker(kind, key))
                if kind in ("page", "draft_page"):
                    parent = world.objects[key]["organisation_page"]
                    happened = page_action(probe, action, obj, parent)
                else:
                    happened = snippet_action(probe, action, kind, obj)
                expected = action in allowed
                owner = "own" if key == own else "other"
                if happened != expected:
                    failures.append(f"{role} {action} {owner} {kind}: {happened=} {expected=}")
                elif not expected and probe.leaked and not READ & allowed:
                    # Refused, and the user may not even read it: no response may name it.
                    failures.append(f"{role} {action} {owner} {kind}: refused but revealed")
    record_property("combinations", combinations)
    MATRIX_TALLY.append((role, combinations, len(failures)))
    assert not failures, "\n".join(failures)
