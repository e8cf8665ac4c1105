"""A compact weekday set stored the way HSDS writes `byday` ("MO,WE,FR")."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class WeekdaysField(models.CharField):
    """Holds a list of weekday codes; the database sees "MO,TU", Python sees ["MO", "TU"]."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, list | tuple):
            codes = list(value)
        else:
            codes = [c.strip().upper() for c in str(value).split(",") if c.strip()]
        unknown = [c for c in codes if c not in WEEKDAY_CODES]
        if unknown:
            raise ValidationError(
                _("Unknown weekday: %(codes)s"), params={"codes": ", ".join(unknown)}
            )
        return sorted(set(codes), key=WEEKDAY_CODES.index)

    def get_prep_value(self, value):
        return ",".join(self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=WEEKDAY_CHOICES,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
