"""Wagtail admin screens for handovers: inbox, sent, overview, form, detail, consent print.

Every view fetches handovers through `services.visible_handovers()` (`lotse.network.permissions`):
others' handovers answer 404. Content is shown only when `permissions.can(…, READ_CONTENT)`
says so and is read through `services.read_content()`, which writes the audit entry;
coordinators get metadata only. The rules themselves live in `services`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from lotse.directory.models import OfferPage
from lotse.network import permissions
from lotse.network.inputs import SpreadsheetWriter

from . import audit, recipients, services
from .forms import ActionForm, HandoverForm, RehandoverForm
from .models import ACTIVE, Status

BOXES = {
    "inbox": gettext_lazy("Inbox"),
    "sent": gettext_lazy("My handovers"),
    "overview": gettext_lazy("Overview"),
}


def visible(request):
    return services.visible_handovers(request.user).select_related(
        "recipient__organisation", "recipient_organisation", "sender_organisation", "offer"
    )


def may_send(user):
    return permissions.is_adviser(user)


class HandoverAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("handovers:inbox"), "label": _("Handovers")},
            {"url": "", "label": self.get_page_title()},
        ]


# Listings


class HandoverListView(HandoverAdminMixin, TemplateView):
    """Inbox (recipient and deputy), "my handovers" (sender) and the coordinators' overview.

    Columns show metadata and people, never content; the overview shows organisations only.
    """

    template_name = "lotse_handover/admin/list.html"
    box = "inbox"

    def dispatch(self, request, *args, **kwargs):
        if self.box == "overview" and not permissions.is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(BOXES[self.box])

    def get_queryset(self):
        user = self.request.user
        handovers = visible(self.request).prefetch_related("topics")
        if self.box == "inbox":
            handovers = handovers.filter(permissions.receiving_q(user))
        elif self.box == "sent":
            handovers = handovers.filter(sender=user)
        status = self.request.GET.get("status")
        if status in Status.values:
            handovers = handovers.filter(status=status)
        return handovers.order_by("-sent_at", "-pk")

    def get_columns(self):
        def detail_url(handover):
            return reverse("handovers:detail", args=(handover.pk,))

        columns = [
            TitleColumn("number", label=_("No."), accessor="pk", get_url=detail_url),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                primary=lambda h: h.status in ACTIVE,
            ),
            Column("urgency", label=_("Urgency"), accessor="get_urgency_display"),
        ]
        if self.box == "overview":
            columns += [
                Column("sender_organisation", label=_("From")),
                Column("recipient_organisation", label=_("To organisation")),
                Column(
                    "topics",
                    label=_("Topics"),
                    accessor=lambda h: ", ".join(t.name for t in h.topics.all()),
                ),
            ]
        else:
            columns += [
                Column(
                    "recipient",
                    label=_("Recipient"),
                    accessor=lambda h: h.recipient and h.recipient.name,
                ),
                Column("recipient_organisation", label=_("Organisation")),
                Column("offer", label=_("Offer"), accessor=lambda h: h.offer and h.offer.title),
            ]
        columns += [
            DateColumn("sent_at", label=_("Sent")),
            DateColumn("due_at", label=_("Answer due")),
            DateColumn("finished_at", label=_("Finished")),
        ]
        return columns

    def get_header_buttons(self):
        buttons = []
        if may_send(self.request.user):
            buttons.append(
                HeaderButton(_("New handover"), url=reverse("handovers:add"), icon_name="plus")
            )
        if self.box == "overview":
            buttons.append(
                HeaderButton(
                    _("Download CSV"), url=reverse("handovers:export"), icon_name="download"
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handovers = list(self.get_queryset()[:500])
        tabs = [("inbox", BOXES["inbox"]), ("sent", BOXES["sent"])]
        if permissions.is_coordinator(self.request.user):
            tabs.append(("overview", BOXES["overview"]))
        context.update(
            table=Table(self.get_columns(), handovers),
            handovers=handovers,
            box=self.box,
            tabs=[(reverse(f"handovers:{name}"), label, name == self.box) for name, label in tabs],
            statuses=Status.choices,
            current_status=self.request.GET.get("status", ""),
        )
        return context


class OverviewExportView(View):
    """Metadata of all handovers as CSV for the county's statistics; no people, no content."""

    def get(self, request):
        if not permissions.is_coordinator(request.user):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="handovers.csv"'
        # Names are typed by partners: a cell like "=HYPERLINK(…)" must stay text.
        writer = SpreadsheetWriter(response)
        fields = (
            "id",
            "status",
            "urgency",
            "decline_reason",
            "outcome",
            "sent_at",
            "opened_at",
            "accepted_at",
            "declined_at",
            "in_contact_at",
            "closed_at",
            "withdrawn_at",
            "expired_at",
            "due_at",
            "reminded_at",
            "escalated_at",
        )
        writer.writerow([*fields, "sender_organisation", "recipient_organisation", "topics"])
        handovers = visible(request).prefetch_related("topics").order_by("pk")
        for handover in handovers:
            writer.writerow(
                [*(getattr(handover, name) or "" for name in fields)]
                + [
                    handover.sender_organisation or "",
                    handover.recipient_organisation or "",
                    "; ".join(t.name for t in handover.topics.all()),
                ]
            )
        return response


