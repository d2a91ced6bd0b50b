"""The task worker outlives its database and its fellows: a lost connection while claiming,
running or finishing a task is waited out and the task run again; a task left running by a
dead worker is taken back, then failed with a reason; import uploads stay in private
storage and go when their job ends."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hrnet.core.management.commands.db_worker import Worker
from hrnet.core.models import TaskProgress, WorkerBeat
from hrnet.core.services import import_start
from hrnet.core.storage import private_storage
from hrnet.core.worker import Heartbeat, tasks_take_back
from hrnet.geo.models import CountryAlias

# The worker's own transactions and a connection broken on purpose need real commits.
pytestmark = pytest.mark.django_db(transaction=True)

ALIASES = "country,alias\nMD,Moldavian Republic\nUA,Ukraina\n"


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HRNET_TASK_LEASE_SECONDS = 60
    settings.HRNET_TASK_MAX_ATTEMPTS = 2


def _import(actor: Any = None) -> TaskProgress:
    upload = SimpleUploadedFile("aliases.csv", ALIASES.encode(), content_type="text/csv")
    return import_start(
        importer_name="geo.aliases", upload=upload, partial=False, actor=actor or _nobody()
    )


def _nobody() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _task() -> DBTaskResult:
    return DBTaskResult.objects.get()


def _upload_path(task: DBTaskResult) -> str:
    return task.args_kwargs["kwargs"]["path"]


def _work(worker_id: str = "worker-1") -> Worker:
    """A worker that runs what is queued, then stops (its heartbeat is tested apart: a
    second thread on SQLite's shared in-memory test database would lock it)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        beat=False,
    )
    worker.run()
    return worker


@contextmanager
def _database_lost_at(fragment: str) -> Iterator[list[str]]:
    """Break the connection the first time a statement containing `fragment` runs: on
    PostgreSQL the server ends the session (pg_terminate_backend), as when it restarts;
    SQLite's test database lives in memory, so its driver's error is raised instead."""
    broken: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not broken and fragment in sql:
            broken.append(sql)
            if connection.vendor == "postgresql":
                raw = context["connection"].connection
                # The statement fails as the session ends: as intended.
                with contextlib.suppress(Exception):
                    raw.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            else:
                raise OperationalError("disk I/O error")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield broken


def test_uploads_wait_in_private_storage_never_under_media_root(settings, geography):
    job = _import()

    path = _upload_path(_task())
    assert private_storage.exists(path)
    assert Path(private_storage.path(path)).is_relative_to(
        Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    )
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))

    _work()

    job.refresh_from_db()
    assert job.status == TaskProgress.Status.DONE
    assert not private_storage.exists(path)
    assert CountryAlias.objects.filter(name="Moldavian Republic").count() == 1


def test_a_failed_import_removes_its_upload_too(geography):
    upload = SimpleUploadedFile("aliases.csv", b"country,alias\nNarnia,X\n")
    job = import_start(importer_name="geo.aliases", upload=upload, partial=False, actor=_nobody())
    path = _upload_path(_task())

    _work()

    job.refresh_from_db()
    assert job.status == TaskProgress.Status.FAILED
    assert not private_storage.exists(path)


def test_the_worker_waits_out_a_lost_database_while_claiming(geography):
    job = _import()

    with _database_lost_at("UPDATE") as broken:
        _work()

    assert broken
    job.refresh_from_db()
    assert job.status == TaskProgress.Status.DONE
    assert _task().status == TaskResultStatus.SUCCESSFUL
    assert CountryAlias.objects.filter(name="Ukraina").count() == 1


def test_an_import_interrupted_mid_write_is_run_again_and_writes_its_rows_once(geography):
    job = _import()
    path = _upload_path(_task())

    with _database_lost_at('INSERT INTO "geo_countryalias"') as broken:
        _work()

    assert broken
    job.refresh_from_db()
    task = _task()
    assert job.status == TaskProgress.Status.DONE
    assert task.status == TaskResultStatus.SUCCESSFUL
    # Tried twice: the first attempt's rows were rolled back with its transaction.
    assert len(task.worker_ids) == 2
    assert CountryAlias.objects.filter(name="Moldavian Republic").count() == 1
    assert CountryAlias.objects.filter(name="Ukraina").count() == 1
    assert not private_storage.exists(path)


def test_the_worker_waits_out_a_lost_database_while_recording_the_end(geography):
    job = _import()

    with _database_lost_at('"return_value"') as broken:
        _work()

    assert broken
    job.refresh_from_db()
    assert job.status == TaskProgress.Status.DONE
    assert _task().status == TaskResultStatus.SUCCESSFUL
    # A run again after the rows were committed writes nothing more.
    assert CountryAlias.objects.filter(name="Moldavian Republic").count() == 1


def _claimed_by_dead_worker(task: DBTaskResult, worker_id: str) -> None:
    task.refresh_from_db()
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=5)
    )


def test_a_dead_workers_task_is_run_again_then_failed_with_a_reason(
    geography, django_capture_on_commit_callbacks
):
    job = _import()
    task = _task()
    path = _upload_path(task)

    # given a worker killed while running the import
    _claimed_by_dead_worker(task, "killed-1")
    progress = TaskProgress.objects.filter(pk=job.pk)
    progress.update(status=TaskProgress.Status.RUNNING, done=1, total=2)

    # when another worker looks, the task goes back to the queue
    taken = tasks_take_back()

    assert (taken.requeued, taken.failed) == (1, 0)
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert job.status == TaskProgress.Status.QUEUED
    assert private_storage.exists(path)

    # when the next worker dies too, the last attempt is spent: failed, with a reason
    _claimed_by_dead_worker(task, "killed-2")
    with django_capture_on_commit_callbacks(execute=True):
        taken = tasks_take_back()

    assert (taken.requeued, taken.failed) == (0, 1)
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert job.status == TaskProgress.Status.FAILED
    assert job.message == "The worker running this job stopped; nothing was saved."
    assert not private_storage.exists(path)
    assert not CountryAlias.objects.filter(name="Ukraina").exists()


def test_a_live_workers_long_task_is_left_alone(geography):
    _import()
    task = _task()
    _claimed_by_dead_worker(task, "busy")
    Heartbeat("busy").tick()

    taken = tasks_take_back()

    assert (taken.requeued, taken.failed) == (0, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    beat = WorkerBeat.objects.get(worker_id="busy")
    assert beat.pid > 0
    assert beat.host


def test_a_retried_import_whose_rows_were_committed_ends_done_without_writing_again(geography):
    job = _import()
    # given the first worker committed the rows and was killed before it could say so
    _work("first")
    job.refresh_from_db()
    rows = CountryAlias.objects.count()
    TaskProgress.objects.filter(pk=job.pk).update(
        status=TaskProgress.Status.RUNNING, result={"written_committed": True, "written": 2}
    )
    DBTaskResult.objects.update(status=TaskResultStatus.READY)

    _work("second")

    job.refresh_from_db()
    assert job.status == TaskProgress.Status.DONE
    assert CountryAlias.objects.count() == rows


def test_a_heartbeat_survives_a_lost_database():
    beat = Heartbeat("beating")

    with _database_lost_at("core_workerbeat") as broken:
        beat.tick()
    beat.tick()

    assert broken
    assert WorkerBeat.objects.filter(worker_id="beating").exists()
