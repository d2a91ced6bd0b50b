"""Template helpers of the evidence dashboards: the band written out beside its pattern,
numbers as the charts show them, and a site value that may be suppressed."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hrnet.core.charts import number_text
from hrnet.evidence.models import Band
from hrnet.evidence.sources import source_name, unit_name

register = template.Library()


@register.filter
def band_badge(band: str | None) -> SafeString | str:
    """The band as a badge: its name in words, with the map's pattern behind it."""
    if band not in Band.values:
        return ""
    return format_html('<span class="band band--{}">{}</span>', band, Band(band).label)


@register.filter
def number(value: Any) -> str:
    return number_text(value)


@register.filter
def unit(stored: str) -> str:
    """A stored unit ("per PWID per year") in the reader's language."""
    return unit_name(stored or "")


@register.filter
def source(stored: str) -> str:
    """A stored source ("UNAIDS GAM") as readers name it."""
    return source_name(stored or "")


@register.filter
def suppressed(site_value: Any) -> SafeString | str:
    """A site value as the viewer may see it: "<5" (explained) when suppressed."""
    if getattr(site_value, "is_suppressed", False):
        return format_html(
            '<abbr title="{}">{}</abbr>',
            _("fewer than %(threshold)s, not shown to protect the people counted")
            % {"threshold": settings.HRNET_SUPPRESSION_THRESHOLD},
            site_value.text,
        )
    return str(site_value.text)
