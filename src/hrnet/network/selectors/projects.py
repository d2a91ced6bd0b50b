"""Reads of projects and partners for the acting user: partners, projects, commitments and
their outputs, and each commitment's progress.

An output is an event, a library resource or a technical-assistance request linked to a
commitment, once per commitment. A commitment's progress counts every linked record that
is not in the trash; the page lists only those the viewer may see through each module's
own policy, and assistance requests appear to others only as a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.policies import request_policy
from hrnet.core.i18n import localized
from hrnet.core.types import Actor
from hrnet.events.models import Event
from hrnet.events.policies import event_policy
from hrnet.library.models import Resource
from hrnet.library.policies import resource_policy
from hrnet.network.models import Commitment, CommitmentOutput, Partner, Project
from hrnet.network.policies import (
    commitment_output_policy,
    commitment_policy,
    partner_policy,
    project_policy,
)

OUTPUT_KINDS = ("event", "resource", "assistance_request")
CANDIDATES_LIMIT = 20

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


# Partners


def partner_list(*, user: Actor) -> QuerySet[Partner]:
    return partner_policy.instances_user_has_permission_for(user, "list").order_by("position", "pk")


# Projects


def project_list(*, user: Actor) -> QuerySet[Project]:
    """The projects `user` may see (published ones; the secretariat sees drafts too), with
    what a listing shows prefetched."""
    return (
        project_policy.instances_user_has_permission_for(user, "list")
        .prefetch_related(
            "donors",
            "partners",
            "countries",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.annotate(
                    outputs_count=Count("outputs", filter=_live_outputs_q("outputs__"))
                ).order_by("position", "pk"),
            ),
        )
        .order_by("-start_date", "slug")
    )


def project_get(*, user: Actor, slug: str) -> Project:
    """The project at `slug` if `user` may see it; Project.DoesNotExist otherwise (a hidden
    project and a missing one look the same)."""
    return project_list(user=user).get(slug=slug)


def project_for_change(*, user: Actor, slug: str) -> Project:
    project = Project.objects.get(slug=slug)
    project_policy.require(user, "change", project)
    return project


# Commitments


def commitment_for_change(*, user: Actor, project: Project, pk: int) -> Commitment:
    commitment = project.commitments.get(pk=pk)
    commitment_policy.require(user, "change", commitment)
    return commitment


# Outputs


def _live_outputs_q(prefix: str = "") -> Q:
    """Outputs whose linked record is not in the trash (assistance requests have none)."""
    return (
        Q(**{f"{prefix}event__isnull": False, f"{prefix}event__deleted_at__isnull": True})
        | Q(**{f"{prefix}resource__isnull": False, f"{prefix}resource__deleted_at__isnull": True})
        | Q(**{f"{prefix}assistance_request__isnull": False})
    )


def _output_record(output: CommitmentOutput) -> Event | Resource | AssistanceRequest:
    record = output.event or output.resource or output.assistance_request
    if record is None:  # the check constraint keeps exactly one set
        raise ValueError(output.pk)
    return record


def output_record_get(*, user: Actor, kind: str, pk: int) -> Event | Resource | AssistanceRequest:
    """The record of `kind` with `pk` if `user` may see it; a ValidationError naming the
    `record` field otherwise."""
    records: QuerySet[Any]
    if kind == "event":
        records = event_policy.instances_user_has_permission_for(user, "view")
    elif kind == "resource":
        records = resource_policy.instances_user_has_permission_for(user, "view")
    elif kind == "assistance_request":
        records = request_policy.instances_user_has_permission_for(user, "view")
    else:
        raise ValidationError(
            {"kind": [_("“%(value)s” is not a kind of output.") % {"value": kind}]}
        )
    record = records.filter(pk=pk).first()
    if record is None:
        raise ValidationError(
            {"record": [_("There is no record number %(number)s of that kind.") % {"number": pk}]}
        )
    return record


def output_candidates(*, user: Actor, kind: str, query: str) -> list[Any]:
    """Records of `kind` whose title contains `query` (any language), newest first, for the
    secretariat's link form."""
    query = " ".join(query.split())
    if not query:
        return []
    if kind == "event":
        titles = Q()
        for code in LANGUAGE_CODES:
            titles |= Q(**{f"titles__{code}__icontains": query})
        return list(
            event_policy.instances_user_has_permission_for(user, "view")
            .filter(titles)
            .order_by("-starts_at")[:CANDIDATES_LIMIT]
        )
    if kind == "resource":
        return list(
            resource_policy.instances_user_has_permission_for(user, "view")
            .filter(title__icontains=query)
            .order_by("-publication_date", "-pk")[:CANDIDATES_LIMIT]
        )
    if kind == "assistance_request":
        return list(
            request_policy.instances_user_has_permission_for(user, "view")
            .filter(title__icontains=query)
            .order_by("-pk")[:CANDIDATES_LIMIT]
        )
    return []


