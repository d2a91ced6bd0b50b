"""The weekly digest's "upcoming events" section: events starting in the next four weeks
that the member may see, soonest first, in the member's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.news.digest import DigestItem, DigestSection, digest_section_register

HORIZON = timedelta(days=28)
MAX_ITEMS = 10


def upcoming_events_section(*, user: Any, start: datetime, end: datetime) -> DigestSection | None:
    from hrnet.events.selectors.calendar import visible_events
    from hrnet.news.digest import _absolute

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
            url=_absolute(reverse("events:event_detail", args=[event.pk])),
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
        more_url=_absolute(reverse("events:event_list")),
    )


def register() -> None:
    digest_section_register("events", upcoming_events_section, position=30)
