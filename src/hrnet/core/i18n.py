"""The languages of the site, and content entered in several of them: a mapping of
language code to text.

Languages are data (settings.LANGUAGES), so multilingual content is stored as a JSON object
rather than one column per language; adding a language needs no migration.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's own name, capitalised ("English", "Русский"), as forms and emails
    show it whatever the reader's language."""
    return str(translation.get_language_info(code)["name_local"]).capitalize()


def localized(values: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in the active language, else the default language, else any text."""
    if not values:
        return ""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, settings.LANGUAGE_CODE):
        if values.get(code):
            return values[code]
    return next((text for text in values.values() if text), "")
