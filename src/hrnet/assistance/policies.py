"""Who may do what with technical assistance. Views, API, admin and exports ask these.

Request actions: "list" and "view" (the requesting organisation's admins and staff, the
assigned experts, the secretariat), "add" (someone with an organisation to file for),
"manage" (triage, assign, decline, close: the secretariat), "work" (log work, start, add
deliverables, deliver: an assigned expert), "rate" (the requesting organisation, once
delivered), "report" (the secretariat). Experts: the secretariat manages the roster.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.assistance.models import AssistanceRequest, Expert
from hrnet.core.policies import ModelPolicy, SecretariatOnlyPolicy
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def affiliated_organisation_ids(user: Any) -> set[int]:
    """Organisations `user` currently works for (admin or not)."""
    if not _signed_in(user):
        return set()
    today = timezone.localdate()
    return set(
        Organisation.objects.filter(
            Q(affiliations__start_date__isnull=True) | Q(affiliations__start_date__lte=today),
            Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=today),
            affiliations__person__user=user,
        ).values_list("pk", flat=True)
    )


def requestable_organisations(user: Any) -> QuerySet:
    """The organisations `user` may file a request for."""
    ids = administered_organisation_ids(user) | affiliated_organisation_ids(user)
    return Organisation.objects.filter(pk__in=ids).order_by("name_key")


def expert_of(user: Any) -> Expert | None:
    if not _signed_in(user):
        return None
    return Expert.objects.filter(user=user).first()


def is_assigned(user: Any, request: AssistanceRequest) -> bool:
    if not _signed_in(user):
        return False
    return request.experts.filter(user=user).exists()


class AssistanceRequestPolicy(ModelPolicy):
    model = AssistanceRequest

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in ("manage", "report", "delete", "change"):
            return is_secretariat(user)
        return _signed_in(user)  # list, view, add, work, rate: narrowed per record

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        request: AssistanceRequest = instance
        if not _signed_in(user):
            return False
        if action == "work":
            return is_assigned(user, request)
        if is_secretariat(user):
            return action != "rate"
        own = request.organisation_id in affiliated_organisation_ids(
            user
        ) | administered_organisation_ids(user)
        if action in ("list", "view"):
            return own or is_assigned(user, request)
        if action == "rate":
            return own or request.filed_by_id == user.pk
        return False

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet:
        requests = AssistanceRequest.objects.all()
        if not _signed_in(user):
            return requests.none()
        if action == "work":
            return requests.filter(experts__user=user).distinct()
        if is_secretariat(user):
            return requests
        if action in ("list", "view"):
            own = affiliated_organisation_ids(user) | administered_organisation_ids(user)
            return requests.filter(Q(organisation__in=own) | Q(experts__user=user)).distinct()
        return requests.none()


class ExpertPolicy(SecretariatOnlyPolicy):
    model = Expert


request_policy = AssistanceRequestPolicy()
expert_policy = ExpertPolicy()