def output_get(*, user: Actor, project: Project, pk: int) -> CommitmentOutput:
    output = CommitmentOutput.objects.select_related("commitment").get(
        pk=pk, commitment__project=project
    )
    commitment_output_policy.require(user, "delete", output)
    return output


@dataclass
class CommitmentProgress:
    """What a viewer sees of one commitment: the count of its outputs against the target,
    the events and resources they may open, and assistance requests (titles only for
    those who may see the request; the others see the count)."""

    commitment: Commitment
    count: int
    events: list[Event] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    assistance_requests: list[AssistanceRequest] = field(default_factory=list)
    assistance_count: int = 0
    not_listed: int = 0
    outputs: list[CommitmentOutput] = field(default_factory=list)

    @property
    def target(self) -> int | None:
        return self.commitment.target

    @property
    def description(self) -> str:
        return self.commitment.description

    @property
    def percent(self) -> int:
        if not self.commitment.target:
            return 0
        return min(100, round(100 * self.count / self.commitment.target))


def commitment_progress(*, user: Actor | None, project: Project) -> list[CommitmentProgress]:
    """The project's commitments in order, each with its progress as `user` may see it (no
    user: an anonymous visitor)."""
    viewer = user or AnonymousUser()
    outputs_by_commitment: dict[int, list[CommitmentOutput]] = {}
    commitments = list(project.commitments.order_by("position", "pk"))
    outputs = list(
        CommitmentOutput.objects.filter(commitment__project=project)
        .filter(_live_outputs_q())
        .select_related("event", "resource", "assistance_request")
        .order_by("pk")
    )
    for output in outputs:
        outputs_by_commitment.setdefault(output.commitment_id, []).append(output)
    event_ids = {o.event_id for o in outputs if o.event_id}
    resource_ids = {o.resource_id for o in outputs if o.resource_id}
    request_ids = {o.assistance_request_id for o in outputs if o.assistance_request_id}
    visible_events = set(
        event_policy.instances_user_has_permission_for(viewer, "view")
        .filter(pk__in=event_ids)
        .values_list("pk", flat=True)
    )
    visible_resources = set(
        resource_policy.instances_user_has_permission_for(viewer, "view")
        .filter(pk__in=resource_ids)
        .values_list("pk", flat=True)
    )
    visible_requests = set(
        request_policy.instances_user_has_permission_for(viewer, "view")
        .filter(pk__in=request_ids)
        .values_list("pk", flat=True)
    )
    progress = []
    for commitment in commitments:
        mine = outputs_by_commitment.get(commitment.pk, [])
        item = CommitmentProgress(commitment=commitment, count=len(mine), outputs=mine)
        for output in mine:
            if output.event_id:
                if output.event_id in visible_events:
                    item.events.append(_output_record(output))  # type: ignore[arg-type]
                else:
                    item.not_listed += 1
            elif output.resource_id:
                if output.resource_id in visible_resources:
                    item.resources.append(_output_record(output))  # type: ignore[arg-type]
                else:
                    item.not_listed += 1
            else:
                item.assistance_count += 1
                if output.assistance_request_id in visible_requests:
                    item.assistance_requests.append(_output_record(output))  # type: ignore[arg-type]
        item.events.sort(key=lambda e: e.starts_at)
        progress.append(item)
    return progress


def output_title(record: Event | Resource | AssistanceRequest) -> str:
    if isinstance(record, Event):
        return localized(record.titles)
    return record.title
