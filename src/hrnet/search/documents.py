"""What an app tells the search about one of its records, and the registry of searchable
models. News and the library register a `to_document` function in their AppConfig.ready();
their services call `search.services.index_update(obj)` after each write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

PUBLIC = "public"
MEMBERS = "members"


@dataclass(frozen=True)
class SearchDocument:
    """A record as the search sees it. `None` from `to_document` means "not searchable now"
    (a draft, a submission under moderation, a record in the trash)."""

    kind: str  # "news", "announcement" or a resource type code ("guidance", "report", ...)
    language: str  # "en", "ru", ...
    title: str
    summary: str
    body: str  # plain text: the article body, or a resource's description + extracted text
    url_name: str  # reversed with the record's pk, e.g. "library:resource_detail"
    published_at: datetime  # hidden from search until then (scheduled news)
    visibility: str = PUBLIC  # PUBLIC or MEMBERS (network members only)
    issue_areas: list[str] = field(default_factory=list)  # IssueArea codes
    countries: list[str] = field(default_factory=list)  # Country ISO2 codes
    year: int | None = None  # publication year, for the year facet


ToDocument = Callable[[Any], "SearchDocument | None"]

_searchable: dict[type[models.Model], ToDocument] = {}


def register_searchable(model: type[models.Model], to_document: ToDocument) -> None:
    _searchable[model] = to_document


def searchable_models() -> dict[type[models.Model], ToDocument]:
    return dict(_searchable)
