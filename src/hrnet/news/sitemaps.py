"""The sitemap of published articles, each at its address in its own language."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from hrnet.news.models import Article
from hrnet.news.selectors.articles import sitemap_articles


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[Article]:
        return sitemap_articles()

    def location(self, item: Article) -> str:
        with translation.override(item.language):
            return reverse("news:article_detail", args=[item.pk])

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at
