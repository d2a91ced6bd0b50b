from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import LANGUAGE_CODES, language_name
from hrnet.core.uploads import ACCEPT


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on the field it names,
    the rest (and a message for no field) on the whole form. The form keeps what was
    typed, so the page shows it again with the reasons."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def errors_by_field(exc: ValidationError, *, prefix: str = "") -> dict[str, list[str]]:
    """A service's ValidationError as the API answers it: {field: [messages]}, with
    "__all__" for messages that name no field (`prefix` namespaces nested objects)."""
    if not hasattr(exc, "error_dict"):
        return {"__all__": [str(m) for m in exc.messages]}
    return {
        f"{prefix}{name}" if name != "__all__" else name: [str(m) for m in messages]
        for name, messages in exc.message_dict.items()
    }


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


# --- texts per language ---------------------------------------------------------------
# One field per language of the site (`title_en`, `title_ru`...), read back as a
# {language: text} dict, the shape multilingual content is stored in.


def per_language_fields(
    form: forms.BaseForm,
    prefix: str,
    label: Any,
    *,
    textarea: bool = False,
    max_length: int | None = None,
    rows: int = 5,
) -> None:
    """Add `<prefix>_<code>` fields to `form`, one per language of the site, labelled
    "<label> (<language>)". None of them is required; the longest text is 300 characters,
    20000 in a textarea, unless `max_length` says otherwise."""
    if max_length is None:
        max_length = 20000 if textarea else 300
    for code in LANGUAGE_CODES:
        form.fields[f"{prefix}_{code}"] = forms.CharField(
            label=_("%(field)s (%(language)s)") % {"field": label, "language": language_name(code)},
            required=False,
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput,
        )


def per_language_texts(data: dict[str, Any], prefix: str) -> dict[str, str]:
    """The {language: text} dict of the `<prefix>_<code>` fields in `data`."""
    return {code: data.get(f"{prefix}_{code}") or "" for code in LANGUAGE_CODES}


def per_language_initial(values: dict[str, str], prefix: str) -> dict[str, str]:
    """Initial values of the `<prefix>_<code>` fields from a {language: text} dict."""
    return {f"{prefix}_{code}": values.get(code, "") for code in LANGUAGE_CODES}


# --- the honeypot ---------------------------------------------------------------------


class HoneypotMixin:
    """A public form's trap for bots: a `website` field that people never see (the
    template hides it) and bots fill in. Add it before `forms.Form`; the field comes after
    the declared ones. `is_bot` tells the view to answer as for a person and store nothing."""

    fields: dict[str, forms.Field]
    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    if TYPE_CHECKING:

        def add_prefix(self, field_name: str) -> str: ...

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(self.add_prefix("website")) or "").strip())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen). `accept`
    is the browser's file filter (the library's document types by default); the upload
    checker decides."""

    def __init__(self, *args: Any, accept: str = ACCEPT, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
