"""What an app tells the search about one of its records, and the registry of searchable
models. News and the library register a `to_document` function in their AppConfig.ready();
their services call `search.services.index_update(obj)` after each write.

A record is PUBLIC, for the network's MEMBERS, or for a GROUP: only readers holding one of
its `audiences` find it. Audiences are opaque keys ("discussions.group.7") that the owning
app hands out to a reader through `register_audience`; the search knows nothing else of
them, and a reader holding none of a record's keys never finds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

PUBLIC = "public"
MEMBERS = "members"
GROUP = "group"


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
    visibility: str = PUBLIC  # PUBLIC, MEMBERS (network members only) or GROUP
    audiences: list[str] = field(default_factory=list)  # GROUP: who may find it
    issue_areas: list[str] = field(default_factory=list)  # IssueArea codes
    countries: list[str] = field(default_factory=list)  # Country ISO2 codes
    year: int | None = None  # publication year, for the year facet


ToDocument = Callable[[Any], "SearchDocument | None"]

# (*, user) -> the audience keys this reader holds.
AudienceProvider = Callable[[Any], "set[str]"]

_searchable: dict[type[models.Model], ToDocument] = {}
_kind_labels: dict[str, Any] = {}
_audience_providers: list[AudienceProvider] = []


def register_searchable(
    model: type[models.Model], to_document: ToDocument, *, kinds: dict[str, Any] | None = None
) -> None:
    """`kinds` names the kinds the model's documents use when its fields' choices do not
    (labels may be lazy translations)."""
    _searchable[model] = to_document
    _kind_labels.update(kinds or {})


def registered_kind_labels() -> dict[str, str]:
    return {kind: str(label) for kind, label in _kind_labels.items()}


def register_audience(provider: AudienceProvider) -> None:
    if provider not in _audience_providers:
        _audience_providers.append(provider)


def audiences_of(user: Any) -> set[str]:
    """Every audience key `user` holds (none for an anonymous reader)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    keys: set[str] = set()
    for provider in _audience_providers:
        keys |= provider(user)
    return keys


def searchable_models() -> dict[type[models.Model], ToDocument]:
    return dict(_searchable)
