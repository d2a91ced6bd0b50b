"""Progress of long-running jobs, written to a TaskProgress row that the page's progress
bar (htmx polling) and the CLI both read."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation
from django.utils.functional import Promise

from hrnet.core.models import TaskProgress
from hrnet.core.types import Actor


def job_start(*, name: str | Promise, owner: Actor | None = None, total: int = 0) -> TaskProgress:
    """A new job. `name` is a msgid or a lazily translated label: it is stored in the
    site's default language (English) and shown in the reader's (`TaskProgress.display_name`)."""
    with translation.override(settings.LANGUAGE_CODE):
        stored = str(name)
    return TaskProgress.objects.create(
        name=stored,
        owner=None if owner is None or isinstance(owner, AnonymousUser) else owner,
        total=total,
    )


def job_update(job: TaskProgress, *, done: int, total: int | None = None) -> None:
    job.status = TaskProgress.Status.RUNNING
    job.done = done
    if total is not None:
        job.total = total
    job.updated_at = timezone.now()
    TaskProgress.objects.filter(pk=job.pk).update(
        status=job.status, done=job.done, total=job.total, updated_at=job.updated_at
    )


def job_finish(
    job: TaskProgress, *, result: dict[str, Any], message: str = "", failed: bool = False
) -> None:
    job.status = TaskProgress.Status.FAILED if failed else TaskProgress.Status.DONE
    job.result = result
    job.message = message
    if not failed:
        job.done = max(job.done, job.total)
    job.save(update_fields=["status", "result", "message", "done", "updated_at"])


class ProgressPrinter:
    """Draws a text progress bar on a terminal as a job advances (the CLI's view)."""

    def __init__(self, job: TaskProgress, stream: TextIO | None = None, width: int = 30) -> None:
        self.job = job
        self.stream = stream or sys.stderr
        self.width = width
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        job_update(self.job, done=done, total=total)
        now = time.monotonic()
        if done < total and now - self._last < 0.2:
            return
        self._last = now
        self.stream.write("\r" + render_bar(done, total, self.width))
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def render_bar(done: int, total: int, width: int = 30) -> str:
    fraction = done / total if total else 1.0
    filled = round(width * fraction)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({fraction:.0%})"
