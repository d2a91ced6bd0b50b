# ruff: noqa: RUF002, RUF003  (Cyrillic letters in the docs are the point)
"""Unique Identifier Codes (UIC): how an anonymous client is recognised at every visit
without a name ever being stored.

A scheme turns non-identifying parts into a code; the network's scheme is chosen by the
setting ``HRNET_UIC_SCHEME`` (default ``"central_asia"``), and ``UIC_SCHEMES`` lists those
known.

The default, ``central_asia`` (the scheme used by harm-reduction programmes in Central
Asia), is nine characters::

    sex (1) + birth year (4) + mother's first name (2) + father's first name (2)
    M 1985 AN IV   ->  "M1985ANIV"   (a man born 1985, mother Анна, father Иван)

Rules, the same for every scheme:

- **Sex** is one letter: ``M`` male, ``F`` female, ``O`` other, ``U`` not known. The
  model's values (``"male"``...), the letters themselves, and the Cyrillic ``М``/``Ж`` are
  understood.
- **Birth year** is four digits; ``0000`` when not known.
- **A name part** is the first two letters of the first name after normalisation:
  upper case; Cyrillic transliterated to Latin with the one table below; other Latin
  letters lose their diacritics (Şahin -> SA, Ölmez -> OL); digits, spaces, hyphens,
  apostrophes and anything that is not a letter are ignored. Because some Cyrillic letters
  become two Latin ones (Ж -> ZH), the two letters are taken *after* transliterating, so
  "Жанна" gives ``ZH`` and "Анна" and "Anna" both give ``AN``.
- **Placeholders** (``UIC_PLACEHOLDER`` = ``"X"``): a name of one letter is padded
  (Э -> ``EX``); an unknown or empty name is ``XX``.

The transliteration table (``CYRILLIC_TO_LATIN``) covers the Russian, Ukrainian,
Belarusian, Kazakh, Kyrgyz, Tajik and Uzbek Cyrillic alphabets and follows the
passport-style spelling workers and clients know (Х -> KH, Ц -> TS, Ч -> CH, Ш -> SH,
Щ -> SHCH, Ю -> YU, Я -> YA), so a name typed in Latin as in a passport mostly gives the
same part. Decisions where alphabets disagree: Ё, Є, Э -> E; Й, І, Ї, Ӣ, Ы -> I/Y as in the
table; Ъ and Ь are dropped; Ғ, Ґ -> G; Қ -> K; Ң -> N; Ө -> O; Ү, Ұ, Ӯ -> U; Ў -> O (Uzbek
"Oʻ"; Belarusian Ў is not a first letter of names); Һ, Ҳ -> H; Ә -> A; Ҷ -> J. A spelling
that differs between scripts (Юлия typed as "Iuliia") gives a different part: workers
should type names as the client says them, in either script, the same way every time.

``uic_normalise`` turns a code as typed (any case, Cyrillic letters, spaces or hyphens)
into its canonical form, reading each name part as the first letters of a name, so a code
typed in Cyrillic ("м 1985 жа ив") equals the one built from the names ("M1985ZHIV").
A typed name part of two X's (Latin X or the look-alike Cyrillic Х) is the placeholder.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UIC_PLACEHOLDER = "X"
UNKNOWN_NAME = UIC_PLACEHOLDER * 2
UNKNOWN_YEAR = "0000"
DEFAULT_SCHEME = "central_asia"
EARLIEST_BIRTH_YEAR = 1900

CYRILLIC_TO_LATIN: dict[str, str] = {
    # Russian
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "ZH",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "YU",
    "Я": "YA",
    # Ukrainian and Belarusian
    "Є": "E",
    "І": "I",
    "Ї": "I",
    "Ґ": "G",
    "Ў": "O",
    # Kazakh, Kyrgyz
    "Ә": "A",
    "Ғ": "G",
    "Қ": "K",
    "Ң": "N",
    "Ө": "O",
    "Ұ": "U",
    "Ү": "U",
    "Һ": "H",
    # Tajik
    "Ӣ": "I",
    "Ӯ": "U",
    "Ҳ": "H",
    "Ҷ": "J",
}

# Latin letters that Unicode does not decompose into a base letter and a mark.
LATIN_EXTRA: dict[str, str] = {
    "Ø": "O",
    "Ł": "L",
    "Đ": "D",
    "Ð": "D",
    "Æ": "AE",
    "Œ": "OE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Ə": "A",  # Azerbaijani schwa
    "Ħ": "H",
    "Ŧ": "T",
}

SEX_LETTERS: dict[str, str] = {
    "male": "M",
    "female": "F",
    "other": "O",
    "unknown": "U",
    "": "U",
    "M": "M",
    "F": "F",
    "O": "O",
    "U": "U",
    "М": "M",  # Cyrillic: мужской
    "О": "O",  # Cyrillic look-alike of O
    "Ж": "F",  # Cyrillic: женский
}

_X_LOOKALIKES = {"X", "Х"}  # Latin X, Cyrillic Ха
_SEPARATORS = " -_./\t\n"


def latin_letters(text: str) -> str:
    """`text` as upper-case Latin letters A-Z only: Cyrillic transliterated, diacritics
    stripped, everything else (digits, spaces, punctuation, other scripts) dropped."""
    out: list[str] = []
    for char in (text or "").upper():
        if char in CYRILLIC_TO_LATIN:
            out.append(CYRILLIC_TO_LATIN[char])
        elif char in LATIN_EXTRA:
            out.append(LATIN_EXTRA[char])
        else:
            for part in unicodedata.normalize("NFKD", char):
                if "A" <= part <= "Z":
                    out.append(part)
    return "".join(out)


def name_part(name: str, length: int = 2) -> str:
    """The first `length` letters of a first name, padded with the placeholder; the
    placeholder alone when the name is unknown."""
    letters = latin_letters(name)[:length]
    return letters.ljust(length, UIC_PLACEHOLDER)


def sex_letter(sex: str) -> str:
    key = (sex or "").strip()
    letter = SEX_LETTERS.get(key) or SEX_LETTERS.get(key.lower()) or SEX_LETTERS.get(key.upper())
    if letter is None:
        raise ValidationError(
            {"sex": _("Choose the sex: male, female, other or not known.")}, code="invalid"
        )
    return letter


def year_part(birth_year: int | None) -> str:
    if birth_year is None:
        return UNKNOWN_YEAR
    latest = timezone.localdate().year
    if not EARLIEST_BIRTH_YEAR <= birth_year <= latest:
        raise ValidationError(
            {
                "birth_year": _("The year of birth must be between %(first)s and %(last)s.")
                % {"first": EARLIEST_BIRTH_YEAR, "last": latest}
            },
            code="invalid",
        )
    return f"{birth_year:04d}"


@dataclass(frozen=True)
class UicScheme:
    """A way of building codes. `segments` lists the code's parts in order as
    ("sex" | "year" | "mother" | "father", length); `build` and `normalise` follow it."""

    name: str
    label: str | Promise
    segments: tuple[tuple[str, int], ...]

    @property
    def length(self) -> int:
        return sum(length for _kind, length in self.segments)

    def build(self, *, sex: str, birth_year: int | None, mother_name: str, father_name: str) -> str:
        parts: dict[str, Callable[[int], str]] = {
            "sex": lambda _n: sex_letter(sex),
            "year": lambda _n: year_part(birth_year),
            "mother": lambda n: name_part(mother_name, n),
            "father": lambda n: name_part(father_name, n),
        }
        return "".join(parts[kind](length) for kind, length in self.segments)

    def parse(self, text: str) -> str | None:
        """The canonical code for `text` as typed, or None when it does not fit."""
        compact = "".join(c for c in (text or "").upper() if c not in _SEPARATORS)
        if len(compact) != self.length:
            return None
        out: list[str] = []
        position = 0
        for kind, length in self.segments:
            piece = compact[position : position + length]
            position += length
            if kind == "sex":
                letter = SEX_LETTERS.get(piece)
                if letter is None:
                    return None
                out.append(letter)
            elif kind == "year":
                if not piece.isascii() or not piece.isdigit():
                    return None
                out.append(piece)
            else:
                if all(c in _X_LOOKALIKES for c in piece):
                    out.append(UIC_PLACEHOLDER * length)
                    continue
                if not all(c.isalpha() for c in piece):
                    return None
                out.append(name_part(piece, length))
        return "".join(out)

    def swapped(self, code: str) -> str | None:
        """`code` with the mother's and father's parts exchanged (a common mix-up)."""
        spans: dict[str, tuple[int, int]] = {}
        position = 0
        for kind, length in self.segments:
            spans[kind] = (position, position + length)
            position += length
        if len(code) != position or "mother" not in spans or "father" not in spans:
            return None
        (m0, m1), (f0, f1) = spans["mother"], spans["father"]
        chars = list(code)
        mother, father = code[m0:m1], code[f0:f1]
        if len(mother) != len(father) or mother == father:
            return None
        chars[m0:m1], chars[f0:f1] = list(father), list(mother)
        return "".join(chars)


UIC_SCHEMES: dict[str, UicScheme] = {
    "central_asia": UicScheme(
        name="central_asia",
        label=_("Central Asia: sex, year of birth, mother's and father's first names"),
        segments=(("sex", 1), ("year", 4), ("mother", 2), ("father", 2)),
    ),
    # For programmes that do not ask the year: shorter, more collisions.
    "central_asia_short": UicScheme(
        name="central_asia_short",
        label=_("Short: sex, mother's and father's first names"),
        segments=(("sex", 1), ("mother", 2), ("father", 2)),
    ),
}


def uic_scheme(name: str | None = None) -> UicScheme:
    """The scheme called `name`, or the network's (setting HRNET_UIC_SCHEME)."""
    key: str = name or str(getattr(settings, "HRNET_UIC_SCHEME", DEFAULT_SCHEME))
    try:
        return UIC_SCHEMES[key]
    except KeyError:
        raise ValueError("Unknown UIC scheme; see hrnet.outreach.uic.UIC_SCHEMES") from None


