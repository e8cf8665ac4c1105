"""Onboarding screens: the admin's list of invitations and the public page that accepts one.

Both only collect input and show results; `lotse.network.services` holds the rules and
`lotse.network.permissions` decides who may do what.
"""

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from lotse.conf import template_context

from . import services
from .forms import AcceptInvitationForm, ConfirmInvitationForm, InvitationForm
from .models import Invitation, invitation_validity
from .ratelimit import limited_response

# Wagtail admin: the "Invitations" screen in the "Network" menu


class InvitationPermissionPolicy(BasePermissionPolicy):
    """Wagtail's generic views ask this policy; it answers from
    `lotse.network.services`/`permissions`.

    Invitations are never edited or deleted: they are created, withdrawn or sent again.
    """

    def user_has_permission(self, user, action):
        if action in ("add", "view"):
            return services.may_invite_anywhere(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return services.visible_invitations(user).filter(pk=instance.pk).exists()
        if action == "add":
            return services.may_invite(user, instance.organisation, instance.role)
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        if {"add", "view"} & set(actions):
            return services.visible_invitations(user)
        return Invitation.objects.none()


register_permission_policy(Invitation, InvitationPermissionPolicy(Invitation))


class InvitationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Invitation.Status.choices,
        method="filter_status",
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Invitation
        fields = ["status", "role"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)


def _display_name(invitation):
    user = invitation.invited_by
    return (user.get_full_name() or user.get_username()) if user else ""


class InvitationIndexView(generic.IndexView):
    """Invitations to the organisations the user may invite to, with their state."""

    revoke_url_name = None
    resend_url_name = None

    def get_base_queryset(self):
        return services.visible_invitations(self.request.user).select_related(
            "organisation", "invited_by"
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("email"),
            Column("organisation", label=gettext_lazy("Organisation"), sort_key="organisation"),
            Column("get_role_display", label=gettext_lazy("Role"), sort_key="role"),
            StatusTagColumn(
                "get_status_display",
                label=gettext_lazy("Status"),
                primary=lambda invitation: invitation.status == Invitation.Status.PENDING,
            ),
            # Names only: Wagtail's user column would load avatars from an outside service.
            Column("invited_by", label=gettext_lazy("Invited by"), accessor=_display_name),
            Column("sent_at", label=gettext_lazy("Last sent"), sort_key="sent_at"),
            Column("expires_at", label=gettext_lazy("Valid until"), sort_key="expires_at"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = []
        if not services.may_invite(self.request.user, instance.organisation, instance.role):
            return buttons
        if instance.can_be_resent:
            buttons.append(
                Button(
                    _("Send again"),
                    url=reverse(self.resend_url_name, args=(quote(instance.pk),)),
                    icon_name="mail",
                    priority=10,
                )
            )
        if instance.can_be_revoked:
            buttons.append(
                Button(
                    _("Withdraw"),
                    url=reverse(self.revoke_url_name, args=(quote(instance.pk),)),
                    icon_name="cross",
                    priority=20,
                )
            )
        return buttons


class InvitationCreateView(generic.CreateView):
    """Invite someone; the e-mail goes out when the form is saved."""

    success_message = gettext_lazy("Invitation sent to %(object)s.")
    submit_button_label = gettext_lazy("Send invitation")
    submit_button_active_label = gettext_lazy("Sending…")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        data = self.form.cleaned_data
        return services.invite(
            self.request.user, data["email"], data["organisation"], data["role"], self.request
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.InvitationNotSent:
            self.produced_error_message = _(
                "The invitation e-mail could not be sent, so no invitation was saved. "
                "Please try again later."
            )
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)

    def get_success_buttons(self):
        return []


class InvitationActionView(WagtailAdminTemplateMixin, View):
    """Confirm, then withdraw an invitation or send it again (with a new link)."""

    template_name = "lotse_network/admin/invitation_confirm.html"
    index_url_name = None
    action = None  # "revoke" or "resend"
    header_icon = "mail"

    def dispatch(self, request, pk):
        # Invitations to organisations the user cannot manage do not exist for them.
        self.object = get_object_or_404(services.visible_invitations(request.user), pk=pk)
        if not services.may_invite(request.user, self.object.organisation, self.object.role):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Send invitation again") if self.action == "resend" else _("Withdraw invitation")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Invitations")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = invitation_validity().days
        if self.action == "resend":
            message = ngettext(
                "Send the invitation for %(email)s to %(organisation)s again? It gets a new "
                "link, valid for %(days)s day; the old link stops working.",
                "Send the invitation for %(email)s to %(organisation)s again? It gets a new "
                "link, valid for %(days)s days; the old link stops working.",
                days,
            )
        else:
            message = _(
                "Withdraw the invitation for %(email)s to %(organisation)s? Its link stops "
                "working at once."
            )
        context.update(
            object=self.object,
            confirmation_message=message
            % {"email": self.object.email, "organisation": self.object.organisation, "days": days},
            action=self.action,
            index_url=reverse(self.index_url_name),
        )
        return context

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        try:
            if self.action == "resend":
                services.resend(request.user, self.object, request)
                messages.success(
                    request,
                    _("Invitation for %(email)s sent again.") % {"email": self.object.email},
                )
            else:
                services.revoke(request.user, self.object)
                messages.success(
                    request, _("Invitation for %(email)s withdrawn.") % {"email": self.object.email}
                )
        except services.InvitationNotSent:
            messages.error(
                request,
                _(
                    "The invitation e-mail could not be sent; the previous link still works. "
                    "Please try again later."
                ),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.index_url_name)


class InvitationViewSet(ModelViewSet):
    """Invitations: list, create, withdraw, send again; no editing or deleting."""

    model = Invitation
    icon = "mail"
    menu_label = gettext_lazy("Invitations")
    name = "invitations"
    url_prefix = "network/invitations"
    url_namespace = "network_invitations"
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    filterset_class = InvitationFilterSet
    search_fields = ["email"]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return InvitationForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            revoke_url_name=self.get_url_name("revoke"),
            resend_url_name=self.get_url_name("resend"),
            **kwargs,
        )

    def get_action_view(self, action):
        return InvitationActionView.as_view(
            action=action, index_url_name=self.get_url_name("index")
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("revoke/<int:pk>/", self.get_action_view("revoke"), name="revoke"),
            path("resend/<int:pk>/", self.get_action_view("resend"), name="resend"),
        ]

    def register_admin_url_finder(self):
        """No edit view to point to."""

    def get_permissions_to_register(self):
        """Invitation rights follow memberships, not Django permissions: none to hand out."""
        from django.contrib.auth.models import Permission

        return Permission.objects.none()


# Public: accept an invitation


#: Like Django's password reset: the token is moved from the URL into the session at once, so
#: that the page (and anything it links to) never carries it in a Referer header.
INVITATION_SESSION_KEY = "_lotse_invitation_token"
INVITATION_URL_TOKEN = "annehmen"


def _login_backend():
    backends = settings.AUTHENTICATION_BACKENDS
    model_backend = "django.contrib.auth.backends.ModelBackend"
    return model_backend if model_backend in backends else backends[0]


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_protect, name="dispatch")
class AcceptInvitationView(View):
    """The page the e-mailed link opens: create an account, or add the role to one's account.

    Modes: "create" (no account with this address yet), "confirm" (signed in as the invitee),
    "sign_in" (an account exists, nobody signed in), "other_account" (signed in as someone else).
    """

    template_name = "lotse_network/invitation_accept.html"

    @sensitive_variables("token")
    def dispatch(self, request, token):
        # Guessing links or passwords here is slowed down per address (LOTSE_RATELIMIT_INVITATION).
        response = limited_response(request, "invitation") or self._dispatch(request, token)
        # A URL with the token is never sent on as a referrer. The form page carries no token,
        # and must not use "no-referrer": browsers then send "Origin: null" with the form and
        # Django's CSRF check refuses it; "same-origin" still tells other sites nothing.
        carries_token = token != INVITATION_URL_TOKEN
        response["Referrer-Policy"] = "no-referrer" if carries_token else "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    @sensitive_variables("token")
    def _dispatch(self, request, token):
        if token != INVITATION_URL_TOKEN:
            try:
                services.usable_invitation(token)
            except services.InvitationError as error:
                return self.unusable(error)
            request.session[INVITATION_SESSION_KEY] = token
            return HttpResponseRedirect(request.path.replace(token, INVITATION_URL_TOKEN))
        self.token = request.session.get(INVITATION_SESSION_KEY)
        try:
            self.invitation = services.usable_invitation(self.token)
        except services.InvitationError as error:
            return self.unusable(error)
        self.account = services.existing_account(self.invitation.email)
        return super().dispatch(request)

    def unusable(self, error):
        status = 404 if error.code == services.InvitationError.INVALID else 410
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "error": error,
                "mode": "unusable",
                "login_url": reverse("wagtailadmin_login"),
                **template_context(),
            },
            status=status,
        )

    @cached_property
    def mode(self):
        user = self.request.user
        if self.account is None:
            return "create"
        if not user.is_authenticated:
            return "sign_in"
        if services.normalise_email(user.email) == self.invitation.email:
            return "confirm"
        return "other_account"

    def get_form(self, data=None):
        if self.mode == "create":
            return AcceptInvitationForm(
                data, initial={"username": services.suggest_username(self.invitation.email)}
            )
        if self.mode == "confirm":
            return ConfirmInvitationForm(data)
        return None

    def render(self, form, status=200):
        login_url = reverse("wagtailadmin_login") + "?" + urlencode({"next": self.request.path})
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                **template_context(),
                "invitation": self.invitation,
                "form": form,
                "mode": self.mode,
                "login_url": login_url,
            },
            status=status,
        )

    def get(self, request):
        return self.render(self.get_form())

    @sensitive_variables("token")
    def post(self, request):
        form = self.get_form(request.POST)
        if form is None:
            return self.render(None, status=400)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            if self.mode == "confirm":
                membership = services.accept_invitation(self.token, user=request.user)
            else:
                data = form.cleaned_data
                membership = services.accept_invitation(
                    self.token,
                    username=data["username"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
        except services.InvitationError as error:
            return self.unusable(error)
        except ValidationError as error:
            if isinstance(form, AcceptInvitationForm):
                form.add_service_error(error)
            else:
                form.add_error(None, error)
            return self.render(form, status=400)
        if self.mode == "create":
            login(request, membership.user, backend=_login_backend())
        # A used token has no business in the session any more.
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request,
            _("Welcome! You now work for %(organisation)s as “%(role)s”.")
            % {
                "organisation": membership.organisation,
                "role": membership.get_role_display(),
            },
        )
        return redirect("wagtailadmin_home")
