from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1251; comma, semicolon or tab) or XLSX."),
    )
    partial = forms.BooleanField(
        label=_("Import the valid rows even if some rows are rejected"),
        required=False,
        help_text=_("Otherwise nothing is written unless every row is valid."),
    )
