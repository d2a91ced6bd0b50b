"""Public events in /sitemap.xml: published (or cancelled, so the notice is found) and
public; never a draft or a members-only event."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from hrnet.events.models import Event


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    i18n = True  # every language's page of the event

    def items(self) -> QuerySet[Event]:
        return Event.objects.filter(
            status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
            visibility=Event.Visibility.PUBLIC,
        ).order_by("-starts_at", "pk")

    def location(self, item: Event) -> str:
        return reverse("events:event_detail", args=[item.pk])

    def lastmod(self, item: Event) -> datetime:
        return item.updated_at
