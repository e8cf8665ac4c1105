"""Forms of the onboarding screens; the rules they enforce live in `lotse.network.services`."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Invitation


class InvitationForm(forms.ModelForm):
    """Invite someone: only organisations and roles the signed-in user may invite for."""

    class Meta:
        model = Invitation
        fields = ["email", "organisation", "role"]
        widgets = {"organisation": forms.Select, "role": forms.Select}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["organisation"].queryset = services.invitable_organisations(for_user)
        roles = services.invitable_roles(for_user)
        self.fields["role"].choices = [("", "---------")] + [
            (role.value, role.label) for role in roles
        ]
        self.fields["email"].help_text = _(
            "The invitation link is sent to this address and works only for it."
        )

    def clean_email(self):
        return services.normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        email, organisation, role = (cleaned.get(k) for k in ("email", "organisation", "role"))
        if email and organisation and role:
            try:
                services.validate_invitation(self.for_user, email, organisation, role)
            except PermissionDenied:
                self.add_error(
                    "role",
                    _("You may not invite anyone to %(organisation)s in this role.")
                    % {"organisation": organisation},
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AcceptInvitationForm(SetPasswordMixin, forms.Form):
    """A new account for an invitee: username, optional name, password twice."""

    #: `services.accept_invitation()` reports password problems as "password".
    SERVICE_FIELDS = {"password": "password1"}

    username = UsernameField(
        label=get_user_model()._meta.get_field("username").verbose_name,
        max_length=150,
        help_text=get_user_model()._meta.get_field("username").help_text,
    )
    first_name = forms.CharField(
        label=get_user_model()._meta.get_field("first_name").verbose_name,
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=get_user_model()._meta.get_field("last_name").verbose_name,
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean(self):
        self.validate_passwords()
        return super().clean()

    def add_service_error(self, error):
        """Show a ValidationError from `services.accept_invitation()` at the right fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = self.SERVICE_FIELDS.get(field, field)
            self.add_error(target if target in self.fields else None, errors)


class ConfirmInvitationForm(forms.Form):
    """A signed-in invitee accepts with one button; the form only carries the CSRF token."""
