"""Highlighted titles and snippets, built in Python with the search's own stemmer so they
mark exactly the words the query matched, on both engines. Every piece of the record's
text is escaped; only our <mark> tags are HTML."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hrnet.search import text

# Snippets look at the start of long texts only: enough to find a passage, bounded work.
SCANNED_CHARS = 50_000
_SPLIT = re.compile(r"(\w+)", re.UNICODE)


def _pieces(value: str, stems: set[str]) -> list[tuple[str, bool]]:
    """`value` cut into words and the text between them, each with "is a hit"."""
    parts = _SPLIT.split(value)
    return [(part, i % 2 == 1 and text.stem(part) in stems) for i, part in enumerate(parts) if part]


def _render(pieces: list[tuple[str, bool]]) -> str:
    return "".join(f"<mark>{escape(p)}</mark>" if hit else escape(p) for p, hit in pieces)


def highlight(value: str, stems: set[str]) -> SafeString:
    """All of `value`, escaped, with the words matching `stems` marked."""
    return mark_safe(_render(_pieces(value, stems)))  # noqa: S308 - escaped piece by piece


def snippet(value: str, stems: set[str], *, words: int = 32) -> SafeString:
    """About `words` words of `value` around its densest run of hits, marked; the start of
    the text when nothing matches (e.g. a browse without a query)."""
    value = " ".join(value[:SCANNED_CHARS].split())
    pieces = _pieces(value, stems)
    word_at = [i for i, (p, _hit) in enumerate(pieces) if _SPLIT.fullmatch(p)]
    if not word_at:
        return mark_safe("")
    hits = [n for n, i in enumerate(word_at) if pieces[i][1]][:200]
    start = 0
    if hits:
        # The window of `words` words holding the most hits, starting a little before one.
        best = max(hits, key=lambda h: sum(1 for other in hits if h <= other < h + words))
        start = max(0, best - 4)
    end = min(len(word_at), start + words)
    first, last = word_at[start], word_at[end - 1]
    html = _render(pieces[first : last + 1])
    if start > 0:
        html = "… " + html
    if end < len(word_at):
        html += " …"
    return mark_safe(html)  # noqa: S308 - escaped piece by piece