# One handover


class HandoverDetailView(HandoverAdminMixin, TemplateView):
    """A handover: parties see content and actions (the read is audited; the recipient's first
    look records "opened"); coordinators see the metadata only."""

    template_name = "lotse_handover/admin/detail.html"

    @cached_property
    def handover(self):
        return get_object_or_404(visible(self.request), pk=self.kwargs["pk"])

    def get_page_title(self):
        return str(self.handover)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, handover = self.request.user, self.handover
        party = permissions.can(user, permissions.READ_CONTENT, handover)
        content = services.read_content(user, handover, mark_opened=True) if party else None
        roles = services.roles_of(user, handover)
        context.update(
            history=self.history(party),
            handover=handover,
            party=party,
            roles=roles,
            content=content,
            consent=handover.consent if party else None,
            actions=services.allowed_actions(user, handover) if party else [],
            action_form=ActionForm(),
            reassignment=self.reassignment(),
        )
        if (
            party
            and services.SENDER in roles
            and handover.status
            in (
                Status.DECLINED,
                Status.EXPIRED,
            )
        ):
            context["alternatives"] = [
                (offer, services.contact_for(offer)) for offer in services.alternatives(handover)
            ]
        return context

    def reassignment(self):
        """For coordinators: what "re-assign" would change (None when it would change nothing)."""
        handover = self.handover
        if (
            not permissions.may_reassign_receivers(self.request.user)
            or handover.status not in recipients.REASSIGNABLE
        ):
            return None
        return recipients.reassignment(handover) or None

    def history(self, party):
        """Who did what when: names for the parties, the bare steps for coordinators."""
        from django.contrib.auth import get_user_model

        entries = list(audit.history(self.handover))
        names = {}
        if party:
            users = get_user_model().objects.filter(pk__in={e.actor_id for e in entries})
            names = {u.pk: u.get_full_name() or u.get_username() for u in users}
        return [
            {
                "at": entry.created_at,
                "action": audit.ACTION_LABELS.get(entry.action, entry.action),
                "actor": names.get(entry.actor_id, "") if entry.actor_id else _("System"),
            }
            for entry in entries
        ]


class HandoverActionView(View):
    """POST one of the recipient's actions; the service decides whether it is allowed."""

    def post(self, request, pk, action):
        handover = get_object_or_404(visible(request), pk=pk)
        if action not in services.TRANSITIONS:
            raise Http404
        form = ActionForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            services.transition(
                request.user,
                handover,
                action,
                reason=data.get("reason") or "",
                outcome=data.get("outcome") or "",
                contact_date=data.get("contact_date"),
                note=data.get("note") or "",
            )
        except services.TransitionNotAllowed as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            handover.refresh_from_db()
            messages.success(
                request,
                _("%(handover)s: %(status)s.")
                % {"handover": handover, "status": handover.get_status_display()},
            )
        return redirect("handovers:detail", pk=handover.pk)


