"""Forms of the secretariat's register tools: import, merge, erasure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import ImportForm
from hrnet.members.models import Organisation, Person

IMPORTERS = {"organisations": "members.organisations", "people": "members.people"}


class RegisterImportForm(ImportForm):
    records = forms.ChoiceField(
        label=_("What the file lists"),
        choices=[
            ("organisations", _("Organisations")),
            ("people", _("People (individual members and staff of organisations)")),
        ],
        initial="organisations",
        widget=forms.RadioSelect,
        help_text=_("Import the organisations first: people refer to them by name or email."),
    )
    field_order = ("records", "file", "partial")


class MergeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of record"),
        choices=[("organisation", _("Organisation")), ("person", _("Person"))],
    )
    keep = forms.IntegerField(
        label=_("Number of the record to keep"),
        min_value=1,
        help_text=_("It keeps its name and gets every link of the other record."),
    )
    merge = forms.IntegerField(
        label=_("Number of the record to merge into it"),
        min_value=1,
        help_text=_("It goes to the trash once its links have moved."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        model: Any = Organisation if data.get("kind") == "organisation" else Person
        for name in ("keep", "merge"):
            pk = data.get(name)
            if pk is None:
                continue
            record = model.objects.select_related("country").filter(pk=pk).first()
            if record is None:
                self.add_error(name, _("No record with the number %(pk)s.") % {"pk": pk})
            else:
                data[f"{name}_record"] = record
        if data.get("keep") and data.get("keep") == data.get("merge"):
            self.add_error("merge", _("Choose two different records."))
        return data


class PersonEraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the audit log, e.g. “Request by email of 3 March”. Do not write the "
            "person's name or contact details here."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the personal data cannot be restored."),
    )
