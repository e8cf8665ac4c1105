"""Admin forms' choice fields limited to what the signed-in user may pick.

Used by snippet forms (`scoping.ScopedModelForm`) and page forms alike. Wagtail's chooser
widgets show the title of whatever id a bound form carries, so a refused id is also dropped
from the form's data: a re-rendered form must not name another organisation's object.
"""

from django import forms
from django.contrib.auth import get_user_model


def scope_choices(form, user):
    """Narrow every model choice field of `form` (a single form, not its formsets)."""
    from . import permissions
    from .models import Organisation

    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if queryset.model is get_user_model():
            field.queryset = queryset.filter(pk__in=permissions.visible_users(user))
        elif queryset.model is Organisation:
            # Only organisations the user maintains may receive new or moved entries.
            field.queryset = permissions.filter_queryset(user, permissions.CHANGE, queryset)
        else:
            field.queryset = permissions.filter_queryset(user, permissions.CHOOSE, queryset)


def forget_refused_choices(form):
    """Drop the submitted values of model choice fields that failed validation."""
    if not form.is_bound or not form.errors:
        return
    refused = [
        form.add_prefix(name)
        for name, field in form.fields.items()
        if name in form.errors and isinstance(field, forms.ModelChoiceField)
    ]
    if refused:
        form.data = form.data.copy()
        for key in refused:
            form.data.pop(key, None)


class ScopedChoicesMixin:
    """For Wagtail admin forms (`for_user`): scoped choices, in inline formsets too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        scope_choices(self, self.for_user)
        for formset in getattr(self, "formsets", {}).values():
            for form in formset.forms:
                scope_choices(form, self.for_user)

    def is_valid(self):
        valid = super().is_valid()
        if self.for_user is not None:
            forget_refused_choices(self)
            for formset in getattr(self, "formsets", {}).values():
                for form in formset.forms:
                    forget_refused_choices(form)
        return valid
