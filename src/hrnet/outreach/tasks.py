"""Background tasks of service delivery. Arguments are JSON values.

Saving a contact only queues the recomputation of its month: the worker on the street
waits for the contact, not for the month's distinct counts (about 20 queries).
"""

from __future__ import annotations

from django_tasks import task


@task()
def contact_months_recompute(*, site_id: int, months: list[str], actor_id: int | None) -> int:
    from django.contrib.auth import get_user_model

    from hrnet.outreach import rollup

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return rollup.contact_months_recompute(site_id=site_id, months=set(months), actor=actor)
