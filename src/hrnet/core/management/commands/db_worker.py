"""`hrnet db_worker`: django_tasks_db's worker, with the same options, that outlives its
database. A lost connection (PostgreSQL restarting, connections terminated) while
claiming, running or finishing a task is logged and waited out with a growing pause
(at most MAX_BACKOFF, 10 seconds); the task it interrupted goes back to the
queue, or fails after HRNET_TASK_MAX_ATTEMPTS tries. A heartbeat thread reports the
worker and takes back the tasks of workers that stopped (`core.worker`). SIGTERM still
stops it gracefully once the running task ends.

Found before django_tasks_db's command because `hrnet.core` comes first in INSTALLED_APPS.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands import db_worker as base
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from hrnet.core.worker import (
    DATABASE_DOWN,
    Heartbeat,
    connections_close,
    stopped_reason,
    task_release,
    worker_leave,
)

logger = base.logger

# The longest pause between two attempts to reach a lost database, in seconds.
MAX_BACKOFF = 10.0


class TaskInterrupted(Exception):
    """The database went away while a task ran or was being finished."""

    def __init__(self, task_id: Any, cause: BaseException) -> None:
        super().__init__(task_id, cause)
        self.task_id = task_id
        self.cause = cause


class Worker(base.Worker):
    def __init__(self, *, beat: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.beat = beat
        self.heartbeat: Heartbeat | None = None
        # The task a lost database interrupted, released once it is back.
        self.interrupted: Any = None
        self.outages = 0

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.beat:
            self.heartbeat = Heartbeat(self.worker_id)
            self.heartbeat.start()
        if self.startup_delay and self.interval:
            # A small random delay keeps a restarted pool from claiming in lockstep.
            time.sleep(random.random())  # noqa: S311
        try:
            while self.running:
                try:
                    if not self.step():
                        return
                    self.outages = 0
                except TaskInterrupted as exc:
                    self.interrupted = exc.task_id
                    self.wait_for_database(exc.cause)
                except DATABASE_DOWN as exc:
                    if (
                        isinstance(exc, OperationalError)
                        and exc.args
                        and is_locked_database_exception(exc)
                    ):
                        # SQLite busy past its timeout: it unlocks eventually.
                        time.sleep(self.interval)
                        continue
                    self.wait_for_database(exc)
        finally:
            if self.heartbeat is not None:
                self.heartbeat.stop()
            # With the database gone its beat simply grows old; the lease covers it.
            with contextlib.suppress(*DATABASE_DOWN):
                worker_leave(worker_id=self.worker_id)

    def step(self) -> bool:
        """One turn of the loop: claim a task and run it. False when the worker should
        stop (batch mode found nothing, or max tasks reached)."""
        close_old_connections()
        if self.interrupted is not None:
            self.release_interrupted()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                # "claim" the task, so no other worker runs it
                task_result.claim(self.worker_id)
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and task_result is None:
            logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
            return False
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info(
                "Ran the maximum of %d tasks on worker=%s.", self._run_tasks, self.worker_id
            )
            return False
        close_old_connections()
        if self.running and task_result is None:
            time.sleep(self.interval)
        return True

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task and record how it ended. A lost database, in the task or while
        recording, raises TaskInterrupted: the task is released once the database is
        back instead of being failed by a worker that cannot write."""
        self.running_task = True
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    return_value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
            except DATABASE_DOWN as exc:
                raise TaskInterrupted(db_task_result.pk, exc) from exc
            except BaseException as exc:
                self.finish(db_task_result, failure=exc)
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
            else:
                self.finish(db_task_result, return_value=return_value)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def finish(
        self,
        db_task_result: DBTaskResult,
        *,
        return_value: Any = None,
        failure: BaseException | None = None,
    ) -> None:
        """Record the end of a task this worker still holds; one taken back meanwhile
        (the worker looked dead during an outage) belongs to whoever runs it now."""
        try:
            with transaction.atomic():
                current = DBTaskResult.objects.select_for_update().filter(pk=db_task_result.pk)
                held = current.filter(status=TaskResultStatus.RUNNING).first()
                if held is None or (held.worker_ids or [None])[-1] != self.worker_id:
                    logger.warning("Task id=%s was taken back meanwhile", db_task_result.pk)
                    return
                if failure is None:
                    db_task_result.set_successful(return_value)
                else:
                    db_task_result.set_failed(failure)
        except DATABASE_DOWN as exc:
            raise TaskInterrupted(db_task_result.pk, exc) from exc
        try:
            sender = type(db_task_result.task.get_backend())
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except Exception:
            logger.exception(
                "Task id=%s: finished, but telling listeners failed", db_task_result.pk
            )

    def release_interrupted(self) -> None:
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=self.interrupted, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is not None and (task.worker_ids or [None])[-1] == self.worker_id:
                requeued = task_release(task, reason=stopped_reason())
                logger.warning(
                    "Task id=%s interrupted by the database outage: %s",
                    task.pk,
                    "queued again" if requeued else "failed after too many attempts",
                )
        self.interrupted = None

    def wait_for_database(self, exc: BaseException) -> None:
        """Log, drop the broken connections, pause (longer each time, at most MAX_BACKOFF
        seconds) and return so the loop tries again. Never exits."""
        self.outages += 1
        delay = min(MAX_BACKOFF, 0.5 * 2 ** (self.outages - 1))
        logger.warning(
            "Database unavailable (%s); worker %s tries again in %.1f s",
            str(exc).strip() or type(exc).__name__,
            self.worker_id,
            delay,
        )
        connections_close()
        time.sleep(delay)
        try:
            connection.ensure_connection()
        except DATABASE_DOWN:
            connections_close()


class Command(base.Command):
    help = "Run a database background worker that survives database outages"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be used together: not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the child process handles signals.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
