"""The "Handovers" menu of the Wagtail admin and its URLs."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from network import permissions

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
    return [path("handovers/", include(urls, namespace="handovers"))]


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
