"""Admin screens for the catalogue's snippets (pages are edited in the page explorer)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lotse.network import permissions
from lotse.network.scoping import OrganisationScopedViewSet

from . import services, views
from .apps import register_policies
from .models import DirectoryIndexPage, Location, OfferPage, OrganisationPage, TargetGroup, Topic

# Before any snippet is registered below (see lotse.directory.apps.register_policies).
register_policies()


class TopicViewSet(OrganisationScopedViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "parent"]


class TargetGroupViewSet(OrganisationScopedViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "parent"]


class LocationViewSet(OrganisationScopedViewSet):
    model = Location
    icon = "site"
    list_display = ["name", "town", "organisation", "step_free_access"]
    list_filter = ["town", "step_free_access", "organisation"]


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Directory")
    menu_icon = "list-ul"
    menu_order = 210
    items = (TopicViewSet, TargetGroupViewSet, LocationViewSet)


register_snippet(DirectoryViewSetGroup)


# Freshness: the dashboard panel, the list of offers to check and the "still current" action.


@hooks.register("register_admin_urls")
def register_freshness_urls():
    return [
        path("offers/to-check/", views.StaleOffersView.as_view(), name="directory_stale_offers"),
        path(
            "offers/<int:pk>/still-current/",
            views.confirm_current,
            name="directory_confirm_current",
        ),
    ]


@hooks.register("register_log_actions")
def register_freshness_log_actions(actions):
    actions.register_action(
        services.CONFIRM_ACTION, _("Confirm as still current"), _("Confirmed as still current")
    )


@hooks.register("construct_homepage_panels")
def add_stale_offers_panel(request, panels):
    panel = views.stale_offers_panel(request.user)
    if panel is not None:
        panels.append(panel)


def may_confirm(page, user):
    return (
        page.specific_class is OfferPage
        and page.live
        and permissions.can(user, permissions.CHANGE, page.specific)
    )


def confirm_button(page, priority):
    """Posts like Wagtail's own unlock button (w-action adds the CSRF token and `next`)."""
    return Button(
        _("Still current"),
        icon_name="calendar-check",
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": reverse("directory_confirm_current", args=[page.pk]),
        },
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def confirm_current_header_button(page, user, view_name, next_url=None):
    if may_confirm(page, user):
        yield confirm_button(page, priority=62)


@hooks.register("register_page_listing_more_buttons")
def confirm_current_listing_button(page, user, next_url=None):
    """Stale offers only: the listing should point at what needs doing, at little cost."""
    if page.specific_class is OfferPage and page.specific.is_stale and may_confirm(page, user):
        yield confirm_button(page, priority=45)


# Copying: an organisation has one page per language, so its page is translated, not copied.

ORGANISATION_COPY_REFUSED = _(
    "An organisation has one page per language: this page cannot be copied. Copy its offers "
    "one by one, or translate the page."
)


@hooks.register("before_copy_page")
def refuse_copying_organisation_pages(request, page):
    specific_class = page.specific_class
    copies_organisation_pages = issubclass(specific_class, OrganisationPage) or (
        issubclass(specific_class, DirectoryIndexPage)
        and request.method == "POST"
        and request.POST.get("copy_subpages")
        and page.get_children().exists()
    )
    if copies_organisation_pages:
        messages.error(request, ORGANISATION_COPY_REFUSED)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