def uic_build(
    *,
    sex: str,
    birth_year: int | None,
    mother_name: str,
    father_name: str,
    scheme: str | None = None,
) -> str:
    """The client's code from its parts (see the module docstring). `scheme` defaults to
    the network's (setting HRNET_UIC_SCHEME, "central_asia" when unset). Raises
    ValidationError naming `sex` or `birth_year` for values that cannot be coded."""
    return uic_scheme(scheme).build(
        sex=sex, birth_year=birth_year, mother_name=mother_name, father_name=father_name
    )


def uic_normalise(text: str, *, scheme: str | None = None) -> str:
    """The canonical form of a code as typed. A code that does not fit the scheme is only
    upper-cased, transliterated and freed of spaces and hyphens (it will not match a built
    code, but it is never an error: searching for it simply finds nothing)."""
    parsed = uic_scheme(scheme).parse(text)
    if parsed is not None:
        return parsed
    return "".join(
        char
        for piece in (text or "").upper()
        if piece not in _SEPARATORS
        for char in (piece if piece.isdigit() and piece.isascii() else latin_letters(piece))
    )


def uic_is_valid(text: str, *, scheme: str | None = None) -> bool:
    """Does `text` fit the scheme (after normalisation)?"""
    return uic_scheme(scheme).parse(text) is not None


# The sex letters of a code, as the client record stores sex.
SEX_BY_LETTER = {"M": "male", "F": "female", "O": "other"}


def uic_sex_and_year(code: str, *, scheme: str | None = None) -> tuple[str, int | None]:
    """Sex ("male", "female", "other" or "unknown") and year of birth as a canonical code
    carries them: a new client whose worker typed the code rather than its parts."""
    sex, year = "unknown", None
    if not uic_is_valid(code, scheme=scheme):
        return sex, year
    position = 0
    for kind, length in uic_scheme(scheme).segments:
        piece = code[position : position + length]
        position += length
        if kind == "sex":
            sex = SEX_BY_LETTER.get(piece, "unknown")
        elif kind == "year" and piece != UNKNOWN_YEAR:
            year = int(piece)
    return sex, year


def uic_scheme_choices() -> list[tuple[str, Any]]:
    return [(scheme.name, scheme.label) for scheme in UIC_SCHEMES.values()]
