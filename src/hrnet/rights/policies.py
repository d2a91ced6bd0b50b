"""Who may see and handle a human-rights case. Need-to-know and default deny.

- A documenter (a user in the group DOCUMENTER, with a current affiliation to an
  organisation) reads, records and changes the cases of their organisation(s), shares
  them with a named secretariat reviewer and exports them.
- A secretariat reviewer reads the cases shared with them (CaseShare), and only those.
  Public-intake cases without an organisation are the secretariat's: a reviewer they are
  shared with may also review (change) them. Other secretariat staff see no case.
- An administrator (a superuser; no custom permission exists yet) sees no case either,
  until they break the glass on one case with a reason (`services.cases.case_break_glass`):
  that gives read access to that case for 24 hours, notifies the organisation and is
  audited.
  During it, they may share an intake case (no organisation) with a reviewer.
- An intake reviewer (secretariat staff a superuser named, in both groups SECRETARIAT and
  INTAKE_REVIEWER) reads the public reports sent to the secretariat that wait for someone
  (`waiting_intake`: no organisation, not closed, shared with nobody), and assigns them to
  a member organisation's documenters or shares them with named reviewers. Once a report
  is assigned or shared, it leaves their sight (unless it was shared with them); they never
  see an organisation's case.
- Members, other roles and anonymous visitors see nothing. Being a superuser does not make
  someone a documenter: the DOCUMENTER group is checked itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.accounts.roles import Role, user_has_role, user_roles
from hrnet.core.policies import ModelPolicy
from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.rights.models import BreakGlass, Case, CaseShare

ACTIONS = frozenset({"list", "view", "add", "change", "share", "assign", "export", "break_glass"})
BREAK_GLASS_HOURS = 24


def _authenticated(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def documenter_organisation_ids(user: Actor) -> set[int]:
    """Organisations whose cases `user` documents: those of their current affiliations,
    when they are in the DOCUMENTER group (explicitly; superusers are not documenters)."""
    if not _authenticated(user) or Role.DOCUMENTER not in user_roles(user):
        return set()
    today = timezone.localdate()
    return set(
        Organisation.objects.filter(
            Q(affiliations__start_date__isnull=True) | Q(affiliations__start_date__lte=today),
            Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=today),
            affiliations__person__user=user,
        ).values_list("pk", flat=True)
    )


def is_documenter_of(user: Actor, organisation: Organisation | int | None) -> bool:
    if organisation is None:
        return False
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return pk in documenter_organisation_ids(user)


def is_reviewer(user: Actor) -> bool:
    """Secretariat staff, to whom a documenter may share a case by name."""
    return _authenticated(user) and user_has_role(user, Role.SECRETARIAT)


def is_intake_reviewer(user: Actor) -> bool:
    """Named by a superuser to review public reports: the groups themselves count (a
    superuser outside them is no intake reviewer, as for documenters)."""
    if not _authenticated(user):
        return False
    roles = user_roles(user)
    return Role.INTAKE_REVIEWER in roles and Role.SECRETARIAT in roles


def waiting_intake() -> Q:
    """Public reports sent to the secretariat that nobody has yet: no organisation, not
    closed, shared with no reviewer."""
    return (
        Q(source=Case.Source.PUBLIC_INTAKE, organisation__isnull=True)
        & ~Q(status=Case.Status.CLOSED)
        & ~Q(pk__in=CaseShare.objects.values("case_id"))
    )


def may_break_glass(user: Actor) -> bool:
    return _authenticated(user) and bool(user.is_superuser)


def shared_case_ids(user: Actor) -> QuerySet:
    if not is_reviewer(user):
        return CaseShare.objects.none().values("case_id")
    return CaseShare.objects.filter(reviewer=user.pk).values("case_id")


def break_glass_case_ids(user: Actor) -> QuerySet:
    """Cases `user` holds a current break-glass access to."""
    if not may_break_glass(user):
        return BreakGlass.objects.none().values("case_id")
    return BreakGlass.objects.filter(user=user.pk, expires_at__gt=timezone.now()).values("case_id")


def case_queryset_for(user: Actor) -> QuerySet:
    """The cases `user` may read."""
    return case_policy.instances_user_has_permission_for(user, "view")


class CasePolicy(ModelPolicy):
    model = Case

    def user_has_permission(self, user: Actor, action: str) -> bool:
        if not _authenticated(user) or action not in ACTIONS:
            return False
        documents = bool(documenter_organisation_ids(user))
        if action in {"add", "export"}:
            return documents
        if action == "assign":
            return is_intake_reviewer(user)
        if action == "break_glass":
            return may_break_glass(user)
        # list, view, change, share: documenters; reviewers for what is shared with them
        # (intake reviewers also for the reports waiting); administrators for what they
        # broke the glass on.
        return documents or is_reviewer(user) or may_break_glass(user)

    def user_has_permission_for_instance(self, user: Actor, action: str, instance: Any) -> bool:
        if not _authenticated(user) or action not in ACTIONS:
            return False
        if action == "break_glass":
            return may_break_glass(user)
        if action == "add":
            return is_documenter_of(user, instance.organisation_id)
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user: Actor, action: str) -> QuerySet:
        if not _authenticated(user) or action not in ACTIONS:
            return Case.objects.none()
        own = Q(organisation_id__in=documenter_organisation_ids(user))
        shared = Q(pk__in=shared_case_ids(user))
        opened = Q(pk__in=break_glass_case_ids(user))
        # Q(pk__in=[]) matches nothing: the queue is an intake reviewer's only.
        waiting = waiting_intake() if is_intake_reviewer(user) else Q(pk__in=[])
        if action in {"list", "view"}:
            condition = own | shared | opened | waiting
        elif action == "change":
            # Reviewers review the intake cases shared with them; documenters the rest.
            condition = own | (shared & Q(organisation__isnull=True))
        elif action == "share":
            condition = own | (opened & Q(organisation__isnull=True)) | waiting
        elif action == "assign":
            condition = waiting
        elif action == "export":
            condition = own
        elif action == "break_glass":
            return Case.objects.all() if may_break_glass(user) else Case.objects.none()
        else:  # add: no existing instance to act on
            return Case.objects.none()
        return Case.objects.filter(condition)


case_policy = CasePolicy()
