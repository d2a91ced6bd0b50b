"""Background tasks of the library: reading the text of an uploaded file for the search.
Enqueued by the services once the upload is committed; arguments are JSON values."""

from __future__ import annotations

from django_tasks import task

from hrnet.library.services.files import resource_file_extract, resource_files_orphans_delete


@task()
def resource_file_extract_task(*, file_id: int) -> str:
    return resource_file_extract(file_id=file_id)


@task()
def resource_files_orphans_delete_task() -> int:
    """Run after the trash purge (e.g. by `hrnet housekeeping`)."""
    return resource_files_orphans_delete()
