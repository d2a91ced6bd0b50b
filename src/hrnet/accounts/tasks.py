"""Background tasks of accounts: forgetting old failed sign-ins."""

from __future__ import annotations

from django_tasks import task

from hrnet.accounts.services import login_failure_purge


@task()
def purge_login_failures() -> int:
    return login_failure_purge()
