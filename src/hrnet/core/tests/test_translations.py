"""Every interface string is translated, and the compiled catalogues match the sources."""

import gettext
import os
import shutil
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_source(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for entry in source.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        elif entry.msgid_plural:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        elif entry.msgctxt:
            got, expected = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
        else:
            got, expected = compiled.gettext(entry.msgid), entry.msgstr
        if got != expected:
            stale.append(entry.msgid)

    assert stale == [], "run tools/messages to recompile"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_has_every_string_in_the_code(tmp_path, settings):
    # Extract into a copy of the source tree and compare with the committed catalogue.
    work = tmp_path / "hrnet"
    shutil.copytree(
        settings.BASE_DIR, work, ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo")
    )
    settings.LOCALE_PATHS = [work / "locale"]
    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command(
            "makemessages",
            locale=["ru"],
            no_obsolete=True,
            no_location=True,
            ignore_patterns=["migrations/*"],
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    fresh = {e.msgid for e in polib.pofile(str(work / "locale/ru/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE_DIR / "ru/LC_MESSAGES/django.po"))}

    assert sorted(fresh - committed) == [], "run tools/messages and translate the new strings"
