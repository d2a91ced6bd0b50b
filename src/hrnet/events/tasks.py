"""Background tasks of events: what the clock moves (offers that expire, reminders).

`hrnet events_tick` runs the same service from cron every 5-10 minutes; the task lets a
worker run it too. Arguments are JSON values.
"""

from __future__ import annotations

from django_tasks import task


@task()
def events_tick() -> dict[str, int]:
    from hrnet.events.services.registration import events_tick as tick

    return tick().as_dict()


@task()
def waiting_list_advance(*, event_id: int) -> int:
    from hrnet.events.models import Event
    from hrnet.events.services.registration import waiting_list_advance as advance

    event = Event.objects.filter(pk=event_id).first()
    return len(advance(event=event)) if event is not None else 0
