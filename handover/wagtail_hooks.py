"""The "Handovers" menu of the Wagtail admin, its URLs, and the "hand over" entry points on
offers: a button in the page admin and a link in the public offer page's action slot."""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.utils.urlpatterns import decorate_urlpatterns

from lotse.directory.models import OfferPage
from lotse.network import permissions
from lotse.network.headers import personal_data

from . import urls


class HandoverMenuItem(MenuItem):
    """Shown to network members only; `shown_to` narrows it further (advisers, coordinators)."""

    def __init__(self, *args, shown_to=permissions.is_member, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


@hooks.register("register_admin_urls")
def register_handover_urls():
    # Every screen shows citizens' or contacts' data: never cached, and the strict CSP.
    patterns = decorate_urlpatterns(list(urls.urlpatterns), personal_data)
    return [path("handovers/", include((patterns, urls.app_name), namespace="handovers"))]


@hooks.register("register_admin_menu_item")
def register_handover_menu():
    items = [
        HandoverMenuItem(
            _("Inbox"),
            reverse("handovers:inbox"),
            name="handover-inbox",
            icon_name="mail",
            order=100,
        ),
        HandoverMenuItem(
            _("My handovers"),
            reverse("handovers:sent"),
            name="handover-sent",
            icon_name="resubmit",
            order=200,
            shown_to=permissions.is_adviser,
        ),
        HandoverMenuItem(
            _("New handover"),
            reverse("handovers:add"),
            name="handover-new",
            icon_name="plus",
            order=300,
            shown_to=permissions.is_adviser,
        ),
        HandoverMenuItem(
            _("Overview"),
            reverse("handovers:overview"),
            name="handover-overview",
            icon_name="table",
            order=400,
            shown_to=permissions.is_coordinator,
        ),
    ]
    return SubmenuMenuItem(
        _("Handovers"), Menu(items=items), name="handovers", icon_name="mail", order=190
    )


def start_url(offer):
    return reverse("handovers:add") + "?" + urlencode({"offer": offer.pk})


class HandOverButton(PageMenuItem):
    """ "Hand over" on a published offer in the page admin, for advisers only."""

    label = _("Hand over a citizen")
    icon_name = "mail"
    priority = 35

    def is_shown(self, user):
        page = self.page.specific_deferred
        return isinstance(page, OfferPage) and page.live and permissions.is_adviser(user)

    @property
    def url(self):
        return start_url(self.page)


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield HandOverButton(page=page)


@hooks.register("register_page_listing_more_buttons")
def page_listing_buttons(page, user, next_url=None):
    yield HandOverButton(page=page)


@hooks.register("before_serve_page")
def fill_offer_actions(page, request, serve_args, serve_kwargs):
    """The public offer page renders `request.offer_actions` in its `offer_actions` block:
    advisers get a link to start a handover there; nobody else gets anything."""
    if isinstance(page, OfferPage) and permissions.is_adviser(request.user):
        actions = list(getattr(request, "offer_actions", []))
        actions.append(
            render_to_string(
                "lotse_handover/includes/offer_link.html", {"url": start_url(page)}, request=request
            )
        )
        request.offer_actions = actions
