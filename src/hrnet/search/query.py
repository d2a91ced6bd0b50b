"""Reading what a person typed into the search box: words, "quoted phrases" and -excluded
words, as PostgreSQL's `websearch_to_tsquery` reads them. Long input is cut, not refused."""

from __future__ import annotations

import re

from hrnet.search import text
from hrnet.search.engines import Query

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def query_parse(raw: str) -> Query:
    """The query in `raw`; an empty Query (falsy) when nothing searchable is left, e.g.
    only stop words or punctuation."""
    raw = " ".join(raw.split())[:MAX_QUERY_CHARS]
    terms: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    for match in _TOKEN.finditer(raw):
        negative = bool(match.group(1) or match.group(3))
        term = tuple(text.stems(match.group(2) if match.group(2) is not None else match.group(4)))
        if not term:
            continue
        if negative:
            excluded.append(term)
        elif term not in terms:
            terms.append(term)
    # The text sent to PostgreSQL: the same cut, quotes balanced.
    cleaned = raw if raw.count('"') % 2 == 0 else raw.replace('"', " ")
    return Query(raw=cleaned, terms=tuple(terms[:MAX_TERMS]), excluded=tuple(excluded[:MAX_TERMS]))


def query_was_cut(raw: str) -> bool:
    return len(" ".join(raw.split())) > MAX_QUERY_CHARS
