"""The task worker's lease: each `hrnet db_worker` reports itself (`WorkerBeat`) every few
seconds, and a task left running by a worker that has not been seen for
HRNET_TASK_LEASE_SECONDS (killed, its machine gone) is taken back: queued again, or failed
with a reason after HRNET_TASK_MAX_ATTEMPTS tries. Its job (`TaskProgress`, the task's
`job_id`) follows, and an import's upload is removed when the task is given up.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hrnet.core import tasks as core_tasks
from hrnet.core.models import TaskProgress, WorkerBeat

logger = logging.getLogger("hrnet.worker")

# What a lost or restarting database raises; the worker waits for it and carries on.
DATABASE_DOWN = (OperationalError, InterfaceError)


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker stopped too often."""


@dataclass
class TakeBack:
    requeued: int = 0
    failed: int = 0


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.HRNET_TASK_LEASE_SECONDS)


def beat_interval() -> float:
    """Every few seconds, and several times within a lease."""
    return max(0.5, min(5.0, settings.HRNET_TASK_LEASE_SECONDS / 4))


def worker_beat(*, worker_id: str, started_at: datetime.datetime | None = None) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
        create_defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": now,
            "started_at": started_at or now,
        },
    )


def worker_leave(*, worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def tasks_take_back(*, now: datetime.datetime | None = None) -> TakeBack:
    """Take back every running task whose worker has not been seen within the lease.
    Safe to run from several workers at once (rows are locked and checked again)."""
    now = now or timezone.now()
    cutoff = now - lease()
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    suspects = [
        pk
        for pk, worker_ids in DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .values_list("pk", "worker_ids")
        if not worker_ids or worker_ids[-1] not in alive
    ]
    result = TakeBack()
    for pk in suspects:
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None:
                continue
            if task_release(task, reason=stopped_reason()):
                result.requeued += 1
            else:
                result.failed += 1
    # Beats of workers long gone are of no use to anyone.
    WorkerBeat.objects.filter(seen_at__lt=now - 10 * lease()).delete()
    if result.requeued or result.failed:
        logger.warning(
            "Took back tasks of stopped workers: %d queued again, %d failed",
            result.requeued,
            result.failed,
        )
    return result


def task_release(task: DBTaskResult, *, reason: str) -> bool:
    """Put an interrupted running task back in the queue (True), or fail it with `reason`
    once it has been tried HRNET_TASK_MAX_ATTEMPTS times (False). Call in a transaction
    holding the task's row."""
    kwargs: dict[str, Any] = (task.args_kwargs or {}).get("kwargs") or {}
    job = _job_of(kwargs)
    if len(task.worker_ids) < settings.HRNET_TASK_MAX_ATTEMPTS:
        task.status = TaskResultStatus.READY
        task.save(update_fields=["status"])
        if job is not None and not job.finished:
            job.status = TaskProgress.Status.QUEUED
            job.done = 0
            job.save(update_fields=["status", "done", "updated_at"])
        return True
    task.set_failed(WorkerLost(reason))
    if job is not None and not job.finished:
        if job.result.get(core_tasks.WRITTEN):
            # The rows were committed before the worker stopped: the import did its work.
            job.status = TaskProgress.Status.DONE
            job.done = max(job.done, job.total)
        else:
            job.status = TaskProgress.Status.FAILED
            job.message = reason
        job.save(update_fields=["status", "done", "message", "updated_at"])
    if task.task_path == core_tasks.run_import.module_path and kwargs.get("path"):
        transaction.on_commit(lambda: core_tasks.import_upload_remove(kwargs["path"]))
    return False


def _job_of(kwargs: dict[str, Any]) -> TaskProgress | None:
    job_id = kwargs.get("job_id")
    if not job_id:
        return None
    try:
        return TaskProgress.objects.filter(pk=job_id).first()
    except (ValueError, TypeError):
        return None


def stopped_reason() -> str:
    # Stored in the site's language, like the job's name.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The worker running this job stopped; nothing was saved.")


def connections_close() -> None:
    """Close this thread's connections, broken ones included, so the next query
    connects afresh."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DATABASE_DOWN:
            # Already broken: forget it so the next query opens a new one.
            conn.connection = None


class Heartbeat(threading.Thread):
    """Reports the worker every `beat_interval()` seconds and takes back stopped workers'
    tasks every half lease. Runs while the main thread runs tasks, so a long task does
    not look like a dead worker. Its own database connection (Django's are per thread)."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self._last_take_back: float | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(beat_interval())
        finally:
            connections.close_all()

    def tick(self) -> None:
        try:
            worker_beat(worker_id=self.worker_id, started_at=self.started_at)
            now = timezone.now().timestamp()
            if (
                self._last_take_back is None
                or now - self._last_take_back >= settings.HRNET_TASK_LEASE_SECONDS / 2
            ):
                self._last_take_back = now
                tasks_take_back()
        except DATABASE_DOWN as exc:
            logger.warning("Heartbeat of worker %s: database unavailable (%s)", self.worker_id, exc)
            connections_close()
        except Exception:
            # A heartbeat must never stop: the next one tries again.
            logger.exception("Heartbeat of worker %s failed", self.worker_id)

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=beat_interval() + 5)
