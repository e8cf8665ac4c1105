"""Admin screens for the partner network, grouped under one menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import permissions
from .models import Language, Membership, Organisation, Person, SocialArea
from .scoping import OrganisationForm, OrganisationScopedViewSet, scoped_bulk_actions
from .views import InvitationViewSet


class OrganisationViewSet(OrganisationScopedViewSet):
    model = Organisation
    form_base_class = OrganisationForm
    icon = "group"
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]


class PersonViewSet(OrganisationScopedViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "function", "organisation", "accepts_handovers"]
    list_filter = ["accepts_handovers", "organisation"]


class MembershipViewSet(OrganisationScopedViewSet):
    model = Membership
    icon = "key"
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]


class SocialAreaViewSet(OrganisationScopedViewSet):
    model = SocialArea
    icon = "site"
    list_display = ["name", "kind", "parent", "postcodes"]
    list_filter = ["kind"]


class LanguageViewSet(OrganisationScopedViewSet):
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
        InvitationViewSet,
    )


register_snippet(NetworkViewSetGroup)


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_pages(pages, request):
    """Partners pick only their own pages (and the county's pages above them) in choosers."""
    return permissions.filter_queryset(request.user, permissions.CHOOSE, pages)


# Registered after Wagtail's own bulk actions (higher order), so these replace them.
for bulk_action in scoped_bulk_actions():
    hooks.register("register_bulk_action", bulk_action, order=1000)
