"""Writes of the core: starting an import as a background job."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from hrnet.core.imports import detect_format, get_importer
from hrnet.core.models import TaskProgress
from hrnet.core.progress import job_start
from hrnet.core.tasks import run_import


def import_start(
    *, importer_name: str, upload: UploadedFile, partial: bool, actor: Any, fmt: str | None = None
) -> TaskProgress:
    """Store the upload and queue its import; returns the job whose progress to follow.

    Raises FileUnreadable at once for a file type no importer reads.
    """
    filename = upload.name or "upload"
    fmt = detect_format(filename, fmt)
    importer = get_importer(importer_name)
    path = default_storage.save(
        f"imports/{uuid.uuid4().hex}/{get_valid_filename(filename)}",
        ContentFile(upload.read()),
    )
    job = job_start(name=str(importer.label or importer.name), owner=actor)
    transaction.on_commit(
        lambda: run_import.enqueue(
            job_id=str(job.pk),
            importer_name=importer_name,
            path=path,
            fmt=fmt,
            partial=partial,
            actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        )
    )
    return job
