"""Content entered in several languages: a mapping of language code to text.

Languages are data (settings.LANGUAGES), so multilingual content is stored as a JSON object
rather than one column per language; adding a language needs no migration.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation


def localized(values: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in the active language, else the default language, else any text."""
    if not values:
        return ""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, settings.LANGUAGE_CODE):
        if values.get(code):
            return values[code]
    return next((text for text in values.values() if text), "")
