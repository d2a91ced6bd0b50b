"""Words and stems: the Snowball stemmers PostgreSQL uses for its `english` and `russian`
configurations, applied in Python so that SQLite (FTS5) and the highlighter match the same
words as PostgreSQL. Like PostgreSQL's `russian` configuration, Latin words take the
English stemmer and Cyrillic words the Russian one, whatever the document's language."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# The commonest words of PostgreSQL's Snowball stop-word lists (english.stop,
# russian.stop); a stop word is never a search term.
STOP_WORDS = frozenset(
    word
    for name in ("english", "russian")
    for word in (Path(__file__).parent / "stopwords" / f"{name}.txt").read_text("utf-8").split()
)

_english = snowballstemmer.stemmer("english")
_russian = snowballstemmer.stemmer("russian")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one word, stemmed again until it stays the same.

    Snowball's Russian stemmer is not idempotent: "Гепатит" gives "гепат" but "гепатита"
    gives "гепатит", so with one pass (what `to_tsvector('russian', ...)` does) a query
    for "гепатита" misses a title "Гепатит C". Stemming to a fixpoint on both sides, before
    the database sees the text, makes every form of a word meet."""
    stemmed = _stem_once(word)
    for _round in range(3):
        again = _stem_once(stemmed)
        if again == stemmed:
            break
        stemmed = again
    return stemmed


def _stem_once(word: str) -> str:
    """The stem of one word (lower-cased, with the Russian yo read as ye, as PostgreSQL does)."""
    word = word.lower().replace("ё", "е")
    if _CYRILLIC.search(word):
        return str(_russian.stemWord(word))
    return str(_english.stemWord(word))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def stems(text: str) -> list[str]:
    """The stems of the words of `text` that are not stop words, in order."""
    return [stem(w) for w in words(text) if w.lower() not in STOP_WORDS]