class ReassignView(View):
    """POST, coordinators only: the handover goes to its contact's current account and deputy
    (after the contact's account or deputy changed). Audited; the new recipient is told."""

    def post(self, request, pk):
        handover = get_object_or_404(visible(request), pk=pk)
        if not permissions.may_reassign_receivers(request.user):
            raise PermissionDenied
        try:
            recipients.reassign(request.user, handover)
        except recipients.NothingToReassign as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Re-assigned to the contact's current account and deputy."))
        return redirect("handovers:detail", pk=handover.pk)


class WithdrawConsentView(HandoverAdminMixin, TemplateView):
    """The sender records the citizen's withdrawal: confirm, then purge at once."""

    template_name = "lotse_handover/admin/confirm_withdraw.html"

    @cached_property
    def handover(self):
        handover = get_object_or_404(visible(self.request), pk=self.kwargs["pk"])
        if not services.is_sender(self.request.user, handover):
            raise PermissionDenied
        return handover

    def get_page_title(self):
        return _("Consent withdrawn")

    def get_page_subtitle(self):
        return str(self.handover)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "handover": self.handover}

    def post(self, request, pk):
        try:
            services.withdraw_consent(request.user, self.handover)
        except services.TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Withdrawal recorded: the content is deleted and the recipient is told."),
            )
        return redirect("handovers:detail", pk=self.handover.pk)


# Starting a handover


