"""Who may do what with technical assistance. Views, API, admin and exports ask these.

Request actions: "list" and "view" (the requesting organisation's admins and staff, the
assigned experts, the secretariat), "add" (someone with an organisation to file for),
"manage" (triage, assign, decline, close: the secretariat), "work" (log work, start, add
deliverables, deliver: an assigned expert), "rate" (the requesting organisation, once
delivered), "report" (the secretariat). Experts: the secretariat manages the roster.

`request_policy.require(user, "work", request)` refuses someone who is not an assigned
expert with `NotAssignedError`, a PermissionDenied that is also a ValidationError: the
pages show its message beside the request, as for any other step that cannot be done.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.assistance.models import AssistanceRequest, Expert
from hrnet.core.policies import ModelPolicy, SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat


def _signed_in(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def affiliated_organisation_ids(user: Actor) -> set[int]:
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


def requestable_organisations(user: Actor) -> QuerySet:
    """The organisations `user` may file a request for."""
    ids = administered_organisation_ids(user) | affiliated_organisation_ids(user)
    return Organisation.objects.filter(pk__in=ids).order_by("name_key")


def expert_of(user: Actor) -> Expert | None:
    if not _signed_in(user):
        return None
    return Expert.objects.filter(user=user.pk).first()


def is_assigned(user: Actor, request: AssistanceRequest) -> bool:
    if not _signed_in(user):
        return False
    return request.experts.filter(user=user.pk).exists()


class NotAssignedError(ValidationError, PermissionDenied):
    """Someone who is not an assigned expert tried an expert's step on a request."""


class AssistanceRequestPolicy(ModelPolicy):
    model = AssistanceRequest

    def require(self, user: Actor, action: str, instance: models.Model | None = None) -> None:
        try:
            super().require(user, action, instance)
        except PermissionDenied as exc:
            if action == "work" and instance is not None:
                raise NotAssignedError(
                    _("Only an expert assigned to request #%(number)s may do this.")
                    % {"number": instance.pk},
                    code="not_assigned",
                ) from exc
            raise

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if action in ("manage", "report", "delete", "change"):
            return is_secretariat(user)
        return _signed_in(user)  # list, view, add, work, rate: narrowed per record

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
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

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        requests = AssistanceRequest.objects.all()
        if not _signed_in(user):
            return requests.none()
        if action == "work":
            return requests.filter(experts__user=user.pk).distinct()
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
