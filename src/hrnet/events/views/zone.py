"""Which time zone an events page shows its times in, named truthfully: the reader's own
(profile, or the browser's `hrnet_tz` cookie for visitors) when known; otherwise the
event's organisers' zone on an event's pages, the network's default on lists."""

from __future__ import annotations

import zoneinfo
from contextlib import AbstractContextManager
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.events.models import Event


def page_zone(request: HttpRequest, event: Event | None = None) -> zoneinfo.ZoneInfo:
    if not visitor_time_zone_known(request) and event is not None:
        try:
            return zoneinfo.ZoneInfo(event.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo(timezone.get_current_timezone_name())


def zone_override(request: HttpRequest, event: Event | None = None) -> AbstractContextManager[Any]:
    """Render inside this: the page's zone for the times the template formats."""
    return timezone.override(page_zone(request, event))


def zone_context(request: HttpRequest, event: Event | None = None) -> dict[str, Any]:
    zone = str(page_zone(request, event))
    return {
        "zone_name": zone,
        "zone_is_visitors": visitor_time_zone_known(request),
        "zone_differs": event is not None and zone != event.time_zone,
    }
