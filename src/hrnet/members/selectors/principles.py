"""Reads of the network's principles, and which version a member renewing must accept."""

from __future__ import annotations

from hrnet.members.models import Membership, PrinciplesVersion


def principles_current() -> PrinciplesVersion | None:
    """The latest published version, which applicants and renewing members accept."""
    return PrinciplesVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


def renewal_needs_principles(membership: Membership) -> PrinciplesVersion | None:
    """The principles version a renewal must accept, if it changed since the member's."""
    current = principles_current()
    if current is not None and membership.principles_version_id != current.pk:
        return current
    return None
