"""Writes of the core: starting an import as a background job."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from hrnet.core.imports import detect_format, get_importer
from hrnet.core.models import TaskProgress
from hrnet.core.progress import job_start
from hrnet.core.storage import private_storage
from hrnet.core.tasks import run_import
from hrnet.core.types import Actor


def import_start(
    *,
    importer_name: str,
    upload: UploadedFile,
    partial: bool,
    actor: Actor,
    fmt: str | None = None,
    options: dict[str, Any] | None = None,
) -> TaskProgress:
    """Store the upload and queue its import; returns the job whose progress to follow.

    `options` (JSON-serialisable) go to the importer's constructor, e.g. the source of
    rows without one. An importer that reads other formats than CSV and XLSX has its own
    `detect_format`. Raises FileUnreadable at once for a file type the importer cannot read.
    """
    filename = upload.name or "upload"
    importer = get_importer(importer_name)
    fmt = getattr(importer, "detect_format", detect_format)(filename, fmt)
    # Private storage: an upload may hold personal data (a member register) and must
    # never be reachable under MEDIA_URL; the task removes it when the job ends.
    path = private_storage.save(
        f"imports/{uuid.uuid4().hex}/{get_valid_filename(filename)}",
        ContentFile(upload.read()),
    )
    job = job_start(name=importer.label or importer.name, owner=actor)
    transaction.on_commit(
        lambda: run_import.enqueue(
            job_id=str(job.pk),
            importer_name=importer_name,
            path=path,
            fmt=fmt,
            partial=partial,
            options=options or {},
            actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        )
    )
    return job
