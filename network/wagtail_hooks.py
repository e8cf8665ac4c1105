"""Admin screens for the partner network, grouped under one menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Language, Membership, Organisation, Person, SocialArea


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    ordering = ["name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "function", "organisation", "accepts_handovers"]
    list_filter = ["accepts_handovers", "organisation"]
    search_fields = ["name", "function"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "key"
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]


class SocialAreaViewSet(SnippetViewSet):
    model = SocialArea
    icon = "site"
    list_display = ["name", "kind", "parent", "postcodes"]
    list_filter = ["kind"]
    search_fields = ["name", "postcodes"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    list_display = ["name", "native_name", "code"]
    search_fields = ["name", "code"]


class NetworkViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Network")
    menu_icon = "group"
    menu_order = 200
    items = (
        OrganisationViewSet,
        PersonViewSet,
        MembershipViewSet,
        SocialAreaViewSet,
        LanguageViewSet,
    )


register_snippet(NetworkViewSetGroup)
