"""Background tasks of news: the weekly digest."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from django_tasks import task

from hrnet.core import progress
from hrnet.news.services.digest import digest_send


@task()
def digest_send_weekly() -> dict[str, Any]:
    """This week's digest to every subscriber who has not had it; idempotent per week, so
    `hrnet housekeeping` may enqueue it every day. Progress shows on the background-jobs page."""
    job = progress.job_start(name=gettext_lazy("Weekly digest"))
    try:
        report = digest_send(
            progress=lambda done, total: progress.job_update(job, done=done, total=total)
        )
    except Exception as exc:
        progress.job_finish(job, result={}, message=str(exc), failed=True)
        raise
    progress.job_finish(job, result=report.as_dict(), failed=bool(report.failed))
    return report.as_dict()