class HandoverCreateView(HandoverAdminMixin, FormView):
    """Start a handover, from an offer (its named contact preselected) or from scratch."""

    template_name = "lotse_handover/admin/form.html"
    form_class = HandoverForm

    def dispatch(self, request, *args, **kwargs):
        if not may_send(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("New handover")

    #: The draft being completed, if any (see `DraftEditView`).
    draft = None
    #: May the form be kept as a draft?
    drafts = True

    @cached_property
    def offer(self):
        pk = self.request.GET.get("offer") or self.request.POST.get("offer")
        if not (pk and str(pk).isdigit()):
            return None
        return OfferPage.objects.live().select_related("organisation").filter(pk=pk).first()

    def post(self, request, *args, **kwargs):
        if not self.drafts or "save_draft" not in request.POST:
            return super().post(request, *args, **kwargs)
        form = self.get_form_class()(request.POST, draft=True)
        if not form.is_valid():
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            draft = services.save_draft(
                request.user,
                recipient=data.get("recipient"),
                offer=data.get("offer"),
                summary=data.get("summary") or "",
                citizen=form.citizen(),
                urgency=data.get("urgency") or "normal",
                draft=self.draft,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(request, _("Draft saved. Only you can see it; nobody has been told yet."))
        return redirect("handovers:detail", pk=draft.pk)

    def get_initial(self):
        initial = super().get_initial()
        if self.offer is not None:
            initial["offer"] = self.offer.pk
            contact = services.contact_for(self.offer)
            if contact is not None:
                initial["recipient"] = contact.pk
            initial["purpose"] = self.offer.title
        return initial

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "offer": self.offer,
            "draft": self.draft,
            "drafts": self.drafts,
            "print_url": reverse("handovers:consent_preview"),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            handover = services.create_handover(
                self.request.user,
                recipient=data["recipient"],
                offer=data.get("offer"),
                summary=data["summary"],
                citizen=form.citizen(),
                urgency=data["urgency"],
                consent=form.consent(),
                draft=self.draft,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        except services.TransitionNotAllowed as error:
            messages.error(self.request, str(error))
            return redirect("handovers:detail", pk=self.draft.pk)
        messages.success(self.request, _("Handover sent. The recipient has been told."))
        return redirect("handovers:detail", pk=handover.pk)


class DraftEditView(HandoverCreateView):
    """Complete a draft: the form again, filled with what was saved (the read is audited)."""

    def dispatch(self, request, *args, **kwargs):
        self.draft  # noqa: B018 – 404 for others' handovers before anything else
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def draft(self):
        handover = get_object_or_404(visible(self.request), pk=self.kwargs["pk"])
        if "edit_draft" not in services.allowed_actions(self.request.user, handover):
            raise PermissionDenied
        return handover

    def get_page_title(self):
        return _("Draft")

    def get_page_subtitle(self):
        return str(self.draft)

    @cached_property
    def offer(self):
        if "offer" in self.request.GET or "offer" in self.request.POST:
            return super().offer
        return self.draft.offer if self.draft.offer_id and self.draft.offer.live else None

    def get_initial(self):
        initial = super().get_initial()
        draft = self.draft
        content = services.read_content(self.request.user, draft)
        initial["urgency"] = draft.urgency
        if draft.recipient_id:
            initial["recipient"] = draft.recipient_id
        if content is not None:
            initial.update(
                summary=content.summary,
                citizen_name=content.citizen_name,
                citizen_phone=content.citizen_phone,
                citizen_email=content.citizen_email,
                preferred_language=content.preferred_language,
                best_times=content.best_times,
            )
        return initial


class DiscardDraftView(View):
    """POST: the sender throws a draft away."""

    def post(self, request, pk):
        handover = get_object_or_404(visible(request), pk=pk)
        if "discard_draft" not in services.allowed_actions(request.user, handover):
            raise PermissionDenied
        services.discard_draft(request.user, handover)
        messages.success(request, _("Draft deleted."))
        return redirect("handovers:sent")


class RehandoverView(HandoverCreateView):
    """After a decline: the same case to another contact in one step."""

    form_class = RehandoverForm
    drafts = False

    def dispatch(self, request, *args, **kwargs):
        self.previous  # noqa: B018 – 404 for others' handovers before anything else
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def previous(self):
        handover = get_object_or_404(visible(self.request), pk=self.kwargs["pk"])
        if not services.is_sender(self.request.user, handover):
            raise PermissionDenied
        return handover

    def get_page_title(self):
        return _("Hand over again")

    def get_page_subtitle(self):
        return str(self.previous)

    def get_initial(self):
        initial = super().get_initial()
        initial["urgency"] = self.previous.urgency
        if self.offer is None:
            initial["purpose"] = ""
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(previous=self.previous, rehandover=True, drafts=False)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            handover = services.rehandover(
                self.request.user,
                self.previous,
                data["recipient"],
                offer=data.get("offer"),
                consent=form.consent() if form.has_new_consent() else None,
                urgency=data["urgency"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        except services.TransitionNotAllowed as error:
            messages.error(self.request, str(error))
            return redirect("handovers:detail", pk=self.previous.pk)
        messages.success(self.request, _("Handed over again. The new recipient has been told."))
        return redirect("handovers:detail", pk=handover.pk)


# The consent form to print


def _print(request, context, language):
    with translation.override(language):
        return TemplateResponse(request, "lotse_handover/consent_print.html", context).render()


class ConsentPrintView(View):
    """The stored consent of a handover, as printed for the citizen (parties only)."""

    def get(self, request, pk):
        handover = get_object_or_404(visible(request), pk=pk)
        if handover.consent is None:
            # A draft has no stored consent yet: its form prints a preview instead.
            raise Http404
        permissions.require(request.user, permissions.READ_CONTENT, handover)
        content = services.read_content(request.user, handover)
        consent = handover.consent
        return _print(
            request,
            {
                "text": consent.text,
                "version": consent.text_version,
                "citizen_name": content.citizen_name if content else "",
                "consent": consent,
                "method_label": consent.get_method_display(),
            },
            consent.text_language,
        )


class ConsentPreviewView(View):
    """The consent form from the fields typed so far, to print and sign before sending.

    Nothing is stored; the same function writes the text that is stored on sending.
    """

    def post(self, request):
        if not may_send(request.user):
            raise PermissionDenied
        form = HandoverForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        missing = [
            name
            for name in ("recipient", "purpose", "valid_until", "language")
            if not data.get(name)
        ]
        if missing:
            return TemplateResponse(
                request,
                "lotse_handover/consent_print.html",
                {"missing": [form.fields[name].label for name in missing]},
                status=400,
            )
        consent = form.consent()
        categories = [c for c in consent["data_categories"] if c]
        version, text = services.consent_text(
            sender_organisation=services.adviser_organisation(request.user),
            recipient=data["recipient"],
            purpose=data["purpose"],
            data_categories=categories,
            valid_until=data["valid_until"],
            language=data["language"],
        )
        return _print(
            request,
            {
                "text": text,
                "version": version,
                "citizen_name": data.get("citizen_name", ""),
                "preview": True,
                "today": timezone.localdate(),
            },
            data["language"],
        )
