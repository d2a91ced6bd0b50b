"""Background tasks of events: what the clock moves (offers that expire, reminders) and,
after an event, the feedback survey emails. Arguments are JSON values.

`hrnet events_tick` runs the same service from cron every 5-10 minutes; the task lets a
worker run it too. Schedule `feedback_requests` every 15 minutes or hourly (e.g. from
`hrnet housekeeping`); it sends each registration's survey once, whenever it runs.
"""

from __future__ import annotations

from django_tasks import task

from hrnet.events.models import Event
from hrnet.events.services import feedback, registration


@task()
def events_tick() -> dict[str, int]:
    return registration.events_tick().as_dict()


@task()
def waiting_list_advance(*, event_id: int) -> int:
    event = Event.objects.filter(pk=event_id).first()
    return len(registration.waiting_list_advance(event=event)) if event is not None else 0


@task()
def feedback_requests() -> int:
    """Email the survey to participants of events that ended at least an hour ago."""
    return feedback.feedback_requests_send()
