"""Services of the public reports' intake: an intake reviewer gives a waiting report to a
member organisation's documenters or shares it with a named reviewer; a superuser names
(or stops naming) intake reviewers among the secretariat's staff. Each locks and re-checks
what it changes and leaves an audit entry naming the case by its reference only."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.rights.audit import Action
from hrnet.rights.models import Case, CaseShare
from hrnet.rights.policies import case_policy
from hrnet.rights.selectors.intake import assignable_organisations
from hrnet.rights.services.cases import case_share


@transaction.atomic
def case_intake_assign(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> Case:
    """Give the waiting public report `case` to `organisation`, whose documenters then
    have it (and the intake reviewer no longer sees it). Refused once someone else took
    it: the check is made again under the row's lock."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case_policy.user_has_permission_for_instance(actor, "assign", case):
        raise PermissionDenied
    if organisation.pk not in {o.pk for o in assignable_organisations()}:
        raise ValidationError(
            {
                "organisation": [
                    _("%(name)s has no documenter of rights cases to give the report to.")
                    % {"name": organisation.name}
                ]
            }
        )
    case.organisation = organisation
    case.save(update_fields=["organisation", "updated_at"])
    log_action(
        actor=actor,
        action=Action.CASE_ASSIGN,
        obj=case,
        changes={"organisation": organisation.pk},
        request=request,
    )
    return case


@transaction.atomic
def case_intake_share(
    *, actor: Actor, case: Case, reviewer: User, request: HttpRequest | None = None
) -> CaseShare:
    """Share the waiting public report `case` with a named reviewer of the secretariat
    (the intake reviewer themselves included), through `case_share`, under the row's lock
    so that two reviewers cannot both take it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case_policy.user_has_permission_for_instance(actor, "assign", case):
        raise PermissionDenied
    return case_share(actor=actor, case=case, reviewer=reviewer, request=request)


def _require_superuser(actor: Actor) -> None:
    if not (
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "is_superuser", False)
    ):
        raise PermissionDenied


@transaction.atomic
def intake_reviewer_add(*, actor: Actor, user: User, request: HttpRequest | None = None) -> bool:
    """Name `user`, a member of the secretariat, an intake reviewer (superusers only).
    True if they were not one already."""
    _require_superuser(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    roles = set(user.groups.values_list("name", flat=True))
    if not user.is_active or Role.SECRETARIAT not in roles:
        raise ValidationError(
            {"user": [_("%(email)s is not on the secretariat's staff.") % {"email": user.email}]}
        )
    if Role.INTAKE_REVIEWER in roles:
        return False
    user.groups.add(Group.objects.get_or_create(name=Role.INTAKE_REVIEWER)[0])
    log_action(actor=actor, action=Action.INTAKE_REVIEWER_ADD, obj=user, request=request)
    return True


@transaction.atomic
def intake_reviewer_revoke(*, actor: Actor, user: User, request: HttpRequest | None = None) -> bool:
    """Stop `user` being an intake reviewer (superusers only). The reports shared with
    them stay shared. True if they were one."""
    _require_superuser(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if Role.INTAKE_REVIEWER not in set(user.groups.values_list("name", flat=True)):
        return False
    user.groups.remove(*Group.objects.filter(name=Role.INTAKE_REVIEWER))
    log_action(actor=actor, action=Action.INTAKE_REVIEWER_REVOKE, obj=user, request=request)
    return True
