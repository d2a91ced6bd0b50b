"""The full-text index in each database engine, behind one small interface.

PostgreSQL: a weighted `tsvector` per entry (title A, summary B, text C) built with the
`english` or `russian` configuration by the entry's language, a GIN index, and queries
parsed by `websearch_to_tsquery` in both configurations (a Russian query typed in an
English interface still finds Russian documents), ranked by `ts_rank`.

SQLite: an FTS5 table `search_fts` (rowid = entry id) holding the Snowball stems of the
same three columns, queried with the stems of the query, ranked by `bm25` with the same
weights. Same stemmers as PostgreSQL, so the demo finds what production finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Left

from hrnet.search import text

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
    from hrnet.search.models import SearchEntry

    if not entry_ids:
        return
    entries = SearchEntry.objects.filter(pk__in=entry_ids)
    if _is_postgres():
        for language in entries.values_list("language", flat=True).distinct():
            config = CONFIGS.get(language, "simple")
            entries.filter(language=language).update(
                vector=SearchVector(Value(""), config=config)  # never empty for ||
                + SearchVector("title", weight="A", config=config)
                + SearchVector("summary", weight="B", config=config)
                + SearchVector(Left(F("body"), INDEXED_TEXT_CHARS), weight="C", config=config)
            )
        return
    rows = [
        (
            pk,
            " ".join(text.stems(title)),
            " ".join(text.stems(summary)),
            " ".join(text.stems(body[:INDEXED_TEXT_CHARS])),
        )
        for pk, title, summary, body in entries.values_list("pk", "title", "summary", "body")
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT OR REPLACE INTO search_fts(rowid, title, summary, body) "
            "VALUES (%s, %s, %s, %s)",
            rows,
        )


def index_delete(entry_ids: list[int]) -> None:
    if not entry_ids or _is_postgres():
        return  # on PostgreSQL the vector goes with its row
    placeholders = ", ".join(["%s"] * len(entry_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", entry_ids)  # noqa: S608 - placeholders only


def _fts5_term(term: tuple[str, ...]) -> str:
    return '"' + " ".join(term) + '"'  # stems are \w+ only, so nothing to escape


def fts5_expression(query: Query) -> str:
    expression = " AND ".join(_fts5_term(term) for term in query.terms)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_term(term)}"
    return expression


def matching(entries: QuerySet, query: Query) -> QuerySet:
    """`entries` that match `query`, annotated with `score` (higher is better)."""
    if _is_postgres():
        search = SearchQuery(query.raw, config="english", search_type="websearch") | SearchQuery(
            query.raw, config="russian", search_type="websearch"
        )
        return entries.filter(vector=search).annotate(score=SearchRank(F("vector"), search))
    weights = ", ".join(str(w) for w in WEIGHTS)
    return entries.extra(  # noqa: S610 - constant SQL; the query is a parameter
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[fts5_expression(query)],
        # bm25 is lower for better matches.
        select={"score": f"-bm25(search_fts, {weights})"},
    )
