"""Wagtail admin screens of freshness: offers to check, and the "still current" action.

Which offers a user sees here comes from `services.stale_offers_for()` and whether they may
confirm one from `lotse.network.permissions`; the rules themselves live in `models` and `services`.
"""

from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, Table, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lotse.network import permissions

from . import services
from .models import OfferPage, stale_after_days

#: The dashboard lists this many offers, oldest confirmation first; the full list has the rest.
PANEL_LIMIT = 20


def edit_url(offer):
    return reverse("wagtailadmin_pages:edit", args=[offer.pk])


class ConfirmColumn(Column):
    """A "still current" button per row: a real form, so it works without JavaScript."""

    cell_template_name = "lotse_directory/admin/confirm_cell.html"

    def __init__(self, name, next_url, **kwargs):
        super().__init__(name, **kwargs)
        self.next_url = next_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["action_url"] = reverse("directory_confirm_current", args=[instance.pk])
        context["next_url"] = self.next_url
        # Cell templates render without context processors, so the token is passed here.
        context["csrf_token"] = get_token(parent_context["request"])
        return context


def stale_offers_table(offers, next_url):
    return Table(
        [
            TitleColumn("title", label=_("Offer"), get_url=edit_url),
            Column("organisation", label=_("Organisation")),
            DateColumn("confirmed_at", label=_("Last confirmed current")),
            ConfirmColumn("confirm", next_url=next_url, label=_("Actions")),
        ],
        offers,
    )


class StaleOffersPanel(Component):
    """Dashboard panel: the offers the user should confirm or update."""

    name = "stale_offers"
    order = 140
    template_name = "lotse_directory/admin/stale_offers_panel.html"

    def __init__(self, offers, total):
        self.offers = offers
        self.total = total

    def get_context_data(self, parent_context):
        return {
            "request": parent_context["request"],
            "table": stale_offers_table(self.offers, reverse("wagtailadmin_home")),
            "total": self.total,
            "shown": len(self.offers),
            "list_url": reverse("directory_stale_offers"),
        }


def stale_offers_panel(user):
    """The panel for `user`, or None when they have no stale offer to confirm."""
    offers = services.stale_offers_for(user)
    total = offers.count()
    if not total:
        return None
    return StaleOffersPanel(list(offers[:PANEL_LIMIT]), total)


class StaleOffersView(WagtailAdminTemplateMixin, TemplateView):
    """Every stale offer the user may confirm; empty for everyone else."""

    template_name = "lotse_directory/admin/stale_offers.html"
    page_title = gettext_lazy("Offers to check")
    header_icon = "time"
    per_page = 50

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(services.stale_offers_for(self.request.user), self.per_page)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(
            page_obj=page,
            table=stale_offers_table(page.object_list, self.request.get_full_path()),
            days=stale_after_days(),
        )
        return context


@require_POST
def confirm_current(request, pk):
    """Confirm an offer as still current: 404 if the user cannot see it, 403 if not change it."""
    offer = get_object_or_404(OfferPage, pk=pk)
    permissions.require(request.user, permissions.CHANGE, offer)
    services.confirm_current(offer, request.user)
    messages.success(
        request,
        _("“%(title)s” is confirmed as still current.")
        % {"title": offer.get_admin_display_title()},
        buttons=[messages.button(edit_url(offer), _("Edit"))],
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = edit_url(offer)
    return redirect(next_url)
