"""Forms of the reporting pages: one input per data element of a reporting form (a number,
or "not known" where the field is not required), and the secretariat's reopening."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.evidence.formats import number_parse
from hrnet.evidence.models import ReportingFormField
from hrnet.evidence.services.reporting import WHOLE_NUMBER_UNITS, EntryIn

UNKNOWN_SUFFIX = "__unknown"
# Units that count whole things: 270.5 people is a typing slip, not a value.


class EntryForm(forms.Form):
    confirm_outliers = forms.BooleanField(
        label=gettext_lazy("The values marked as unusual are right"), required=False
    )

    def __init__(
        self, *args: Any, fields: list[ReportingFormField], disabled: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.form_fields = fields
        for form_field in fields:
            code = form_field.indicator.code
            unit = form_field.indicator.unit
            self.fields[code] = forms.CharField(
                label=form_field.indicator.name,
                required=False,
                disabled=disabled,
                help_text=unit,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            if not form_field.is_required:
                self.fields[code + UNKNOWN_SUFFIX] = forms.BooleanField(
                    label=gettext_lazy("Not known"), required=False, disabled=disabled
                )

    def rows(self) -> list[tuple[ReportingFormField, Any, Any]]:
        """(form field, its input, its "not known" box or None) in the form's order."""
        return [
            (
                form_field,
                self[form_field.indicator.code],
                self[form_field.indicator.code + UNKNOWN_SUFFIX]
                if not form_field.is_required
                else None,
            )
            for form_field in self.form_fields
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for form_field in self.form_fields:
            code = form_field.indicator.code
            text = (data.get(code) or "").strip()
            if data.get(code + UNKNOWN_SUFFIX):
                if text:
                    self.add_error(code, _("Either write a number or tick “not known”, not both."))
                continue
            if text:
                self._number_clean(data, form_field, text)
        return data

    def _number_clean(
        self, data: dict[str, Any], form_field: ReportingFormField, text: str
    ) -> None:
        """One error per field, quoting the number as the user typed it (not "-5.0000")."""
        code = form_field.indicator.code
        name = form_field.indicator.name
        try:
            number = number_parse(text)
        except ValueError:
            self.add_error(code, _("%(value)s is not a number.") % {"value": text})
            return
        if number < 0:
            self.add_error(
                code, _("%(field)s cannot be negative: %(value)s.") % {"field": name, "value": text}
            )
        elif form_field.indicator.unit in WHOLE_NUMBER_UNITS and number != number.to_integral():
            self.add_error(
                code,
                _("%(field)s is a count: %(value)s is not a whole number.")
                % {"field": name, "value": text},
            )
        else:
            data[code] = number

    def entry(self, *, submit: bool) -> EntryIn:
        values: dict[str, Decimal | None] = {}
        for form_field in self.form_fields:
            code = form_field.indicator.code
            if self.cleaned_data.get(code + UNKNOWN_SUFFIX):
                values[code] = None
            elif isinstance(self.cleaned_data.get(code), Decimal):
                values[code] = self.cleaned_data[code]
        return EntryIn(
            values=values,
            submit=submit,
            confirm_outliers=bool(self.cleaned_data.get("confirm_outliers")),
        )


class ReopenForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Open for members until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_until(self) -> date:
        until: date = self.cleaned_data["until"]
        return until
