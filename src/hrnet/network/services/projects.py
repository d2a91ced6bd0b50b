"""Writes of projects and partners: the secretariat's writes, audited, of partners,
projects, commitments and the links of their outputs (an event, a library resource or a
technical-assistance request, once per commitment).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.assistance.models import AssistanceRequest
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.types import Actor
from hrnet.events.models import Event
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.network.audit import Action
from hrnet.network.models import Commitment, CommitmentOutput, Partner, Project
from hrnet.network.pictures import picture_check, picture_store
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

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


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
    extension = picture_check(
        picture=partner.logo,
        upload=logo,
        clear=logo_clear,
        alt=partner.logo_alt,
        field="logo",
        max_bytes=LOGO_MAX_BYTES,
        max_pixels=LOGO_MAX_PIXELS,
        alt_missing=_(
            "Describe the logo for people who cannot see it: the description is required "
            "when there is a logo."
        ),
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    picture_store(picture=partner.logo, upload=logo, extension=extension)
    partner.save()


@transaction.atomic
def partner_create(
    *,
    actor: Actor,
    names: dict[str, str],
    kind: str = Partner.Kind.OTHER,
    url: str = "",
    logo: UploadedFile | None = None,
    logo_alt: str = "",
    position: int = 0,
    request: HttpRequest | None = None,
) -> Partner:
    partner_policy.require(actor, "add")
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
    log_action(
        actor=actor, action=Action.PARTNER_CREATE, obj=partner, changes=changes, request=request
    )
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    actor: Actor,
    names: dict[str, str],
    kind: str,
    url: str = "",
    logo: UploadedFile | None = None,
    logo_clear: bool = False,
    logo_alt: str = "",
    position: int = 0,
    request: HttpRequest | None = None,
) -> Partner:
    partner_policy.require(actor, "change", partner)
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
            actor=actor, action=Action.PARTNER_CHANGE, obj=partner, changes=changes, request=request
        )
    return partner


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
    actor: Actor,
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
    project_policy.require(actor, "add")
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
    log_action(
        actor=actor, action=Action.PROJECT_CREATE, obj=project, changes=changes, request=request
    )
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    actor: Actor,
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
    project_policy.require(actor, "change", project)
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
            actor=actor, action=Action.PROJECT_CHANGE, obj=project, changes=changes, request=request
        )
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
    actor: Actor,
    project: Project,
    kind: str,
    descriptions: dict[str, str] | None = None,
    target: int | None = None,
    position: int | None = None,
    request: HttpRequest | None = None,
) -> Commitment:
    commitment_policy.require(actor, "add")
    project_policy.require(actor, "change", project)
    if position is None:
        position = project.commitments.count()
    commitment = Commitment(project=project)
    _commitment_write(
        commitment, kind=kind, descriptions=descriptions or {}, target=target, position=position
    )
    changes = changed_fields({}, _commitment_snapshot(commitment))
    log_action(
        actor=actor,
        action=Action.COMMITMENT_CREATE,
        obj=commitment,
        changes=changes,
        request=request,
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    actor: Actor,
    kind: str,
    descriptions: dict[str, str] | None = None,
    target: int | None = None,
    position: int = 0,
    request: HttpRequest | None = None,
) -> Commitment:
    commitment_policy.require(actor, "change", commitment)
    before = _commitment_snapshot(commitment)
    _commitment_write(
        commitment, kind=kind, descriptions=descriptions or {}, target=target, position=position
    )
    changes = changed_fields(before, _commitment_snapshot(commitment))
    if changes:
        log_action(
            actor=actor,
            action=Action.COMMITMENT_CHANGE,
            obj=commitment,
            changes=changes,
            request=request,
        )
    return commitment


# Outputs


@transaction.atomic
def commitment_output_link(
    *,
    actor: Actor,
    commitment: Commitment,
    event: Event | None = None,
    resource: Resource | None = None,
    assistance_request: AssistanceRequest | None = None,
    request: HttpRequest | None = None,
) -> CommitmentOutput:
    """Link one record of another module to `commitment` as its output; a record is linked
    at most once per commitment."""
    commitment_output_policy.require(actor, "add")
    commitment_policy.require(actor, "change", commitment)
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
        action=Action.COMMITMENT_OUTPUT_LINK,
        obj=commitment,
        changes={"output": {"old": None, "new": _output_label(output)}},
        request=request,
    )
    return output


@transaction.atomic
def commitment_output_unlink(
    *, actor: Actor, output: CommitmentOutput, request: HttpRequest | None = None
) -> None:
    commitment_output_policy.require(actor, "delete", output)
    commitment = output.commitment
    label = _output_label(output)
    output.delete()
    log_action(
        actor=actor,
        action=Action.COMMITMENT_OUTPUT_UNLINK,
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
