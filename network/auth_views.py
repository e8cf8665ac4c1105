"""Sign-in screens after the password: enter a code, set up an app, manage recovery codes.

They only collect input; `lotse.network.two_factor` holds the rules, `lotse.network.permissions`
decides who must use a second factor. The lockout page answers when django-axes refuses a sign-in.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lotse.conf import lotse_settings

from . import permissions, two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


def safe_next(request):
    """Where to go after this screen: the `next` parameter if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _throttle_message(until):
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return _("Too many wrong codes. Please wait %(minutes)s minute(s) and try again.") % {
        "minutes": minutes
    }


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class VerifyView(View):
    """Second step of signing in: a code from the app, or one of the recovery codes."""

    template_name = "lotse_network/two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if two_factor.is_verified(user):
            return redirect(safe_next(request))
        if not two_factor.has_device(user):
            return redirect(two_factor.setup_url(safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "next": safe_next(self.request),
                "demo_code": two_factor.demo_hint(self.request.user),
            },
            status=status,
        )

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            if two_factor.verify(request, form.cleaned_data["code"]) is not None:
                return redirect(safe_next(request))
            code = form.cleaned_data["code"]
            until = two_factor.throttled_until(two_factor.devices_for_code(request.user, code))
            form.add_error(
                "code",
                _throttle_message(until)
                if until
                else _("This code is not valid. Codes from the app change every 30 seconds."),
            )
        return self.render(form, status=400)


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class SetupView(WagtailAdminTemplateMixin, View):
    """Connect an authenticator app: QR code (inline SVG) and the secret, then a first code.

    Whoever already has a second factor must have confirmed it in this session first, so a
    stolen password alone cannot add the thief's app.
    """

    template_name = "lotse_network/two_factor/setup.html"
    page_title = gettext_lazy("Set up two-factor authentication")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if two_factor.has_device(request.user) and not two_factor.is_verified(request.user):
            return redirect(two_factor.verify_url(safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def render(self, form, status=200):
        device = two_factor.pending_totp_device(self.request.user)
        context = self.get_context_data(
            form=form,
            qr_svg=two_factor.qr_svg(device),
            secret=two_factor.secret_text(device),
            next=safe_next(self.request),
            required=permissions.requires_second_factor(self.request.user),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = two_factor.pending_totp_device(request.user)
            codes = two_factor.confirm_totp(request, device, form.cleaned_data["code"])
            if codes is not None:
                return show_recovery_codes(self, codes, safe_next(request))
            until = two_factor.throttled_until([device])
            form.add_error(
                "code",
                _throttle_message(until)
                if until
                else _("This code is not valid. Check the time on your phone and try again."),
            )
        return self.render(form, status=400)


def show_recovery_codes(view, codes, next_url):
    """The codes are in this one response and nowhere else: the database keeps digests."""
    view.page_title = _("Your recovery codes")
    context = view.get_context_data(codes=codes, next=next_url)
    response = TemplateResponse(
        view.request, "lotse_network/two_factor/recovery_codes.html", context
    )
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(never_cache, name="dispatch")
class ManageView(WagtailAdminTemplateMixin, View):
    """Account → two-factor authentication: status, new recovery codes, switching it off."""

    template_name = "lotse_network/two_factor/manage.html"
    page_title = gettext_lazy("Two-factor authentication")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if two_factor.has_device(request.user) and not two_factor.is_verified(request.user):
            return redirect(two_factor.verify_url(request.get_full_path()))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_account"), "label": _("Account")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request):
        user = request.user
        context = self.get_context_data(
            device=two_factor.totp_device(user),
            remaining=two_factor.remaining_recovery_codes(user),
            required=permissions.requires_second_factor(user),
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request):
        user = request.user
        action = request.POST.get("action")
        if action == "recovery_codes" and two_factor.has_device(user):
            codes = two_factor.new_recovery_codes(user)
            return show_recovery_codes(self, codes, reverse("lotse_two_factor_manage"))
        if action == "disable":
            if permissions.requires_second_factor(user):
                raise PermissionDenied
            two_factor.disable(user)
            messages.success(request, _("Two-factor authentication is switched off."))
            return redirect("lotse_two_factor_manage")
        return redirect("lotse_two_factor_manage")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a refused sign-in (AXES_LOCKOUT_CALLABLE): Wagtail's login look.

    Says how long to wait, never whether the account exists.
    """
    if request.user.is_authenticated:
        logout(request)
    minutes = lotse_settings.LOTSE_LOGIN_COOLOFF_MINUTES
    # Rendered at once: django-axes returns it from a middleware, after the view.
    return render(
        request,
        "lotse_network/two_factor/locked_out.html",
        {"minutes": minutes, "login_url": reverse("wagtailadmin_login")},
        status=429,
    )
