"""/api/v1/evidence/imports: start an import of values (tidy CSV/XLSX or DHIS2 JSON) as a
background job and poll it. The secretariat's, by token or session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hrnet.core import selectors as core_selectors
from hrnet.core.imports import FileUnreadable
from hrnet.core.models import TaskProgress
from hrnet.core.services import import_start
from hrnet.evidence.imports.values import values_importer_for
from hrnet.evidence.policies import data_value_policy

router = Router(tags=["evidence"])
FORMATS = ("", "csv", "xlsx", "dhis2")


class ImportStartedOut(Schema):
    id: str
    status: str
    poll: str = Field(description="Where to follow the job.")


class ImportReportOut(Schema):
    rows: int
    written: int
    partial: bool
    rejected_lines: list[int]
    errors: list[dict[str, Any]] = Field(
        description="Each with line, column, value and message (the reason)."
    )


class ImportStatusOut(Schema):
    id: str
    status: str = Field(description="queued, running, done or failed.")
    done: int
    total: int
    message: str
    report: ImportReportOut | None = Field(description="When the job has finished.")


class ErrorOut(Schema):
    detail: str


def _poll(job: TaskProgress) -> str:
    return f"/api/v1/evidence/imports/{job.pk}"


@router.post(
    "",
    response={202: ImportStartedOut, 400: ErrorOut, 403: ErrorOut},
    operation_id="hrnet_evidence_api_imports_import_create",
)
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[str] = "",  # the name callers send
    source: Form[str] = "",
    partial: Form[bool] = False,
) -> Status:
    """Upload a file (multipart): `format` csv, xlsx or dhis2 (default: from the file's
    name), `source` for rows without one, `partial` to write the valid rows when some are
    rejected (otherwise nothing is written unless every row is valid)."""
    if not data_value_policy.user_has_permission(request.user, "change"):
        return Status(403, {"detail": _("Only the secretariat imports values.")})
    fmt = format.strip().lower()
    if fmt not in FORMATS:
        return Status(400, {"detail": _("Write the format as csv, xlsx or dhis2.")})
    if len(source.strip()) > 100:
        return Status(400, {"detail": _("At most %(count)s characters.") % {"count": 100}})
    importer_name, declared = values_importer_for(file.name or "", fmt or None)
    try:
        job = import_start(
            importer_name=importer_name,
            upload=file,
            partial=partial,
            actor=request.user,
            fmt=declared,
            options={"source": source.strip()},
        )
    except FileUnreadable as exc:
        return Status(400, {"detail": str(exc)})
    return Status(202, {"id": str(job.pk), "status": job.status, "poll": _poll(job)})


@router.get(
    "/{job_id}",
    response={200: ImportStatusOut, 404: ErrorOut},
    operation_id="hrnet_evidence_api_imports_import_status",
)
def import_status(request: HttpRequest, job_id: str) -> Status:
    """The job's progress, and its report (every rejected row) when it has finished.
    Only the job's owner and the secretariat see it."""
    try:
        job = core_selectors.job_get(user=request.user, job_id=job_id)
    except (TaskProgress.DoesNotExist, ValueError, ValidationError, PermissionDenied):
        return Status(404, {"detail": _("No such import.")})
    report = job.result if job.finished and "rows" in job.result else None
    return Status(
        200,
        {
            "id": str(job.pk),
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "message": job.message,
            "report": report,
        },
    )
