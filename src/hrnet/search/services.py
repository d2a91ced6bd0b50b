"""Writes to the search index. Apps call `index_update(obj)` after every write to a
searchable record (create, edit, publish, moderate, trash, restore); it asks the app's
registered `to_document` what the record looks like now and adds, replaces or removes the
entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.search import engines
from hrnet.search.documents import SearchDocument, searchable_models
from hrnet.search.models import SearchAudience, SearchEntry


def _to_document(obj: models.Model) -> SearchDocument | None:
    to_document = searchable_models().get(type(obj))
    if to_document is None:
        raise LookupError(f"{type(obj).__name__} is not registered as searchable")
    if getattr(obj, "deleted_at", None) is not None:
        return None  # in the trash
    return to_document(obj)


@transaction.atomic
def index_update(obj: models.Model) -> SearchEntry | None:
    """Make the index say what `obj` says now; returns its entry, or None if it is not
    searchable (draft, under moderation, in the trash)."""
    document = _to_document(obj)
    if document is None:
        index_remove(obj)
        return None
    content_type = ContentType.objects.get_for_model(obj)
    entry, _created = SearchEntry.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults={
            "kind": document.kind,
            "language": document.language,
            "title": document.title,
            "summary": document.summary,
            "body": document.body,
            "url_name": document.url_name,
            "visibility": document.visibility,
            "published_at": document.published_at,
            "year": document.year,
        },
    )
    entry.issue_areas.set(IssueArea.objects.filter(code__in=document.issue_areas))
    entry.countries.set(Country.objects.filter(iso2__in=document.countries))
    SearchAudience.objects.filter(entry=entry).delete()
    SearchAudience.objects.bulk_create(
        SearchAudience(entry=entry, key=key) for key in sorted(set(document.audiences))
    )
    engines.index_write([entry.pk])
    return entry


@transaction.atomic
def index_remove(obj: models.Model) -> None:
    content_type = ContentType.objects.get_for_model(obj)
    entries = SearchEntry.objects.filter(content_type=content_type, object_id=obj.pk)
    engines.index_delete(list(entries.values_list("pk", flat=True)))
    entries.delete()


def index_rebuild(*, progress: Callable[[int, int], Any] | None = None) -> int:
    """Rebuild the whole index from the records (after a restore from backup, or an
    upgrade that changes what is indexed). Returns the number of entries."""
    models_ = searchable_models()
    total = sum(model._default_manager.count() for model in models_)
    done = 0
    with transaction.atomic():
        engines.index_delete(list(SearchEntry.objects.values_list("pk", flat=True)))
        SearchEntry.objects.all().delete()
        for model in models_:
            for obj in model._default_manager.iterator(chunk_size=500):
                index_update(obj)
                done += 1
                if progress is not None and done % 100 == 0:
                    progress(done, total)
    if progress is not None:
        progress(done, total)
    return SearchEntry.objects.count()


def index_on_trash(obj: models.Model) -> None:
    """Trash listener: a searchable record leaves the index in the trash, returns on restore."""
    if type(obj) in searchable_models():
        index_update(obj)
