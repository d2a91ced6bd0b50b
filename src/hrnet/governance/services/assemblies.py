"""Writes of general assemblies: the meeting (linked to an event for registration and
attendance) and its voter roll, the agenda with documents from the library, resolutions,
the minutes, and the publication of the results.

A resolution is voted through `services.ballots.resolution_vote_cast`; its count is
frozen into `Resolution.result` when the secretariat publishes the assembly's results,
after every resolution has closed. Minutes are adopted at a later assembly: a resolution
that `adopts_minutes_of` an earlier assembly, once adopted and published, adopts them
(`selectors.minutes_adoption` reads it back; nothing else is stored)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.events.models import Event
from hrnet.governance.audit import Action
from hrnet.governance.models import AgendaItem, Assembly, Resolution, Roll
from hrnet.governance.policies import assembly_policy
from hrnet.governance.tally import resolution_count
from hrnet.library.models import Resource


def _texts(values: dict[str, str] | None) -> dict[str, str]:
    """{language: text} without the empty languages."""
    return {code: text.strip() for code, text in (values or {}).items() if text and text.strip()}


def _published_documents(documents: Iterable[Resource]) -> list[Resource]:
    documents = list(documents)
    unpublished = [d.title for d in documents if d.status != Resource.Status.PUBLISHED]
    if unpublished:
        raise ValidationError(
            {
                "documents": _("Only published library resources can be attached: %(titles)s.")
                % {"titles": ", ".join(unpublished)}
            }
        )
    return documents


def _roll_check(roll: Roll, voters: str, cutoff: date) -> None:
    if voters not in Roll.Voters.values:
        raise ValidationError({"voters": _("Choose who votes.")})
    if roll.frozen_at is not None and (roll.voters != voters or roll.cutoff != cutoff):
        raise ValidationError(
            {"voters": _("The voter roll is frozen: who votes and the cut-off date stay.")}
        )


# --- the assembly -----------------------------------------------------------------------


@transaction.atomic
def assembly_create(
    *,
    actor: User,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    date: date,
    event: Event | None = None,
    voters: str = Roll.Voters.ORGANISATIONS,
    cutoff: date | None = None,
    request: HttpRequest | None = None,
) -> Assembly:
    assembly_policy.require(actor, "add")
    titles = _texts(titles)
    if not titles:
        raise ValidationError({"titles": _("Give the assembly a title.")})
    if voters not in Roll.Voters.values:
        raise ValidationError({"voters": _("Choose who votes.")})
    roll = Roll.objects.create(voters=voters, cutoff=cutoff or date)
    assembly = Assembly.objects.create(
        titles=titles,
        descriptions=_texts(descriptions),
        date=date,
        event=event,
        roll=roll,
        created_by=actor,
    )
    log_action(
        actor=actor,
        action=Action.ASSEMBLY_CREATE,
        obj=assembly,
        changes={"date": date, "voters": voters, "cutoff": roll.cutoff},
        request=request,
    )
    return assembly


@transaction.atomic
def assembly_change(
    *,
    actor: User,
    assembly: Assembly,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    date: date,
    event: Event | None = None,
    voters: str,
    cutoff: date,
    minutes: dict[str, str] | None = None,
    minutes_document: Resource | None = None,
    request: HttpRequest | None = None,
) -> Assembly:
    """Change the assembly, its roll (until frozen) and its minutes (text per language, or
    a published library document, or both)."""
    assembly_policy.require(actor, "change", assembly)
    assembly = Assembly.objects.select_for_update().select_related("roll").get(pk=assembly.pk)
    titles = _texts(titles)
    if not titles:
        raise ValidationError({"titles": _("Give the assembly a title.")})
    _roll_check(assembly.roll, voters, cutoff)
    if minutes_document is not None:
        _published_documents([minutes_document])
    before = {
        "titles": assembly.titles,
        "date": assembly.date,
        "event": assembly.event_id,
        "minutes": bool(assembly.minutes),
        "minutes_document": assembly.minutes_document_id,
    }
    assembly.titles = titles
    assembly.descriptions = _texts(descriptions)
    assembly.date = date
    assembly.event = event
    assembly.minutes = _texts(minutes)
    assembly.minutes_document = minutes_document
    assembly.save()
    roll = assembly.roll
    if roll.frozen_at is None and (roll.voters, roll.cutoff) != (voters, cutoff):
        roll.voters, roll.cutoff = voters, cutoff
        roll.save(update_fields=["voters", "cutoff"])
    after = {
        "titles": assembly.titles,
        "date": assembly.date,
        "event": assembly.event_id,
        "minutes": bool(assembly.minutes),
        "minutes_document": assembly.minutes_document_id,
    }
    log_action(
        actor=actor,
        action=Action.ASSEMBLY_CHANGE,
        obj=assembly,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        request=request,
    )
    return assembly


# --- the agenda -------------------------------------------------------------------------


@dataclass
class AgendaItemSpec:
    """One row of the agenda as the editor sent it; `id` None for a new item, `delete`
    to take an existing one off."""

    titles: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    documents: Sequence[Resource] = ()
    id: int | None = None
    delete: bool = False


@transaction.atomic
def assembly_save(
    *,
    actor: User,
    assembly: Assembly | None,
    agenda: Sequence[AgendaItemSpec],
    request: HttpRequest | None = None,
    **fields: Any,
) -> Assembly:
    """The assembly page's one save: a new assembly (`assembly` None) or a change, and its
    agenda, together or not at all."""
    if assembly is None:
        saved = assembly_create(actor=actor, request=request, **fields)
    else:
        saved = assembly_change(actor=actor, assembly=assembly, request=request, **fields)
    assembly_agenda_set(actor=actor, assembly=saved, items=agenda, request=request)
    return saved


@transaction.atomic
def assembly_agenda_set(
    *,
    actor: User,
    assembly: Assembly,
    items: Sequence[AgendaItemSpec],
    request: HttpRequest | None = None,
) -> list[AgendaItem]:
    """The agenda, in the order given: existing items are changed, new ones added, those
    marked `delete` taken off (their resolutions stay, without an agenda item)."""
    assembly_policy.require(actor, "change", assembly)
    existing = {item.pk: item for item in AgendaItem.objects.filter(assembly=assembly)}
    kept: list[AgendaItem] = []
    removed: list[int] = []
    for spec in items:
        if spec.id is not None and spec.id not in existing:
            raise ValidationError(_("An agenda item of another assembly cannot be changed here."))
        if spec.delete:
            if spec.id is not None:
                removed.append(spec.id)
            continue
        titles = _texts(spec.titles)
        if not titles:
            raise ValidationError({"titles": _("Give each agenda item a title.")})
        documents = _published_documents(spec.documents)
        item = existing[spec.id] if spec.id is not None else AgendaItem(assembly=assembly)
        item.titles = titles
        item.descriptions = _texts(spec.descriptions)
        item.position = (len(kept) + 1) * 10
        item.save()
        item.documents.set(documents)
        kept.append(item)
    if removed:
        AgendaItem.objects.filter(assembly=assembly, pk__in=removed).delete()
    log_action(
        actor=actor,
        action=Action.ASSEMBLY_CHANGE,
        obj=assembly,
        changes={"agenda": [item.pk for item in kept], "removed": removed},
        request=request,
    )
    return kept


# --- resolutions ------------------------------------------------------------------------


def _resolution_check(
    *,
    assembly: Assembly,
    titles: dict[str, str],
    texts: dict[str, str],
    majority: str,
    quorum_percent: int,
    opens_at: datetime,
    closes_at: datetime,
    agenda_item: AgendaItem | None,
    adopts_minutes_of: Assembly | None,
) -> None:
    errors: dict[str, Any] = {}
    if not titles:
        errors["titles"] = _("Give the resolution a title.")
    if not texts:
        errors["texts"] = _("Write the text of the resolution in at least one language.")
    if majority not in Resolution.Majority.values:
        errors["majority"] = _("Choose the majority the resolution needs.")
    if not 0 <= quorum_percent <= 100:
        errors["quorum_percent"] = _("The quorum is a share of the roll, from 0 to 100%.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("Voting must close after it opens.")
    if agenda_item is not None and agenda_item.assembly_id != assembly.pk:
        errors["agenda_item"] = _("Choose an item of this assembly’s agenda.")
    if adopts_minutes_of is not None:
        if adopts_minutes_of.pk == assembly.pk:
            errors["adopts_minutes_of"] = _(
                "An assembly adopts the minutes of an earlier assembly, not its own."
            )
        elif adopts_minutes_of.date > assembly.date:
            errors["adopts_minutes_of"] = _("Choose an earlier assembly.")
    if errors:
        raise ValidationError(errors)


def _not_published(assembly: Assembly) -> None:
    if assembly.published_at is not None:
        raise ValidationError(_("The results of this assembly are published: it is closed."))


@transaction.atomic
def resolution_create(
    *,
    actor: User,
    assembly: Assembly,
    titles: dict[str, str],
    texts: dict[str, str],
    majority: str = Resolution.Majority.SIMPLE,
    quorum_percent: int = 50,
    opens_at: datetime,
    closes_at: datetime,
    agenda_item: AgendaItem | None = None,
    adopts_minutes_of: Assembly | None = None,
    request: HttpRequest | None = None,
) -> Resolution:
    assembly_policy.require(actor, "change", assembly)
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    _not_published(assembly)
    titles, texts = _texts(titles), _texts(texts)
    _resolution_check(
        assembly=assembly,
        titles=titles,
        texts=texts,
        majority=majority,
        quorum_percent=quorum_percent,
        opens_at=opens_at,
        closes_at=closes_at,
        agenda_item=agenda_item,
        adopts_minutes_of=adopts_minutes_of,
    )
    resolution = Resolution.objects.create(
        assembly=assembly,
        agenda_item=agenda_item,
        titles=titles,
        texts=texts,
        majority=majority,
        quorum_percent=quorum_percent,
        opens_at=opens_at,
        closes_at=closes_at,
        adopts_minutes_of=adopts_minutes_of,
    )
    log_action(
        actor=actor,
        action=Action.RESOLUTION_CREATE,
        obj=resolution,
        changes={
            "assembly": assembly.pk,
            "majority": majority,
            "quorum_percent": quorum_percent,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
        request=request,
    )
    return resolution


@transaction.atomic
def resolution_change(
    *,
    actor: User,
    resolution: Resolution,
    titles: dict[str, str],
    texts: dict[str, str],
    majority: str,
    quorum_percent: int,
    opens_at: datetime,
    closes_at: datetime,
    agenda_item: AgendaItem | None = None,
    adopts_minutes_of: Assembly | None = None,
    request: HttpRequest | None = None,
) -> Resolution:
    """Change a resolution before its voting opens; once members may vote, what they vote
    on stays as it was."""
    resolution = (
        Resolution.objects.select_for_update().select_related("assembly").get(pk=resolution.pk)
    )
    assembly_policy.require(actor, "change", resolution.assembly)
    _not_published(resolution.assembly)
    if timezone.now() >= resolution.opens_at or resolution.voter_records.exists():
        raise ValidationError(
            _("Voting on this resolution has opened: it can no longer be changed.")
        )
    titles, texts = _texts(titles), _texts(texts)
    _resolution_check(
        assembly=resolution.assembly,
        titles=titles,
        texts=texts,
        majority=majority,
        quorum_percent=quorum_percent,
        opens_at=opens_at,
        closes_at=closes_at,
        agenda_item=agenda_item,
        adopts_minutes_of=adopts_minutes_of,
    )
    fields = {
        "titles": titles,
        "texts": texts,
        "majority": majority,
        "quorum_percent": quorum_percent,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "agenda_item_id": agenda_item.pk if agenda_item else None,
        "adopts_minutes_of_id": adopts_minutes_of.pk if adopts_minutes_of else None,
    }
    changes = {
        name: [getattr(resolution, name), value]
        for name, value in fields.items()
        if getattr(resolution, name) != value
    }
    for name, value in fields.items():
        setattr(resolution, name, value)
    resolution.save()
    log_action(
        actor=actor,
        action=Action.RESOLUTION_CHANGE,
        obj=resolution,
        changes=changes,
        request=request,
    )
    return resolution


# --- publication ------------------------------------------------------------------------


@transaction.atomic
def assembly_results_publish(
    *, actor: User, assembly: Assembly, request: HttpRequest | None = None
) -> Assembly:
    """Freeze each resolution's count into `Resolution.result` and publish them all (the
    assembly's page becomes public). Every resolution must have closed; minutes adopted by
    an adopted resolution are recorded on the earlier assembly's log."""
    assembly_policy.require(actor, "change", assembly)
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    _not_published(assembly)
    now = timezone.now()
    resolutions = list(assembly.resolutions.select_related("adopts_minutes_of"))
    still_open = [r.title for r in resolutions if r.closes_at > now]
    if still_open:
        raise ValidationError(
            _("Voting has not closed yet on: %(titles)s.") % {"titles": "; ".join(still_open)}
        )
    adopted: list[Resolution] = []
    for resolution in resolutions:
        resolution.result = resolution_count(resolution)
        resolution.save(update_fields=["result", "updated_at"])
        if resolution.result["adopted"]:
            adopted.append(resolution)
    assembly.published_at = now
    assembly.save(update_fields=["published_at", "updated_at"])
    log_action(
        actor=actor,
        action=Action.ASSEMBLY_PUBLISH,
        obj=assembly,
        changes={
            "resolutions": len(resolutions),
            "adopted": [resolution.pk for resolution in adopted],
        },
        request=request,
    )
    for resolution in adopted:
        if resolution.adopts_minutes_of is not None:
            log_action(
                actor=actor,
                action=Action.ASSEMBLY_CHANGE,
                obj=resolution.adopts_minutes_of,
                changes={"minutes_adopted_by": resolution.pk, "at_assembly": assembly.pk},
                request=request,
            )
    return assembly
