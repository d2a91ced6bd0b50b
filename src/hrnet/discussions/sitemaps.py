"""The sitemap of the public discussions: every thread an anonymous reader may read (a
public category, not hidden), each at its address in its own language."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from hrnet.discussions.models import Thread
from hrnet.discussions.selectors import sitemap_threads


class ThreadSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self) -> QuerySet[Thread]:
        return sitemap_threads()

    def location(self, item: Thread) -> str:
        with translation.override(item.language):
            return reverse("discussions:thread", args=[item.pk])

    def lastmod(self, item: Thread) -> datetime:
        return item.last_post_at
