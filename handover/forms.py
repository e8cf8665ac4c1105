"""The adviser's handover form: recipient, case, citizen and the consent, in one step."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.directory.models import OfferPage

from . import services
from .models import ConsentMethod, DataCategory, DeclineReason, Outcome, Urgency

#: Form fields that hold consent values, as the service names them.
CONSENT_FIELDS = (
    "given_at",
    "method",
    "adviser_declaration",
    "data_categories",
    "purpose",
    "valid_until",
    "language",
)
CITIZEN_FIELDS = {
    "citizen_name": "name",
    "citizen_phone": "phone",
    "citizen_email": "email",
    "preferred_language": "preferred_language",
    "best_times": "best_times",
}


class GroupedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """The people grouped by organisation (<optgroup>), so ~150 of them stay findable with
    the keyboard and a screen reader, without JavaScript."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for person in self.queryset:
            groups.setdefault(person.organisation.name, []).append(self.choice(person))
        yield from groups.items()

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class RecipientChoiceField(forms.ModelChoiceField):
    iterator = GroupedModelChoiceIterator

    def label_from_instance(self, person):
        return f"{person.name} ({person.function})" if person.function else person.name


def _consent_fields(required):
    default_until = timezone.localdate() + dt.timedelta(days=90)
    return {
        "given_at": forms.DateTimeField(
            label=_("Consent given at"),
            required=required,
            initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        ),
        "method": forms.ChoiceField(
            label=_("How consent was given"),
            choices=ConsentMethod.choices,
            required=required,
            widget=forms.RadioSelect,
        ),
        "adviser_declaration": forms.BooleanField(
            label=_(
                "I read the consent text to the citizen, the citizen understood it and agreed "
                "(needed for verbal consent)."
            ),
            required=False,
        ),
        "data_categories": forms.MultipleChoiceField(
            label=_("Data passed on"),
            choices=[c for c in DataCategory.choices if c[0] != DataCategory.CONTACT],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The citizen's contact details are always passed on."),
        ),
        "purpose": forms.CharField(
            label=_("Purpose"),
            required=required,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("What the recipient is to do, e.g. “debt counselling”. No case details."),
        ),
        "valid_until": forms.DateField(
            label=_("Consent valid until"),
            required=required,
            initial=default_until,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        ),
        "language": forms.ChoiceField(
            label=_("Language of the consent form"),
            choices=[("de", _("German")), ("en", _("English"))],
            required=required,
            initial="de",
        ),
    }


class HandoverForm(forms.Form):
    """A new handover. Field names follow the service, so its errors land on the fields."""

    recipient = RecipientChoiceField(
        label=_("Recipient"),
        queryset=services.receivable_contacts()
        .select_related("organisation")
        .order_by("organisation__name", "name"),
        help_text=_("Only people who receive handovers are listed."),
    )
    offer = forms.ModelChoiceField(
        queryset=OfferPage.objects.live(), required=False, widget=forms.HiddenInput
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Case summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only what the recipient needs to help. Seen by the recipient and deputy."),
    )
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=200)
    citizen_phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    citizen_email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_language = forms.CharField(
        label=_("Preferred language"), max_length=100, required=False
    )
    best_times = forms.CharField(label=_("Best times to reach"), max_length=300, required=False)

    consent_required = True

    class Media:
        js = ["lotse_handover/recipient-filter.js"]

    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_consent_fields(self.consent_required and not draft))
        if draft:
            # A draft keeps whatever has been typed so far; sending checks everything.
            for field in self.fields.values():
                field.required = False

    def citizen(self):
        return {key: self.cleaned_data.get(name, "") for name, key in CITIZEN_FIELDS.items()}

    def consent(self):
        consent = {name: self.cleaned_data.get(name) for name in CONSENT_FIELDS}
        consent["data_categories"] = [
            DataCategory.CONTACT.value,
            *(consent.get("data_categories") or []),
        ]
        return consent

    def add_service_errors(self, error):
        for key, messages in error.message_dict.items():
            leaf = key.split(".")[-1]
            name = (
                "citizen_" + leaf
                if key.startswith("citizen.") and leaf in ("name", "phone")
                else leaf
            )
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class RehandoverForm(HandoverForm):
    """Hand a declined case to someone else: the content is copied, not typed again.

    A new consent is only needed for another organisation; its fields stay optional here and
    the service says when they are missing.
    """

    consent_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("summary", *CITIZEN_FIELDS):
            del self.fields[name]

    def has_new_consent(self):
        data = self.cleaned_data
        return bool(data.get("method") or data.get("purpose") or data.get("data_categories"))


class ActionForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    contact_date = forms.DateField(
        label=_("Date of first contact or appointment"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note for the adviser (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
