"""The "My deputy" screen: a contact names who stands in for them during absences.

Only the person themselves (and the coordination, in the contact's entry) name a deputy; the
naming is stamped with who and when and written to the handover audit (`contacts`). A deputy
named here reads handovers sent from now on; those already sent keep their accounts.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import contacts
from .models import Person


class DeputyForm(forms.Form):
    deputy = forms.ModelChoiceField(
        label=gettext_lazy("Deputy"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=gettext_lazy("Nobody"),
        help_text=gettext_lazy(
            "A colleague of your organisation who may read and answer handovers sent to you "
            "from now on. Handovers sent before keep going to the people they were sent to."
        ),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = (
            Person.objects.filter(organisation_id=person.organisation_id, user__is_active=True)
            .exclude(pk=person.pk)
            .order_by("name")
        )


class MyDeputyView(WagtailAdminTemplateMixin, FormView):
    template_name = "lotse_network/admin/my_deputy.html"
    form_class = DeputyForm
    header_icon = "user"
    page_title = gettext_lazy("My deputy")

    @cached_property
    def person(self):
        person = Person.objects.filter(user=self.request.user).first()
        if person is None:
            raise Http404
        return person

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        return {"deputy": self.person.deputy_id}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def form_valid(self, form):
        try:
            contacts.name_deputy(self.request.user, self.person, form.cleaned_data["deputy"])
        except ValidationError as error:
            form.add_error("deputy", error.message_dict.get("deputy") or error.messages)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error("deputy", str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Your deputy is saved."))
        return redirect("network_my_deputy")
