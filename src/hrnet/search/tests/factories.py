"""Search entries made directly, as news or the library would index them; the engine
index (FTS5 or tsvector) is written as index_update writes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.search import engines
from hrnet.search.models import SearchEntry

_ids = count(1)


def entry_create(
    *,
    title: str,
    language: str = "en",
    kind: str = "guidance",
    summary: str = "",
    body: str = "",
    visibility: str = "public",
    published_at: datetime | None = None,
    issue_areas: list[str] = (),  # type: ignore[assignment]
    countries: list[str] = (),  # type: ignore[assignment]
    year: int | None = None,
    **extra: Any,
) -> SearchEntry:
    published_at = published_at or timezone.now() - timedelta(days=1)
    entry = SearchEntry.objects.create(
        content_type=ContentType.objects.get_for_model(SearchEntry),
        object_id=next(_ids),
        kind=kind,
        language=language,
        title=title,
        summary=summary,
        body=body,
        url_name="search:none",
        visibility=visibility,
        published_at=published_at,
        year=year or published_at.year,
        **extra,
    )
    entry.issue_areas.set(IssueArea.objects.filter(code__in=issue_areas))
    entry.countries.set(Country.objects.filter(iso2__in=countries))
    engines.index_write([entry.pk])
    return entry
