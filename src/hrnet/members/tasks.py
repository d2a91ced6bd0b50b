"""Background tasks of the member register."""

from __future__ import annotations

from django_tasks import task

from hrnet.members.services.memberships import membership_status_refresh, renewal_reminders_send


@task()
def membership_daily() -> dict[str, int]:
    """Statuses from dates, then renewal reminders. Scheduled daily by `hrnet housekeeping`."""
    return {"changed": membership_status_refresh(), "reminders": renewal_reminders_send()}
