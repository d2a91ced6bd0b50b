"""Reads of the case list: the cases a reader may see, filtered and in a queue's order."""

from __future__ import annotations

from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.rights.models import Case
from hrnet.rights.policies import case_queryset_for

# The case list's orders: a queue (a status filter) waits longest first, the whole list
# shows the most recent incidents first.
SORT_OLDEST = "oldest"
SORT_NEWEST = "newest"
SORTS = (SORT_OLDEST, SORT_NEWEST)
_ORDERS = {
    SORT_OLDEST: ("created_at", "pk"),
    SORT_NEWEST: ("-date_from", "-pk"),
}


def case_list(
    *, user: Actor, status: str = "", country: Country | None = None, sort: str = ""
) -> QuerySet[Case]:
    """The cases `user` may read (the need-to-know rules of `case_queryset_for`), filtered.

    `sort` is "oldest" (recorded longest ago first: what waits longest) or "newest" (most
    recent incident first); without one, a status filter makes the list a queue, oldest
    first, and the unfiltered list shows the newest first.
    """
    cases = case_queryset_for(user).select_related("country").prefetch_related("violation_types")
    if status:
        cases = cases.filter(status=status)
    if country is not None:
        cases = cases.filter(country=country)
    if sort not in SORTS:
        sort = SORT_OLDEST if status else SORT_NEWEST
    return cases.order_by(*_ORDERS[sort])
