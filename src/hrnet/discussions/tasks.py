"""Background tasks of the discussions: the emails of new posts. Arguments are JSON values.

Each post enqueues `notifications_send` after its commit; `hrnet discussions_notify`
(cron, every few minutes, and the daily `housekeeping`) sends the same and the daily
summaries, so a lost task loses nothing: the rows wait in `Notification`."""

from __future__ import annotations

from django_tasks import task

from hrnet.discussions.services import notifications


@task()
def notifications_send() -> int:
    return notifications.notifications_send()
