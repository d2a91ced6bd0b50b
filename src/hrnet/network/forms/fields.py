"""Per-language text fields shared by the network's forms: one field per site language
(`names_en`, `names_ru`...), read back as a {language: text} dict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

CODES = [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return str(get_language_info(code)["name_local"]).capitalize()


def per_language(
    form: forms.BaseForm, prefix: str, label: Any, *, textarea: bool = False, max_length: int = 300
) -> None:
    """Add `<prefix>_<code>` fields to `form`, one per language of the site."""
    for code in CODES:
        form.fields[f"{prefix}_{code}"] = forms.CharField(
            label=_("%(field)s (%(language)s)") % {"field": label, "language": language_name(code)},
            required=False,
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
        )


def texts(data: dict[str, Any], prefix: str) -> dict[str, str]:
    """The {language: text} dict of the `<prefix>_<code>` fields in `data`."""
    return {code: data.get(f"{prefix}_{code}") or "" for code in CODES}


def initial_texts(values: dict[str, str], prefix: str) -> dict[str, str]:
    """Initial values of the `<prefix>_<code>` fields from a {language: text} dict."""
    return {f"{prefix}_{code}": values.get(code, "") for code in CODES}
