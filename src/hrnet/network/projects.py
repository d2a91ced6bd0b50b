"""Projects and partners: services (the secretariat's writes, audited) and selectors (reads
for the acting user) of partners, projects, commitments and their outputs.

An output is an event, a library resource or a technical-assistance request linked to a
commitment, once per commitment. A commitment's progress counts every linked record that
is not in the trash; the page lists only those the viewer may see through each module's
own policy, and assistance requests appear to others only as a count.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.policies import request_policy
from hrnet.core import images
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.i18n import localized
from hrnet.core.policies import ModelPolicy
from hrnet.events.models import Event
from hrnet.events.policies import event_policy
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.library.policies import resource_policy
from hrnet.network.models import Commitment, CommitmentOutput, Partner, Project
from hrnet.network.policies import (
    commitment_output_policy,
    commitment_policy,
    partner_policy,
    project_policy,
)

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
# Addresses under /projects/ that a project's slug must not take.
RESERVED_SLUGS = frozenset({"new", "partners"})
OUTPUT_KINDS = ("event", "resource", "assistance_request")
CANDIDATES_LIMIT = 20

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _require(actor: Any, policy: ModelPolicy, action: str, instance: Any = None) -> None:
    allowed = (
        policy.user_has_permission(actor, action)
        if instance is None
        else policy.user_has_permission_for_instance(actor, action, instance)
    )
    if not allowed:
        raise PermissionDenied


def _texts(values: dict[str, str] | None, *, multiline: bool = False) -> dict[str, str]:
    """Per-language texts with blank languages dropped; one-line texts lose extra spaces."""
    cleaned: dict[str, str] = {}
    for code, text in (values or {}).items():
        if code not in LANGUAGE_CODES:
            continue
        text = (text or "").strip() if multiline else " ".join((text or "").split())
        if text:
            cleaned[code] = text
    return cleaned


def _url_check(url: str, errors: dict[str, list[str]]) -> str:
    url = url.strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors.setdefault("url", []).append(
            _("“%(value)s” is not a web address; give one starting with https://.") % {"value": url}
        )
    return url


# Partners


def _partner_snapshot(partner: Partner) -> dict[str, Any]:
    return {
        "names": dict(partner.names),
        "kind": partner.kind,
        "url": partner.url,
        "logo": partner.logo.name or "",
        "logo_alt": partner.logo_alt,
        "position": partner.position,
    }


def _partner_write(
    partner: Partner,
    *,
    names: dict[str, str],
    kind: str,
    url: str,
    logo: UploadedFile | None,
    logo_clear: bool,
    logo_alt: str,
    position: int,
) -> None:
    errors: dict[str, list[str]] = {}
    partner.names = _texts(names)
    if not partner.names:
        errors["names"] = [_("Give the partner a name in at least one language.")]
    if kind not in Partner.Kind.values:
        errors["kind"] = [_("“%(value)s” is not a kind of partner.") % {"value": kind}]
    partner.kind = kind
    partner.url = _url_check(url, errors)
    partner.logo_alt = " ".join(logo_alt.split())
    partner.position = position
    extension = ""
    if logo is not None:
        try:
            extension = images.image_check(
                logo, field="logo", max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS
            )
        except ValidationError as exc:
            errors.setdefault("logo", []).extend(exc.message_dict["logo"])
    elif logo_clear:
        # The old file stays in storage: the audit log names it.
        partner.logo.name = ""
    has_logo = logo is not None or bool(partner.logo)
    if has_logo and not partner.logo_alt:
        errors["logo_alt"] = [
            _(
                "Describe the logo for people who cannot see it: the description is required "
                "when there is a logo."
            )
        ]
    if errors:
        raise ValidationError(errors)
    # The file is stored only once everything else is valid, so a refused form leaves none.
    if logo is not None:
        partner.logo.save(f"{uuid.uuid4().hex}.{extension}", logo, save=False)
    partner.save()


@transaction.atomic
def partner_create(
    *,
    actor: Any,
    names: dict[str, str],
    kind: str = Partner.Kind.OTHER,
    url: str = "",
    logo: UploadedFile | None = None,
    logo_alt: str = "",
    position: int = 0,
    request: HttpRequest | None = None,
) -> Partner:
    _require(actor, partner_policy, "add")
    partner = Partner()
    _partner_write(
        partner,
        names=names,
        kind=kind,
        url=url,
        logo=logo,
        logo_clear=False,
        logo_alt=logo_alt,
        position=position,
    )
    changes = changed_fields({}, _partner_snapshot(partner))
    log_action(actor=actor, action="partner.create", obj=partner, changes=changes, request=request)
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    actor: Any,
    names: dict[str, str],
    kind: str,
    url: str = "",
    logo: UploadedFile | None = None,
    logo_clear: bool = False,
    logo_alt: str = "",
    position: int = 0,
    request: HttpRequest | None = None,
) -> Partner:
    _require(actor, partner_policy, "change", partner)
    before = _partner_snapshot(partner)
    _partner_write(
        partner,
        names=names,
        kind=kind,
        url=url,
        logo=logo,
        logo_clear=logo_clear,
        logo_alt=logo_alt,
        position=position,
    )
    changes = changed_fields(before, _partner_snapshot(partner))
    if changes:
        log_action(
            actor=actor, action="partner.change", obj=partner, changes=changes, request=request
        )
    return partner


def partner_list(*, user: Any) -> QuerySet[Partner]:
    return partner_policy.instances_user_has_permission_for(user, "list").order_by("position", "pk")


# Projects


def _project_snapshot(project: Project) -> dict[str, Any]:
    return {
        "slug": project.slug,
        "names": dict(project.names),
        "summaries": dict(project.summaries),
        "objectives": dict(project.objectives),
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "is_published": project.is_published,
    }


def _project_relations(project: Project) -> dict[str, list[Any]]:
    return {
        "donors": sorted(project.donors.values_list("pk", flat=True)),
        "partners": sorted(project.partners.values_list("pk", flat=True)),
        "countries": sorted(project.countries.values_list("iso2", flat=True)),
    }


def _project_write(
    project: Project,
    *,
    slug: str,
    names: dict[str, str],
    summaries: dict[str, str],
    objectives: dict[str, str],
    donors: Iterable[Partner],
    partners: Iterable[Partner],
    countries: Iterable[Country],
    start_date: date | None,
    end_date: date | None,
    is_published: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    project.names = _texts(names)
    if not project.names:
        errors["names"] = [_("Give the project a name in at least one language.")]
    project.summaries = _texts(summaries, multiline=True)
    project.objectives = _texts(objectives, multiline=True)
    slug = slug.strip().lower()
    project.slug = slug
    if not slug:
        errors["slug"] = [_("Give the project an address.")]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [
            _("The address “%(value)s” is reserved; choose another.") % {"value": slug}
        ]
    elif Project.objects.filter(slug=slug).exclude(pk=project.pk).exists():
        errors["slug"] = [
            _("Another project already has the address “%(value)s”.") % {"value": slug}
        ]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [
            _("The project cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": end_date.isoformat(), "start": start_date.isoformat()}
        ]
    project.start_date = start_date
    project.end_date = end_date
    project.is_published = is_published
    try:
        project.full_clean(exclude=["slug", "names"], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    project.save()
    project.donors.set(list(donors))
    project.partners.set(list(partners))
    project.countries.set(list(countries))


@transaction.atomic
def project_create(
    *,
    actor: Any,
    slug: str,
    names: dict[str, str],
    summaries: dict[str, str] | None = None,
    objectives: dict[str, str] | None = None,
    donors: Iterable[Partner] = (),
    partners: Iterable[Partner] = (),
    countries: Iterable[Country] = (),
    start_date: date | None = None,
    end_date: date | None = None,
    is_published: bool = False,
    request: HttpRequest | None = None,
) -> Project:
    _require(actor, project_policy, "add")
    project = Project()
    _project_write(
        project,
        slug=slug,
        names=names,
        summaries=summaries or {},
        objectives=objectives or {},
        donors=donors,
        partners=partners,
        countries=countries,
        start_date=start_date,
        end_date=end_date,
        is_published=is_published,
    )
    changes = changed_fields({}, {**_project_snapshot(project), **_project_relations(project)})
    log_action(actor=actor, action="project.create", obj=project, changes=changes, request=request)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    actor: Any,
    slug: str,
    names: dict[str, str],
    summaries: dict[str, str] | None = None,
    objectives: dict[str, str] | None = None,
    donors: Iterable[Partner] = (),
    partners: Iterable[Partner] = (),
    countries: Iterable[Country] = (),
    start_date: date | None = None,
    end_date: date | None = None,
    is_published: bool = False,
    request: HttpRequest | None = None,
) -> Project:
    _require(actor, project_policy, "change", project)
    before = {**_project_snapshot(project), **_project_relations(project)}
    _project_write(
        project,
        slug=slug,
        names=names,
        summaries=summaries or {},
        objectives=objectives or {},
        donors=donors,
        partners=partners,
        countries=countries,
        start_date=start_date,
        end_date=end_date,
        is_published=is_published,
    )
    changes = changed_fields(before, {**_project_snapshot(project), **_project_relations(project)})
    if changes:
        log_action(
            actor=actor, action="project.change", obj=project, changes=changes, request=request
        )
    return project


def project_list(*, user: Any) -> QuerySet[Project]:
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


def project_get(*, user: Any, slug: str) -> Project:
    """The project at `slug` if `user` may see it; Project.DoesNotExist otherwise (a hidden
    project and a missing one look the same)."""
    return project_list(user=user).get(slug=slug)


def project_for_change(*, user: Any, slug: str) -> Project:
    project = Project.objects.get(slug=slug)
    _require(user, project_policy, "change", project)
    return project


# Commitments


def _commitment_snapshot(commitment: Commitment) -> dict[str, Any]:
    return {
        "kind": commitment.kind,
        "descriptions": dict(commitment.descriptions),
        "target": commitment.target,
        "position": commitment.position,
    }


def _commitment_write(
    commitment: Commitment,
    *,
    kind: str,
    descriptions: dict[str, str],
    target: int | None,
    position: int,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in Commitment.Kind.values:
        errors["kind"] = [_("“%(value)s” is not a kind of commitment.") % {"value": kind}]
    if target is not None and target < 1:
        errors["target"] = [
            _(
                "The target must be a number of at least 1 (not %(value)s); leave it empty "
                "if there is none."
            )
            % {"value": target}
        ]
    if errors:
        raise ValidationError(errors)
    commitment.kind = kind
    commitment.descriptions = _texts(descriptions, multiline=True)
    commitment.target = target
    commitment.position = position
    commitment.save()


@transaction.atomic
def commitment_create(
    *,
    actor: Any,
    project: Project,
    kind: str,
    descriptions: dict[str, str] | None = None,
    target: int | None = None,
    position: int | None = None,
    request: HttpRequest | None = None,
) -> Commitment:
    _require(actor, commitment_policy, "add")
    _require(actor, project_policy, "change", project)
    if position is None:
        position = project.commitments.count()
    commitment = Commitment(project=project)
    _commitment_write(
        commitment, kind=kind, descriptions=descriptions or {}, target=target, position=position
    )
    changes = changed_fields({}, _commitment_snapshot(commitment))
    log_action(
        actor=actor, action="commitment.create", obj=commitment, changes=changes, request=request
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    actor: Any,
    kind: str,
    descriptions: dict[str, str] | None = None,
    target: int | None = None,
    position: int = 0,
    request: HttpRequest | None = None,
) -> Commitment:
    _require(actor, commitment_policy, "change", commitment)
    before = _commitment_snapshot(commitment)
    _commitment_write(
        commitment, kind=kind, descriptions=descriptions or {}, target=target, position=position
    )
    changes = changed_fields(before, _commitment_snapshot(commitment))
    if changes:
        log_action(
            actor=actor,
            action="commitment.change",
            obj=commitment,
            changes=changes,
            request=request,
        )
    return commitment


def commitment_for_change(*, user: Any, project: Project, pk: int) -> Commitment:
    commitment = project.commitments.get(pk=pk)
    _require(user, commitment_policy, "change", commitment)
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


@transaction.atomic
def commitment_output_link(
    *,
    actor: Any,
    commitment: Commitment,
    event: Event | None = None,
    resource: Resource | None = None,
    assistance_request: AssistanceRequest | None = None,
    request: HttpRequest | None = None,
) -> CommitmentOutput:
    """Link one record of another module to `commitment` as its output; a record is linked
    at most once per commitment."""
    _require(actor, commitment_output_policy, "add")
    _require(actor, commitment_policy, "change", commitment)
    given = [record for record in (event, resource, assistance_request) if record is not None]
    if len(given) != 1:
        raise ValidationError(
            {"record": [_("Choose one event, resource or assistance request to link.")]}
        )
    # Two secretaries linking the same record at once: the second waits and is refused.
    Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
    if (event is not None and event.deleted_at is not None) or (
        resource is not None and resource.deleted_at is not None
    ):
        raise ValidationError(
            {"record": [_("“%(record)s” is in the trash.") % {"record": given[0]}]}
        )
    existing = commitment.outputs.filter(
        event=event, resource=resource, assistance_request=assistance_request
    )
    if existing.exists():
        raise ValidationError(
            {
                "record": [
                    _("“%(record)s” is already an output of this commitment.")
                    % {"record": given[0]}
                ]
            }
        )
    output = CommitmentOutput.objects.create(
        commitment=commitment, event=event, resource=resource, assistance_request=assistance_request
    )
    log_action(
        actor=actor,
        action="commitment.output_link",
        obj=commitment,
        changes={"output": {"old": None, "new": _output_label(output)}},
        request=request,
    )
    return output


@transaction.atomic
def commitment_output_unlink(
    *, actor: Any, output: CommitmentOutput, request: HttpRequest | None = None
) -> None:
    _require(actor, commitment_output_policy, "delete", output)
    commitment = output.commitment
    label = _output_label(output)
    output.delete()
    log_action(
        actor=actor,
        action="commitment.output_unlink",
        obj=commitment,
        changes={"output": {"old": label, "new": None}},
        request=request,
    )


def _output_label(output: CommitmentOutput) -> str:
    if output.event_id:
        return f"event {output.event_id}"
    if output.resource_id:
        return f"resource {output.resource_id}"
    return f"assistance_request {output.assistance_request_id}"


def output_record_get(*, user: Any, kind: str, pk: int) -> Event | Resource | AssistanceRequest:
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


def output_candidates(*, user: Any, kind: str, query: str) -> list[Any]:
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


def output_get(*, user: Any, project: Project, pk: int) -> CommitmentOutput:
    output = CommitmentOutput.objects.select_related("commitment").get(
        pk=pk, commitment__project=project
    )
    _require(user, commitment_output_policy, "delete", output)
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


def commitment_progress(*, user: Any, project: Project) -> list[CommitmentProgress]:
    """The project's commitments in order, each with its progress as `user` may see it."""
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
        event_policy.instances_user_has_permission_for(user, "view")
        .filter(pk__in=event_ids)
        .values_list("pk", flat=True)
    )
    visible_resources = set(
        resource_policy.instances_user_has_permission_for(user, "view")
        .filter(pk__in=resource_ids)
        .values_list("pk", flat=True)
    )
    visible_requests = set(
        request_policy.instances_user_has_permission_for(user, "view")
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
