"""Reads of the core records: the network profile, the audit log, background jobs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from hrnet.accounts.roles import Role, user_has_role
from hrnet.core.models import AuditEntry, IssueArea, Network, TaskProgress
from hrnet.core.types import Actor


def network_get() -> Network:
    """The network this deployment serves; an unsaved blank one before data is loaded."""
    return Network.objects.order_by("pk").first() or Network()


def issue_area_list() -> QuerySet[IssueArea]:
    return IssueArea.objects.all()


def audit_entry_list(
    *, user: Actor, action: str = "", actor: str = "", object_id: str = ""
) -> QuerySet[AuditEntry]:
    """The audit log, newest first; the secretariat only."""
    if not user_has_role(user, Role.SECRETARIAT):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_repr__icontains=actor)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries


def job_list(*, user: Actor) -> QuerySet[TaskProgress]:
    """Background jobs: one's own; the secretariat sees everyone's."""
    if not user.is_authenticated:
        return TaskProgress.objects.none()
    jobs = TaskProgress.objects.select_related("owner")
    if user_has_role(user, Role.SECRETARIAT):
        return jobs
    return jobs.filter(owner=user)


def job_get(*, user: Actor, job_id: Any) -> TaskProgress:
    return job_list(user=user).get(pk=job_id)
