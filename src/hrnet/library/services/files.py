"""Writes on the library's stored files: deleting bytes no row names any more, and reading
a file's text for the search (the background task runs it)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from hrnet.core.storage import private_storage
from hrnet.core.uploads import KINDS_BY_CONTENT_TYPE
from hrnet.library.extraction import ExtractionError, text_extract
from hrnet.library.models import UPLOAD_FOLDER, Resource, ResourceFile
from hrnet.search.services import index_update

logger = logging.getLogger(__name__)


def storage_delete(names: Iterable[str]) -> None:
    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.warning("Could not delete library file %s", name, exc_info=True)


# --- housekeeping ---------------------------------------------------------------------


def resource_files_orphans_delete(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete stored files that no ResourceFile names any more: the trash purge deletes
    resources (and their file rows) in bulk, leaving the bytes behind. Files younger than
    `older_than` are kept: their row may not be committed yet. Returns how many went."""
    try:
        _folders, names = private_storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    known = set(ResourceFile.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    orphans = []
    for name in names:
        path = f"{UPLOAD_FOLDER}/{name}"
        if path in known:
            continue
        try:
            if private_storage.get_modified_time(path) > cutoff:
                continue
        except (OSError, NotImplementedError):
            continue
        orphans.append(path)
    storage_delete(orphans)
    return len(orphans)


# --- text extraction ------------------------------------------------------------------


def resource_file_extract(*, file_id: int) -> str:
    """Read the text of one file into `extracted_text` and re-index its resource. A file
    that cannot be read is marked failed, and stays downloadable. Returns the status."""
    resource_file = ResourceFile.objects.filter(pk=file_id).first()
    if resource_file is None:
        return "missing"
    kind = KINDS_BY_CONTENT_TYPE.get(resource_file.content_type)
    Extraction = ResourceFile.Extraction
    if kind is None:
        resource_file.extraction_status = Extraction.NONE
        resource_file.save(update_fields=["extraction_status", "updated_at"])
        return resource_file.extraction_status
    try:
        with resource_file.file.open("rb") as handle:
            data = handle.read()
        text = text_extract(data, kind.code)
    except (ExtractionError, OSError) as exc:
        logger.warning("Text extraction of library file %s failed: %s", file_id, exc)
        resource_file.extraction_status = Extraction.FAILED
        resource_file.extraction_error = str(exc)[:500]
        resource_file.extracted_text = ""
    else:
        resource_file.extraction_status = Extraction.DONE
        resource_file.extraction_error = ""
        resource_file.extracted_text = text
    resource_file.save(
        update_fields=["extraction_status", "extraction_error", "extracted_text", "updated_at"]
    )
    resource = Resource.all_objects.get(pk=resource_file.resource_id)
    index_update(resource)
    return resource_file.extraction_status
