"""Background tasks of service delivery. Arguments are JSON values.

Saving a contact only notes its site and month as pending (`outreach.models.PendingMonth`)
and, when the pair is new, queues one drain task: the worker on the street waits for the
contact, not for the month's distinct counts (about 20 queries), and a hundred contacts of
one site and month cost one recomputation, not a hundred.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskContext, task

from hrnet.outreach.changes import contacts_changed
from hrnet.outreach.models import PendingMonth

# Rows taken by a drain that never finished (its worker gone and the task given up) are
# taken again after this long.
STALE_TAKE = datetime.timedelta(hours=1)


@task()
def contact_months_recompute(*, site_id: int, months: list[str], actor_id: int | None) -> int:
    """Tell the apps that build on contacts (evidence) that these months changed.
    Kept for tasks queued before the drain existed."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return contacts_changed(site_ids=[site_id], months=set(months), actor=actor)


@task(takes_context=True)
def pending_months_drain(context: TaskContext) -> int:
    """Recompute every pending site and month once; returns the values written. Rows
    noted while it runs wait for the next drain (their save queued it)."""
    me = str(context.task_result.id)[:64]
    now = timezone.now()
    with transaction.atomic():
        # A retried drain takes back what its earlier attempt had taken.
        ids = list(
            PendingMonth.objects.select_for_update(skip_locked=True)
            .filter(Q(taken_by="") | Q(taken_by=me) | Q(taken_at__lt=now - STALE_TAKE))
            .values_list("pk", flat=True)
        )
        PendingMonth.objects.filter(pk__in=ids).update(taken_by=me, taken_at=now)
    if not ids:
        return 0
    months: dict[int, set[str]] = defaultdict(set)
    actors: dict[int, int | None] = {}
    for site_id, month, actor_id in (
        PendingMonth.objects.filter(pk__in=ids)
        .order_by("created_at", "pk")
        .values_list("site_id", "month", "actor_id")
    ):
        months[site_id].add(month)
        actors.setdefault(site_id, actor_id)
    users = get_user_model().objects.in_bulk([pk for pk in actors.values() if pk])
    written = 0
    for site_id in sorted(months):
        first_actor = actors[site_id]
        written += contacts_changed(
            site_ids=[site_id],
            months=months[site_id],
            actor=users.get(first_actor) if first_actor else None,
        )
    PendingMonth.objects.filter(pk__in=ids).delete()
    return written


def pending_months_drain_if_waiting() -> bool:
    """Queue a drain for months left waiting (a process that stopped between saving a
    contact and queueing its drain); run by `hrnet housekeeping`. True if one was queued."""
    waiting = PendingMonth.objects.filter(
        Q(taken_by="", created_at__lt=timezone.now() - datetime.timedelta(minutes=10))
        | Q(taken_at__lt=timezone.now() - STALE_TAKE)
    )
    if not waiting.exists():
        return False
    pending_months_drain.enqueue()
    return True
