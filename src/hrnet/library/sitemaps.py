"""The library in /sitemap.xml: public published resources only, each at the address in
its own language."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from hrnet.library.models import Resource
from hrnet.library.selectors import sitemap_resources


class ResourceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[Resource]:
        return sitemap_resources().only("pk", "language", "updated_at")

    def location(self, item: Resource) -> str:
        with translation.override(item.language):
            return reverse("library:resource_detail", kwargs={"pk": item.pk})

    def lastmod(self, item: Resource) -> datetime:
        return item.updated_at
