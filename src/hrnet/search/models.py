"""The search index: one row per searchable record, whatever app it comes from.

The text columns hold what the record shows; the full-text index is kept beside it by the
database engine: a weighted `tsvector` column on PostgreSQL (english or russian
configuration by the record's language), an FTS5 table of Snowball-stemmed text on SQLite
(see `search.engines`)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.search.documents import GROUP, MEMBERS, PUBLIC


class SearchEntry(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = PUBLIC, _("Public")
        MEMBERS = MEMBERS, _("Members only")
        GROUP = GROUP, _("Named groups only")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("type"), max_length=40, db_index=True)
    language = models.CharField(_("language"), max_length=10, db_index=True)
    title = models.TextField(_("title"))
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    url_name = models.CharField(max_length=100)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=PUBLIC
    )
    published_at = models.DateTimeField(_("published"), db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    issue_areas = models.ManyToManyField(IssueArea, blank=True, related_name="+")
    countries = models.ManyToManyField(Country, blank=True, related_name="+")
    # PostgreSQL only (a plain, unused text column on SQLite); filled by search.engines.
    vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return self.title


class SearchAudience(models.Model):
    """One key of an entry restricted to named groups: readers holding the key find it."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="audiences")
    key = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "key"], name="search_audience_once")
        ]

    def __str__(self) -> str:
        return self.key
