"""Background tasks of the core: running an uploaded import, purging the trash.

Tasks take only JSON-serialisable arguments: the uploaded file waits in the private
storage under `imports/` (never public media: member registers hold personal data) until
the import's job ends, done or failed; a worker that stops mid-import leaves it for the
retry (`core.worker`).

An import writes all its rows or none, and a retried one never writes them twice: the
rows and a mark on the job (`WRITTEN`) are committed in one transaction, and a run that
finds the mark does not write again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError, transaction
from django_tasks import task

from hrnet.core import progress
from hrnet.core.imports import Importer, get_importer
from hrnet.core.models import TaskProgress
from hrnet.core.storage import private_storage
from hrnet.core.trash import trash_purge

# The key of a job's result saying its rows are committed.
WRITTEN = "written_committed"


class AlreadyWritten(Exception):
    """Another run of the same import committed its rows first."""


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
    if job.finished or job.result.get(WRITTEN):
        # A retry after the rows were committed (the worker stopped before it could say
        # so): the import is done; nothing is written again.
        if not job.finished:
            progress.job_finish(job, result=job.result)
        import_upload_remove(path)
        return job.result
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        with private_storage.open(path, "rb") as handle:
            data = handle.read()
        importer_class = get_importer(importer_name)
        kwargs = dict(options or {})
        if getattr(importer_class, "records_import_job", False):
            # Its rows remember which import wrote them (provenance).
            kwargs["import_job"] = job
        importer = importer_class(actor=actor, **kwargs)
        _write_once(importer, job)
        report = importer.run(
            data,
            fmt=fmt,
            partial=partial,
            progress=lambda done, total: progress.job_update(job, done=done, total=total),
        )
    except (OperationalError, InterfaceError):
        # The database went away: the worker queues the task again, which needs the file.
        raise
    except AlreadyWritten:
        job.refresh_from_db()
        return job.result
    except Exception as exc:
        progress.job_finish(job, result={}, message=str(exc), failed=True)
        import_upload_remove(path)
        raise
    progress.job_finish(job, result=report.as_dict(), failed=bool(report.errors) and not partial)
    import_upload_remove(path)
    return report.as_dict()


def _write_once(importer: Importer[Any], job: TaskProgress) -> None:
    """Make the importer's write commit a mark on the job with its rows, after checking
    under a lock that no other run has (two workers may run one import when one was
    thought dead)."""
    write = importer.write

    def write_and_mark(rows: list[Any]) -> int:
        with transaction.atomic():
            locked = TaskProgress.objects.select_for_update().get(pk=job.pk)
            if locked.finished or locked.result.get(WRITTEN):
                raise AlreadyWritten
            written = write(rows)
            job.result = {**locked.result, WRITTEN: True, "written": written}
            TaskProgress.objects.filter(pk=job.pk).update(result=job.result)
        return written

    importer.write = write_and_mark  # type: ignore[method-assign]


def import_upload_remove(path: str) -> None:
    """Remove an import's upload once its job has ended."""
    if path and private_storage.exists(path):
        private_storage.delete(path)


@task()
def purge_trash() -> int:
    return trash_purge()
