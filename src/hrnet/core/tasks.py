"""Background tasks of the core: running an uploaded import, purging the trash.

Tasks take only JSON-serialisable arguments: the uploaded file waits in the default
storage under `imports/` until the task has read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django_tasks import task

from hrnet.core import progress
from hrnet.core.imports import get_importer
from hrnet.core.models import TaskProgress
from hrnet.core.trash import trash_purge


@task()
def run_import(
    *,
    job_id: str,
    importer_name: str,
    path: str,
    fmt: str,
    partial: bool,
    actor_id: int | None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    job = TaskProgress.objects.get(pk=job_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        importer_class = get_importer(importer_name)
        kwargs = dict(options or {})
        if getattr(importer_class, "records_import_job", False):
            # Its rows remember which import wrote them (provenance).
            kwargs["import_job"] = job
        importer = importer_class(actor=actor, **kwargs)
        report = importer.run(
            data,
            fmt=fmt,
            partial=partial,
            progress=lambda done, total: progress.job_update(job, done=done, total=total),
        )
    except Exception as exc:
        progress.job_finish(job, result={}, message=str(exc), failed=True)
        raise
    finally:
        default_storage.delete(path)
    progress.job_finish(job, result=report.as_dict(), failed=bool(report.errors) and not partial)
    return report.as_dict()


@task()
def purge_trash() -> int:
    return trash_purge()
