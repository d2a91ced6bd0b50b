"""Who may see and manage sites. A site is seen by its own staff, its organisation's
admins and the secretariat; the secretariat and the organisation's admins manage it.
(Client-level records at a site have their own, stricter policies.)"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hrnet.core.policies import ModelPolicy
from hrnet.members.policies import administered_organisation_ids, is_secretariat
from hrnet.outreach.models import Site, SiteStaff

READ_ACTIONS = frozenset({"list", "view"})


def staffed_site_ids(user: Any, *, roles: tuple[str, ...] = ()) -> set[int]:
    """The sites `user` is assigned to (with one of `roles`, when given)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    assignments = SiteStaff.objects.filter(user=user, site__is_active=True)
    if roles:
        assignments = assignments.filter(role__in=roles)
    return set(assignments.values_list("site_id", flat=True))


class SitePolicy(ModelPolicy):
    model = Site

    def user_has_permission(self, user: Any, action: str) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if is_secretariat(user):
            return True
        if action in READ_ACTIONS:
            return bool(staffed_site_ids(user) or administered_organisation_ids(user))
        if action in {"add", "change"}:
            return bool(administered_organisation_ids(user))
        return False

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if is_secretariat(user):
            return True
        if instance.organisation_id in administered_organisation_ids(user):
            return action in READ_ACTIONS | {"change", "report"}
        if instance.pk in staffed_site_ids(user):
            return action in READ_ACTIONS | {"report"}
        return False

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet:
        sites = Site.objects.all()
        if not getattr(user, "is_authenticated", False):
            return sites.none()
        if is_secretariat(user):
            return sites
        administered = Q(organisation_id__in=administered_organisation_ids(user))
        if action in READ_ACTIONS or action == "report":
            return sites.filter(administered | Q(pk__in=staffed_site_ids(user)))
        if action == "change":
            return sites.filter(administered)
        return sites.none()


site_policy = SitePolicy()
