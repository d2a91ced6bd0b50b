"""How alike two names of the register are: one transliteration of Cyrillic into Latin,
then a normalised edit distance (1.0 the same, 0.0 nothing in common). On PostgreSQL the
pg_trgm trigram index finds the candidates fast; the score is the same on every engine,
so HRNET_DUPLICATE_SIMILARITY means one thing wherever the register runs."""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.db import connection

from hrnet.geo.models import normalize_name

DEFAULT_SIMILARITY = 0.85
_NUMBERS = re.compile(r"\d+")

# One transliteration (Russian, Ukrainian, Belarusian, Kazakh, Kyrgyz letters), close to
# how the network's organisations spell their names in English.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g",
    "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}  # fmt: skip


def threshold() -> float:
    """HRNET_DUPLICATE_SIMILARITY: from how alike two names count as a possible duplicate."""
    return float(getattr(settings, "HRNET_DUPLICATE_SIMILARITY", DEFAULT_SIMILARITY))


def match_key(name: str) -> str:
    """The name normalised (case, accents, punctuation) and written in Latin letters."""
    return "".join(_CYRILLIC.get(ch, ch) for ch in normalize_name(name or ""))


@lru_cache(maxsize=4096)
def similarity(first: str, second: str) -> float:
    """1 minus the edit distance of two match keys over the longer one's length."""
    if not first or not second:
        return 0.0
    if first == second:
        return 1.0
    if len(first) < len(second):
        first, second = second, first
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return 1 - previous[-1] / len(first)


def alike(first: str, second: str) -> bool:
    limit = threshold()
    # "Centre 1" and "Centre 2" are two branches, however alike the rest of the name.
    if _NUMBERS.findall(first) != _NUMBERS.findall(second):
        return False
    # The edit distance is at least the difference in length: skip pairs too far apart.
    if (
        not first
        or not second
        or min(len(first), len(second)) < limit * max(len(first), len(second))
    ):
        return False
    return similarity(first, second) >= limit


def trigram_available() -> bool:
    """Whether the database can find candidates by trigram (PostgreSQL with pg_trgm)."""
    if connection.vendor != "postgresql":
        return False
    # Asked once per connection: the extension comes with a migration, not mid-request.
    known = getattr(connection, "hrnet_trigram", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            known = cursor.fetchone() is not None
        connection.hrnet_trigram = known  # type: ignore[attr-defined]
    return bool(known)
