"""The weekly digest's "upcoming events" section: events starting in the next four weeks
that the member may see, soonest first, in the member's time zone. EventsConfig.ready()
registers it with the news digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.core.links import site_url
from hrnet.core.types import Actor
from hrnet.events.selectors.calendar import visible_events
from hrnet.news.selectors.digest import DigestItem, DigestSection

HORIZON = timedelta(days=28)
MAX_ITEMS = 10


def upcoming_events_section(*, user: Actor, start: datetime, end: datetime) -> DigestSection | None:
    events = list(
        visible_events(user=user)
        .filter(status="published", starts_at__gte=end, starts_at__lt=end + HORIZON)
        .order_by("starts_at", "pk")[: MAX_ITEMS + 1]
    )
    if not events:
        return None
    items = [
        DigestItem(
            title=event.title,
            url=site_url(reverse("events:event_detail", args=[event.pk])),
            summary=event.description[:300],
            when=timezone.localtime(event.starts_at),
            label=str(event.get_kind_display()),
        )
        for event in events[:MAX_ITEMS]
    ]
    return DigestSection(
        key="events",
        title=_("Upcoming events"),
        items=items,
        more=max(0, len(events) - MAX_ITEMS),
        more_url=site_url(reverse("events:event_list")),
    )
