"""The secretariat's membership queues: terms ending soon and lapsed members, oldest
first, each narrowed to what the acting user may see (the secretariat sees all; others
only the memberships they renew themselves)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from hrnet.core.types import Actor
from hrnet.members.models import Membership
from hrnet.members.policies import membership_policy

RENEWAL_WINDOW_DAYS = 30
_RELATED = ("organisation__country", "person__country", "type")


def _own_visible(user: Actor) -> QuerySet[Membership]:
    """Memberships of their own (not inherited by staff) of members not in the trash."""
    return membership_policy.instances_user_has_permission_for(user, "renew").filter(
        inherited_from__isnull=True,
        organisation__deleted_at__isnull=True,
        person__deleted_at__isnull=True,
    )


def renewals_due(
    *, user: Actor, days: int = RENEWAL_WINDOW_DAYS, today: date | None = None
) -> QuerySet[Membership]:
    """Current memberships whose term ends within `days`, the nearest end first."""
    today = today or timezone.localdate()
    return (
        _own_visible(user)
        .filter(
            status__in=Membership.CURRENT_STATUSES,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=days),
        )
        .select_related(*_RELATED)
        .order_by("end_date", "pk")
    )


def lapsed_memberships(*, user: Actor) -> QuerySet[Membership]:
    """Lapsed memberships, the one that ended longest ago first."""
    return (
        _own_visible(user)
        .filter(status=Membership.Status.LAPSED)
        .select_related(*_RELATED)
        .order_by("end_date", "pk")
    )
