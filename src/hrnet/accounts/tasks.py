"""Background tasks of accounts: forgetting old failed sign-ins."""

from __future__ import annotations

from django_tasks import task


@task()
def purge_login_failures() -> int:
    from hrnet.accounts.services import login_failure_purge

    return login_failure_purge()
