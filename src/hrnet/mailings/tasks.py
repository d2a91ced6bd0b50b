"""Background tasks of mailings: delivering one mailing (JSON arguments only)."""

from __future__ import annotations

from django_tasks import task

from hrnet.mailings.services.delivery import mailing_deliver


@task()
def deliver_mailing(*, mailing_id: int, limit: int | None = None) -> str:
    return mailing_deliver(mailing_id=mailing_id, limit=limit).status
