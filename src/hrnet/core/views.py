"""Pages of the core: audit log, trash, background jobs; and the submit step that every
app's import page shares."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core import selectors, trash
from hrnet.core.forms import ImportForm
from hrnet.core.imports import FileUnreadable
from hrnet.core.models import TaskProgress
from hrnet.core.services import import_start

JOBS_PER_PAGE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = {
        "action": request.GET.get("action", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
    }
    entries = selectors.audit_entry_list(user=request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "filters": filters})


@login_required
def trash_list(request: HttpRequest) -> HttpResponse:
    items = trash.trash_list(user=request.user)
    return render(
        request,
        "core/trash.html",
        {"items": items, "retention_days": settings.HRNET_TRASH_RETENTION_DAYS},
    )


@login_required
@require_POST
def trash_restore(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    try:
        obj = trash.trash_get(
            user=request.user, content_type_id=content_type_id, object_id=object_id
        )
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    trash.trash_restore(obj=obj, actor=request.user, request=request)
    messages.success(request, _("“%(item)s” was restored.") % {"item": obj})
    return redirect("core:trash")


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """Every job, newest first; `?status=failed` (or another status) makes it a queue to
    work through: those jobs only, the oldest first."""
    jobs = selectors.job_list(user=request.user)
    status = request.GET.get("status", "")
    filters: dict[str, str] = {}
    if status in TaskProgress.Status.values:
        jobs = jobs.filter(status=status).order_by("created_at", "pk")
        filters["status"] = status
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/job_list.html",
        {
            "jobs": page.object_list,
            "page": page,
            "filters": filters,
            "statuses": TaskProgress.Status.choices,
        },
    )


def _job_or_404(request: HttpRequest, job_id: str) -> TaskProgress:
    try:
        return selectors.job_get(user=request.user, job_id=job_id)
    except (TaskProgress.DoesNotExist, ValueError, PermissionDenied) as exc:
        raise Http404 from exc


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    return render(request, "core/job_detail.html", {"job": _job_or_404(request, job_id)})


@login_required
def job_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    """The progress-bar fragment; htmx polls it until the job has finished."""
    job = _job_or_404(request, job_id)
    response = render(request, "core/partials/job_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        # Reload the whole page once so the report below the bar appears.
        response["HX-Refresh"] = "true"
    return response


def import_job_submit(
    request: HttpRequest, form: ImportForm, *, importer_name: str | Callable[[], str]
) -> HttpResponse | None:
    """An import page's POST: with a valid form, queue the import of its file and redirect
    to the job's page. A file the importer cannot read puts the reason on the form. None
    (show the page with the form again) on GET, for an invalid form or an unreadable file.
    `importer_name` may be a function, read once the form is valid."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        job = import_start(
            importer_name=importer_name if isinstance(importer_name, str) else importer_name(),
            upload=form.cleaned_data["file"],
            partial=form.cleaned_data["partial"],
            actor=request.user,
        )
    except FileUnreadable as exc:
        form.add_error("file", str(exc))
        return None
    return redirect("core:job_detail", job_id=job.pk)
