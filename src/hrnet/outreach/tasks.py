"""Background tasks of service delivery. Arguments are JSON values.

Saving a contact only queues the recomputation of its month: the worker on the street
waits for the contact, not for the month's distinct counts (about 20 queries).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from hrnet.outreach.changes import contacts_changed


@task()
def contact_months_recompute(*, site_id: int, months: list[str], actor_id: int | None) -> int:
    """Tell the apps that build on contacts (evidence) that these months changed."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return contacts_changed(site_ids=[site_id], months=set(months), actor=actor)
