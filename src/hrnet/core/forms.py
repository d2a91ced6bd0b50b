from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on the field it names,
    the rest (and a message for no field) on the whole form. The form keeps what was
    typed, so the page shows it again with the reasons."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


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
