"""The full-text index in each database engine, behind one small interface.

Both engines index the same text: the words of each column replaced by their final
Snowball stems (`search.text`, the stemmers of PostgreSQL's `english` and `russian`
configurations, applied until the stem stays the same), stop words removed.

PostgreSQL: a weighted `tsvector` per entry (title A, summary B, text C) made by
`to_tsvector` with the `english` or `russian` configuration by the entry's language, a GIN
index, queries by `websearch_to_tsquery('russian', ...)` over the query's stems, ranked by
`ts_rank`.

SQLite: an FTS5 table `search_fts` (rowid = entry id) with the same three columns, queried
with the same stems, ranked by `bm25` with the same weights. The demo finds what
production finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from hrnet.search import text
from hrnet.search.models import SearchEntry

# Extracted text of a long report is cut here: enough to find it, bounded index size.
INDEXED_TEXT_CHARS = 200_000
CONFIGS = {"en": "english", "ru": "russian"}
WEIGHTS = (10.0, 4.0, 1.0)  # title, summary, text (bm25 column weights on SQLite)


@dataclass(frozen=True)
class Query:
    """A user's query: the raw text (for PostgreSQL), terms (each a list of stems: one for
    a word, several for a "quoted phrase") and excluded terms (-word)."""

    raw: str
    terms: tuple[tuple[str, ...], ...]
    excluded: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def stems(self) -> set[str]:
        return {s for term in self.terms for s in term}


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index_write(entry_ids: list[int]) -> None:
    """(Re)build the full-text index of these entries from their stored columns."""
    if not entry_ids:
        return
    rows = [
        (
            pk,
            language,
            " ".join(text.stems(title)),
            " ".join(text.stems(summary)),
            " ".join(text.stems(body[:INDEXED_TEXT_CHARS])),
        )
        for pk, language, title, summary, body in SearchEntry.objects.filter(
            pk__in=entry_ids
        ).values_list("pk", "language", "title", "summary", "body")
    ]
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_searchentry SET vector = "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'C') WHERE id = %s",
                [
                    (config, title, config, summary, config, body, pk)
                    for pk, language, title, summary, body in rows
                    for config in [CONFIGS.get(language, "simple")]
                ],
            )
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT OR REPLACE INTO search_fts(rowid, title, summary, body) "
            "VALUES (%s, %s, %s, %s)",
            [(pk, title, summary, body) for pk, _language, title, summary, body in rows],
        )


def index_delete(entry_ids: list[int]) -> None:
    if not entry_ids or _is_postgres():
        return  # on PostgreSQL the vector goes with its row
    placeholders = ", ".join(["%s"] * len(entry_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", entry_ids)  # noqa: S608 - placeholders only


def _fts5_term(term: tuple[str, ...]) -> str:
    return '"' + " ".join(term) + '"'  # stems are \w+ only, so nothing to escape


def fts5(query: Query) -> str:
    expression = " AND ".join(_fts5_term(term) for term in query.terms)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_term(term)}"
    return expression


def matching(entries: QuerySet, query: Query) -> QuerySet:
    """`entries` that match `query` (usable as a subquery, e.g. for facet counts)."""
    if _is_postgres():
        return entries.filter(vector=_pg_query(query))
    return entries.filter(
        id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [fts5(query)])
    )


def ranked(entries: QuerySet, query: Query) -> QuerySet:
    """`entries` that match `query`, annotated with `score` (higher is better). For the
    outermost query only: on SQLite it joins the FTS5 table by its real name."""
    if _is_postgres():
        search = _pg_query(query)
        return entries.filter(vector=search).annotate(score=SearchRank(F("vector"), search))
    weights = ", ".join(str(w) for w in WEIGHTS)
    return entries.extra(  # noqa: S610 - constant SQL; the query is a parameter
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[fts5(query)],
        # bm25 is lower for better matches.
        select={"score": f"-bm25(search_fts, {weights})"},
    )


def _pg_query(query: Query) -> SearchQuery:
    # The query's stems, already final (see text.stem), in websearch syntax; the russian
    # configuration reads Latin words with the English stemmer, so one query serves both.
    terms = [f'"{" ".join(term)}"' for term in query.terms]
    terms += [f'-"{" ".join(term)}"' for term in query.excluded]
    return SearchQuery(" ".join(terms), config="russian", search_type="websearch")
