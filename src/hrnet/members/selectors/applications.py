"""Reads of applications to join and of the principles' versions: the secretariat's review
queue, one application with its votes and history, and the applicant's own view."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from hrnet.core.models import AuditEntry, IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Application, PrinciplesVersion, Vote
from hrnet.members.policies import application_policy
from hrnet.members.selectors.register import duplicates_find

OPEN = "open"  # the queue's default status filter: every status still waiting for a decision


def principles_version_list() -> QuerySet[PrinciplesVersion]:
    """Every version, newest first, with who published it."""
    return PrinciplesVersion.objects.select_related("created_by").order_by("-number")


def principles_version_get(*, number: int) -> PrinciplesVersion:
    """A published version by its number; raises PrinciplesVersion.DoesNotExist."""
    return PrinciplesVersion.objects.get(number=number, published_at__isnull=False)


def issue_area_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of every issue area, for checkboxes."""
    return [(area.code, area.name) for area in IssueArea.objects.all()]


def country_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The network's countries grouped by sub-region, as (sub-region, [(iso2, name)])."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for country in Country.objects.select_related("subregion"):
        groups.setdefault(country.subregion.name, []).append((country.iso2, country.name))
    return list(groups.items())


def application_queue(
    *,
    user: Actor,
    kind: str = "",
    country: str = "",
    status: str = OPEN,
    awaiting_my_vote: bool = False,
) -> QuerySet[Application]:
    """The applications `user` may review, oldest first, filtered.

    `status` is one status, "open" (the default: submitted, information requested, in a
    vote) or "" for every status; `country` is an ISO2 code. `awaiting_my_vote` keeps only
    the applications in a committee vote that `user` may vote on and has not voted on yet
    (whatever `status` says).
    """
    applications = application_policy.instances_user_has_permission_for(user, "list")
    if awaiting_my_vote:
        if not application_policy.user_has_permission(user, "vote"):
            return Application.objects.none()
        applications = applications.filter(status=Application.Status.IN_VOTE).exclude(
            votes__reviewer=user.pk
        )
        status = ""
    if kind:
        applications = applications.filter(kind=kind)
    if country:
        applications = applications.filter(
            Q(organisation__country__iso2__iexact=country)
            | Q(person__country__iso2__iexact=country)
        )
    if status == OPEN:
        applications = applications.filter(status__in=Application.OPEN_STATUSES)
    elif status:
        applications = applications.filter(status=status)
    return (
        applications.select_related("organisation__country", "person__country")
        .annotate(vote_count=Count("votes"))
        .order_by("created_at", "pk")
    )


def application_get(*, user: Actor, pk: int) -> Application:
    """One application `user` may see, with what the detail page shows.

    Raises Application.DoesNotExist when it does not exist or `user` may not see it.
    """
    votes = Vote.objects.select_related("reviewer").order_by("created_at", "pk")
    return (
        application_policy.instances_user_has_permission_for(user, "view")
        .select_related(
            "organisation__country__subregion",
            "person__country__subregion",
            "principles_version",
            "applicant_user",
            "decided_by",
        )
        .prefetch_related(
            "organisation__issue_areas",
            "person__issue_areas",
            Prefetch("votes", queryset=votes),
        )
        .get(pk=pk)
    )


def application_get_by_token(*, token: str) -> Application:
    """The application behind an applicant's secret link; raises Application.DoesNotExist."""
    if not token:
        raise Application.DoesNotExist
    return Application.objects.select_related(
        "organisation__country", "person__country", "principles_version"
    ).get(access_token=token)


def application_list_mine(*, user: Actor) -> QuerySet[Application]:
    """The applications a signed-in person made themselves, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        application_policy.instances_user_has_permission_for(user, "view")
        .filter(applicant_user=user)
        .select_related("organisation", "person")
        .order_by("-created_at", "-pk")
    )


def application_history(*, application: Application) -> QuerySet[AuditEntry]:
    """The audit entries of one application, oldest first (for its reviewers)."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
    ).order_by("created_at", "pk")


def application_duplicates(*, application: Application) -> list[Any]:
    """Records already in the register that are probably the applicant (same email, or
    same normalised name in the same country), for the reviewer to compare and merge."""
    if application.organisation is not None:
        organisation = application.organisation
        return duplicates_find(
            kind="organisation",
            email=organisation.email,
            # The name the register normalises for comparison (Organisation.name_key).
            name=organisation.names.get("en") or organisation.name_original or organisation.name,
            country=organisation.country,
            exclude_pk=organisation.pk,
        )
    if application.person is not None:
        person = application.person
        return duplicates_find(
            kind="person",
            email=person.email,
            name=person.full_name,
            country=person.country,
            exclude_pk=person.pk,
        )
    return []


def vote_tally(*, application: Application) -> dict[str, int]:
    """{"approve": n, "reject": n, "abstain": n, "total": n} for an application."""
    counts = dict.fromkeys(Vote.Choice.values, 0)
    for vote in application.votes.all():
        counts[vote.choice] += 1
    return {**counts, "total": sum(counts.values())}
