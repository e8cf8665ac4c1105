"""Admin screens for the partner network, grouped under one menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import auth_views, permissions
from .apps import register_policies
from .deputy import MyDeputyView
from .models import Language, Membership, Organisation, Person, SocialArea
from .scoping import (
    ChoosableDocumentsAPIViewSet,
    ChoosableImagesAPIViewSet,
    OrganisationForm,
    OrganisationScopedViewSet,
    PersonForm,
    ScopedPageViewSet,
    refuse_foreign_move_destination,
    scoped_bulk_actions,
)
from .views import InvitationViewSet

# Before any snippet is registered below (see lotse.network.apps.register_policies).
register_policies()


class OrganisationViewSet(OrganisationScopedViewSet):
    model = Organisation
    form_base_class = OrganisationForm
    icon = "group"
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]


class PersonViewSet(OrganisationScopedViewSet):
    model = Person
    form_base_class = PersonForm
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


@hooks.register("register_admin_urls")
def register_my_deputy_url():
    return [path("my-deputy/", MyDeputyView.as_view(), name="network_my_deputy")]


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_pages(pages, request):
    """Partners pick only their own pages (and the county's pages above them) in choosers."""
    return permissions.filter_queryset(request.user, permissions.CHOOSE, pages)


# Registered after Wagtail's own bulk actions (higher order), so these replace them.
for bulk_action in scoped_bulk_actions():
    hooks.register("register_bulk_action", bulk_action, order=1000)


@hooks.register("register_admin_viewset")
def register_scoped_page_viewset():
    """Registered after Wagtail's default page viewset (order -1), so it takes its place."""
    return ScopedPageViewSet()


hooks.register("before_move_page", refuse_foreign_move_destination)


@hooks.register("construct_admin_api", order=1000)
def scope_admin_api(router):
    """Replace the image and document endpoints that Wagtail registers unfiltered."""
    router.register_endpoint("images", ChoosableImagesAPIViewSet)
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    """The second sign-in step and its set-up (see `lotse.network.two_factor`)."""
    return [
        path("two-factor/", auth_views.ManageView.as_view(), name="lotse_two_factor_manage"),
        path("two-factor/verify/", auth_views.VerifyView.as_view(), name="lotse_two_factor_verify"),
        path("two-factor/setup/", auth_views.SetupView.as_view(), name="lotse_two_factor_setup"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("lotse_two_factor_manage"),
        "label": _("Two-factor authentication"),
        "help_text": _("A code from an app on your phone at every sign-in, and recovery codes."),
    }
