"""Absolute links to the site, for what leaves it: emails, calendar files, certificates."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str = "") -> str:
    """The absolute address of a site path (settings.HRNET_SITE_URL plus `path`)."""
    return settings.HRNET_SITE_URL.rstrip("/") + path
