"""Reads of the public reports' intake: the reports waiting for a reviewer (the queue of
intake reviewers and the secretariat's start page), the organisations a report can be
given to, and the people who review intake. Side-effect free: the pages that show cases
audit what they show."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.types import Actor
from hrnet.members.models import Organisation
from hrnet.rights.models import Case
from hrnet.rights.policies import is_intake_reviewer, waiting_intake


def intake_waiting(*, user: Actor) -> QuerySet[Case]:
    """Public reports sent to the secretariat that nobody has yet (not assigned to an
    organisation, shared with no reviewer, not closed), oldest first; for intake reviewers
    only, empty for everyone else (superusers included)."""
    if not is_intake_reviewer(user):
        return Case.objects.none()
    return Case.objects.filter(waiting_intake()).order_by("created_at", "pk")


def assignable_organisations() -> list[Organisation]:
    """Organisations a report can be given to: those with at least one documenter today (a
    report given to an organisation without one would wait unseen again), by name."""
    today = timezone.localdate()
    organisations = (
        Organisation.objects.filter(
            Q(affiliations__start_date__isnull=True) | Q(affiliations__start_date__lte=today),
            Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=today),
            affiliations__person__user__is_active=True,
            affiliations__person__user__groups__name=Role.DOCUMENTER,
        )
        .select_related("country")
        .distinct()
    )
    return sorted(organisations, key=lambda o: (o.country.name, o.name, o.pk))


def intake_reviewers() -> QuerySet:
    """The active intake reviewers (members of the secretariat named to it), by email."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.INTAKE_REVIEWER)
        .filter(groups__name=Role.SECRETARIAT)
        .distinct()
        .order_by("email")
    )


def secretariat_staff() -> QuerySet:
    """The active secretariat staff a superuser may name intake reviewers, by email."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SECRETARIAT)
        .prefetch_related("groups")
        .distinct()
        .order_by("email")
    )
