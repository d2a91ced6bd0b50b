"""Reads of the network's principles."""

from __future__ import annotations

from hrnet.members.models import PrinciplesVersion


def principles_current() -> PrinciplesVersion | None:
    """The latest published version, which applicants and renewing members accept."""
    return PrinciplesVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
