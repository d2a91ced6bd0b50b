"""Forms of the evidence imports: the upload of values, the export filters and the upload
of the DHIS2 mapping table. They check shape only; the importers check meaning."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import ImportForm
from hrnet.core.periods import period_parse


class ValuesImportForm(ImportForm):
    FORMATS: ClassVar = [
        ("", _("From the file name (.csv, .xlsx, .json)")),
        ("csv", "CSV"),
        ("xlsx", "XLSX"),
        ("dhis2", _("DHIS2 dataValueSets JSON")),
    ]

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        required=False,
        help_text=_(
            "For rows without a source column, e.g. UNAIDS GAM or national report. "
            "DHIS2 files default to “DHIS2”."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = _(
            "Tidy CSV (UTF-8 or Windows-1251; comma, semicolon or tab), XLSX, or DHIS2 JSON."
        )
        self.order_fields(["file", "format", "source", "partial"])


class ExportForm(forms.Form):
    FORMATS: ClassVar = [
        ("csv", "CSV"),
        ("xlsx", "XLSX"),
        ("dhis2", _("DHIS2 dataValueSets JSON")),
    ]

    indicator = forms.CharField(label=_("Indicator code"), max_length=64, required=False)
    country = forms.CharField(label=_("Country ISO code"), max_length=2, required=False)
    period = forms.CharField(
        label=_("Period"), max_length=10, required=False, help_text=_("2019, 2019Q1 or 2019-01.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)

    def clean_period(self) -> str:
        text: str = self.cleaned_data["period"].strip()
        if not text:
            return ""
        try:
            return period_parse(text)[0]
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write a period as 2019, 2019Q1, 201901 or 2019-01.")
            ) from exc

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or "csv"
