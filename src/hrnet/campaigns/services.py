"""Writes of campaigns: the secretariat creates and edits campaigns, their timeline and
outcomes, and verifies signatures; organisation admins join and leave; anyone signs the
statement. Every write is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.campaigns.audit import Action
from hrnet.campaigns.models import (
    Campaign,
    CampaignAction,
    CampaignOutcome,
    CampaignParticipant,
    Signature,
    Target,
)
from hrnet.campaigns.policies import (
    campaign_action_policy,
    campaign_outcome_policy,
    campaign_policy,
    joinable_organisation_ids,
    signature_policy,
)
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.models import IssueArea
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor
from hrnet.events.models import Event
from hrnet.geo.models import Country, normalize_name
from hrnet.library.models import Resource
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat
from hrnet.news.models import Article

# Paths of the app's own pages (urls.py) that a campaign's address must not take.
RESERVED_SLUGS = frozenset({"new", "signatures"})
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class TargetSpec:
    name: str = ""
    institution: str = ""
    country: Country | None = None


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    label: str = ""


def _texts(values: dict[str, str] | None) -> dict[str, str]:
    """Per-language texts, trimmed, only the languages the site has, empty ones dropped."""
    return {
        code: str(text).strip()
        for code, text in (values or {}).items()
        if code in LANGUAGE_CODES and text and str(text).strip()
    }


def _one_line(values: dict[str, str] | None) -> dict[str, str]:
    return {code: " ".join(text.split()) for code, text in _texts(values).items()}


def _slug_for(campaign: Campaign, wanted: str) -> str:
    base = slugify(wanted)[:100] or "campaign"
    if base in RESERVED_SLUGS:
        base = f"{base}-campaign"
    slug, number = base, 2
    while Campaign.all_objects.filter(slug=slug).exclude(pk=campaign.pk).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "titles": campaign.titles,
        "goals": campaign.goals,
        "descriptions": campaign.descriptions,
        "slug": campaign.slug,
        "status": campaign.status,
        "visibility": campaign.visibility,
        "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else None,
        "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None,
        "statement_texts": campaign.statement_texts,
        "statement_open": campaign.statement_open,
        "countries": sorted(campaign.countries.values_list("iso2", flat=True)),
        "issue_areas": sorted(campaign.issue_areas.values_list("code", flat=True)),
        "coordinators": sorted(campaign.coordinators.values_list("pk", flat=True)),
        "events": sorted(campaign.events.values_list("pk", flat=True)),
        "articles": sorted(campaign.articles.values_list("pk", flat=True)),
        "targets": [str(t) for t in campaign.targets.all()],
    }


def _write(
    campaign: Campaign,
    *,
    titles: dict[str, str],
    goals: dict[str, str] | None,
    descriptions: dict[str, str] | None,
    status: str,
    visibility: str,
    slug: str,
    starts_on: date | None,
    ends_on: date | None,
    statement_texts: dict[str, str] | None,
    statement_open: bool,
    countries: Iterable[Country],
    issue_areas: Iterable[IssueArea],
    coordinators: Iterable[Organisation],
    events: Iterable[Event],
    articles: Iterable[Article],
    targets: Sequence[TargetSpec],
) -> None:
    campaign.titles = _one_line(titles)
    campaign.goals = _texts(goals)
    campaign.descriptions = _texts(descriptions)
    campaign.status = status
    campaign.visibility = visibility
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.statement_texts = _texts(statement_texts)
    campaign.statement_open = statement_open and bool(campaign.statement_texts)
    errors: dict[str, list[str]] = {}
    if not campaign.titles:
        errors["titles"] = [_("Give the campaign a title.")]
    if status not in Campaign.Status.values:
        errors["status"] = [_("“%(value)s” is not a campaign status.") % {"value": status}]
    if visibility not in Campaign.Visibility.values:
        errors["visibility"] = [_("“%(value)s” is not a visibility.") % {"value": visibility}]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    title_for_slug = campaign.titles.get("en") or next(iter(campaign.titles.values()))
    campaign.slug = _slug_for(campaign, slug.strip() or campaign.slug or title_for_slug)
    campaign.save()
    campaign.countries.set(list(countries))
    campaign.issue_areas.set(list(issue_areas))
    campaign.coordinators.set(list(coordinators))
    campaign.events.set(list(events))
    campaign.articles.set(list(articles))
    campaign.targets.all().delete()
    Target.objects.bulk_create(
        [
            Target(
                campaign=campaign,
                name=" ".join(spec.name.split())[:200],
                institution=" ".join(spec.institution.split())[:300],
                country=spec.country,
                position=index,
            )
            for index, spec in enumerate(targets)
            if spec.name.strip() or spec.institution.strip()
        ]
    )


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    titles: dict[str, str],
    goals: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    status: str = Campaign.Status.DRAFT,
    visibility: str = Campaign.Visibility.PUBLIC,
    slug: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    statement_texts: dict[str, str] | None = None,
    statement_open: bool = False,
    countries: Iterable[Country] = (),
    issue_areas: Iterable[IssueArea] = (),
    coordinators: Iterable[Organisation] = (),
    events: Iterable[Event] = (),
    articles: Iterable[Article] = (),
    targets: Sequence[TargetSpec] = (),
    request: HttpRequest | None = None,
) -> Campaign:
    campaign_policy.require(actor, "add")
    campaign = Campaign()
    _write(
        campaign,
        titles=titles,
        goals=goals,
        descriptions=descriptions,
        status=status,
        visibility=visibility,
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        statement_texts=statement_texts,
        statement_open=statement_open,
        countries=countries,
        issue_areas=issue_areas,
        coordinators=coordinators,
        events=events,
        articles=articles,
        targets=targets,
    )
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_CREATE,
        obj=campaign,
        changes={k: {"old": None, "new": v} for k, v in _snapshot(campaign).items()},
        request=request,
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    actor: Actor,
    titles: dict[str, str],
    goals: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    status: str,
    visibility: str,
    slug: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    statement_texts: dict[str, str] | None = None,
    statement_open: bool = False,
    countries: Iterable[Country] = (),
    issue_areas: Iterable[IssueArea] = (),
    coordinators: Iterable[Organisation] = (),
    events: Iterable[Event] = (),
    articles: Iterable[Article] = (),
    targets: Sequence[TargetSpec] = (),
    request: HttpRequest | None = None,
) -> Campaign:
    campaign_policy.require(actor, "change", campaign)
    before = _snapshot(campaign)
    _write(
        campaign,
        titles=titles,
        goals=goals,
        descriptions=descriptions,
        status=status,
        visibility=visibility,
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        statement_texts=statement_texts,
        statement_open=statement_open,
        countries=countries,
        issue_areas=issue_areas,
        coordinators=coordinators,
        events=events,
        articles=articles,
        targets=targets,
    )
    changes = changed_fields(before, _snapshot(campaign))
    if changes:
        log_action(
            actor=actor,
            action=Action.CAMPAIGN_CHANGE,
            obj=campaign,
            changes=changes,
            request=request,
        )
    return campaign


@transaction.atomic
def campaign_trash(*, campaign: Campaign, actor: Actor, request: HttpRequest | None = None) -> None:
    campaign_policy.require(actor, "delete", campaign)
    trash_move(obj=campaign, actor=actor, request=request)


# --- timeline and outcomes --------------------------------------------------------------


def _action_fields(
    action: CampaignAction,
    *,
    date: date,
    kind: str,
    status: str,
    titles: dict[str, str],
    descriptions: dict[str, str] | None,
) -> None:
    action.date = date
    action.kind = kind
    action.status = status
    action.titles = _one_line(titles)
    action.descriptions = _texts(descriptions)
    errors: dict[str, list[str]] = {}
    if not action.titles:
        errors["titles"] = [_("Give the action a title.")]
    if kind not in CampaignAction.Kind.values:
        errors["kind"] = [_("“%(value)s” is not a kind of action.") % {"value": kind}]
    if status not in CampaignAction.Status.values:
        errors["status"] = [_("“%(value)s” is not a status of an action.") % {"value": status}]
    if errors:
        raise ValidationError(errors)
    action.save()


def _action_snapshot(action: CampaignAction) -> dict[str, Any]:
    return {
        "date": action.date.isoformat(),
        "kind": action.kind,
        "status": action.status,
        "titles": action.titles,
        "descriptions": action.descriptions,
    }


@transaction.atomic
def campaign_action_create(
    *,
    campaign: Campaign,
    actor: Actor,
    date: date,
    kind: str = CampaignAction.Kind.ACTION,
    status: str = CampaignAction.Status.PLANNED,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    request: HttpRequest | None = None,
) -> CampaignAction:
    campaign_action_policy.require(actor, "add")
    action = CampaignAction(campaign=campaign)
    _action_fields(
        action, date=date, kind=kind, status=status, titles=titles, descriptions=descriptions
    )
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_ACTION_CREATE,
        obj=action,
        changes={k: {"old": None, "new": v} for k, v in _action_snapshot(action).items()},
        request=request,
    )
    return action


@transaction.atomic
def campaign_action_update(
    *,
    action: CampaignAction,
    actor: Actor,
    date: date,
    kind: str,
    status: str,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    request: HttpRequest | None = None,
) -> CampaignAction:
    campaign_action_policy.require(actor, "change")
    before = _action_snapshot(action)
    _action_fields(
        action, date=date, kind=kind, status=status, titles=titles, descriptions=descriptions
    )
    changes = changed_fields(before, _action_snapshot(action))
    if changes:
        log_action(
            actor=actor,
            action=Action.CAMPAIGN_ACTION_CHANGE,
            obj=action,
            changes=changes,
            request=request,
        )
    return action


@transaction.atomic
def campaign_action_delete(
    *, action: CampaignAction, actor: Actor, request: HttpRequest | None = None
) -> None:
    campaign_action_policy.require(actor, "delete")
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_ACTION_DELETE,
        obj=action,
        changes={k: {"old": v, "new": None} for k, v in _action_snapshot(action).items()},
        request=request,
    )
    action.delete()


def _links(links: Sequence[EvidenceLink]) -> list[dict[str, str]]:
    check = URLValidator(schemes=["http", "https"])
    result = []
    for link in links:
        url = link.url.strip()
        try:
            check(url)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "evidence_links": _("“%(url)s” is not a web address (http or https).")
                    % {"url": url}
                }
            ) from exc
        result.append({"url": url, "label": " ".join(link.label.split())[:200]})
    return result


def _outcome_snapshot(outcome: CampaignOutcome) -> dict[str, Any]:
    return {
        "date": outcome.date.isoformat(),
        "descriptions": outcome.descriptions,
        "evidence_links": outcome.evidence_links,
        "resources": sorted(outcome.resources.values_list("pk", flat=True)),
    }


def _outcome_fields(
    outcome: CampaignOutcome,
    *,
    date: date,
    descriptions: dict[str, str],
    evidence_links: Sequence[EvidenceLink],
    resources: Iterable[Resource],
) -> None:
    outcome.date = date
    outcome.descriptions = _texts(descriptions)
    if not outcome.descriptions:
        raise ValidationError({"descriptions": _("Describe the outcome.")})
    outcome.evidence_links = _links(evidence_links)
    outcome.save()
    outcome.resources.set(list(resources))


@transaction.atomic
def campaign_outcome_create(
    *,
    campaign: Campaign,
    actor: Actor,
    date: date,
    descriptions: dict[str, str],
    evidence_links: Sequence[EvidenceLink] = (),
    resources: Iterable[Resource] = (),
    request: HttpRequest | None = None,
) -> CampaignOutcome:
    campaign_outcome_policy.require(actor, "add")
    outcome = CampaignOutcome(campaign=campaign)
    _outcome_fields(
        outcome,
        date=date,
        descriptions=descriptions,
        evidence_links=evidence_links,
        resources=resources,
    )
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_OUTCOME_CREATE,
        obj=outcome,
        changes={k: {"old": None, "new": v} for k, v in _outcome_snapshot(outcome).items()},
        request=request,
    )
    return outcome


@transaction.atomic
def campaign_outcome_update(
    *,
    outcome: CampaignOutcome,
    actor: Actor,
    date: date,
    descriptions: dict[str, str],
    evidence_links: Sequence[EvidenceLink] = (),
    resources: Iterable[Resource] = (),
    request: HttpRequest | None = None,
) -> CampaignOutcome:
    campaign_outcome_policy.require(actor, "change")
    before = _outcome_snapshot(outcome)
    _outcome_fields(
        outcome,
        date=date,
        descriptions=descriptions,
        evidence_links=evidence_links,
        resources=resources,
    )
    changes = changed_fields(before, _outcome_snapshot(outcome))
    if changes:
        log_action(
            actor=actor,
            action=Action.CAMPAIGN_OUTCOME_CHANGE,
            obj=outcome,
            changes=changes,
            request=request,
        )
    return outcome


@transaction.atomic
def campaign_outcome_delete(
    *, outcome: CampaignOutcome, actor: Actor, request: HttpRequest | None = None
) -> None:
    campaign_outcome_policy.require(actor, "delete")
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_OUTCOME_DELETE,
        obj=outcome,
        changes={k: {"old": v, "new": None} for k, v in _outcome_snapshot(outcome).items()},
        request=request,
    )
    outcome.delete()


# --- participants -----------------------------------------------------------------------


@transaction.atomic
def campaign_join(
    *,
    campaign: Campaign,
    organisation: Organisation,
    actor: Actor,
    request: HttpRequest | None = None,
) -> CampaignParticipant:
    """The organisation takes part. Its admin joins it, if it is a current member."""
    campaign_policy.require(actor, "view", campaign)
    if organisation.pk not in joinable_organisation_ids(actor):
        raise PermissionDenied
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("Only an active campaign can be joined."))
    if CampaignParticipant.objects.filter(campaign=campaign, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s already takes part in this campaign.")
            % {"organisation": organisation.name}
        )
    participant = CampaignParticipant.objects.create(
        campaign=campaign,
        organisation=organisation,
        joined_by=actor if isinstance(actor, User) else None,
    )
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_JOIN,
        obj=campaign,
        changes={"participants": {"old": None, "new": organisation.pk}},
        request=request,
    )
    return participant


@transaction.atomic
def campaign_leave(
    *,
    campaign: Campaign,
    organisation: Organisation,
    actor: Actor,
    request: HttpRequest | None = None,
) -> None:
    """The organisation no longer takes part (its admin decides; so may the secretariat)."""
    if not (is_secretariat(actor) or organisation.pk in administered_organisation_ids(actor)):
        raise PermissionDenied
    deleted, _by_model = CampaignParticipant.objects.filter(
        campaign=campaign, organisation=organisation
    ).delete()
    if not deleted:
        raise ValidationError(
            _("%(organisation)s does not take part in this campaign.")
            % {"organisation": organisation.name}
        )
    log_action(
        actor=actor,
        action=Action.CAMPAIGN_LEAVE,
        obj=campaign,
        changes={"participants": {"old": organisation.pk, "new": None}},
        request=request,
    )


# --- signatures -------------------------------------------------------------------------


def already_signed_message(name: str) -> str:
    return _(
        "%(organisation)s has already signed this statement: each organisation signs once."
    ) % {"organisation": name}


@transaction.atomic
def signature_create(
    *,
    campaign: Campaign,
    actor: Actor | None,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    country: Country | None = None,
    contact_name: str,
    contact_email: str,
    request: HttpRequest | None = None,
) -> Signature:
    """Sign the statement, for an organisation in the register (that `actor` administers)
    or by name and country. The signature waits for the secretariat's verification."""
    campaign_policy.require(actor or AnonymousUser(), "view", campaign)
    if not campaign.takes_signatures:
        raise ValidationError(_("This statement is not open for signatures."))
    # Counted in this function's transaction: a refused sign-on gives its hit back, so only
    # signatures received count.
    if not is_secretariat(actor) and not throttle_hit(
        scope="campaigns.signature",
        key=address_key(request),
        limit=settings.HRNET_SIGNATURES_PER_HOUR,
        window=timedelta(hours=1),
    ):
        raise ValidationError(
            _("Too many signatures from your network address. Please try again in an hour."),
            code="throttled",
        )
    errors: dict[str, list[str]] = {}
    if organisation is not None:
        if organisation.pk not in administered_organisation_ids(actor):
            raise PermissionDenied
        name = organisation.name
        country = organisation.country
        name_key = organisation.name_key or normalize_name(name)
    else:
        name = " ".join(organisation_name.split())
        name_key = normalize_name(name)
        if not name_key:
            errors["organisation_name"] = [_("Give the name of the organisation that signs.")]
        elif len(name) > 300:
            errors["organisation_name"] = [_("The name is too long (300 characters at most).")]
        if country is None:
            errors["country"] = [_("Choose the country of the organisation.")]
    contact_name = " ".join(contact_name.split())
    contact_email = contact_email.strip()
    if not contact_name:
        errors["contact_name"] = [_("Give the name of a contact person.")]
    try:
        EmailValidator()(contact_email)
    except ValidationError:
        errors["contact_email"] = [
            _("“%(value)s” is not an email address.") % {"value": contact_email}
        ]
    if errors:
        raise ValidationError(errors)
    assert country is not None  # noqa: S101 - checked above
    duplicate = Signature.objects.filter(campaign=campaign, country=country, name_key=name_key)
    if organisation is not None:
        duplicate = duplicate | Signature.objects.filter(
            campaign=campaign, organisation=organisation
        )
    if duplicate.exclude(status=Signature.Status.REJECTED).exists():
        raise ValidationError(already_signed_message(name))
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                campaign=campaign,
                organisation=organisation,
                organisation_name=name,
                country=country,
                name_key=name_key,
                contact_name=contact_name[:200],
                contact_email=contact_email,
                signed_by=actor if isinstance(actor, User) else None,
            )
            # The contact person is personal data: the audit names the organisation only.
            log_action(
                actor=actor,
                action=Action.SIGNATURE_CREATE,
                obj=signature,
                changes={"campaign": {"old": None, "new": campaign.pk}},
                request=request,
            )
    except IntegrityError as exc:  # two sign-ons at once: the constraint decides
        raise ValidationError(already_signed_message(name)) from exc
    return signature


@transaction.atomic
def signature_review(
    *,
    signature: Signature,
    actor: Actor,
    verified: bool,
    request: HttpRequest | None = None,
) -> Signature:
    """Verify (the signature shows on the page) or reject it, once: a signature someone
    else decided meanwhile is refused (the queue page may be stale; bulk actions name it)."""
    signature_policy.require(actor, "verify")
    with transaction.atomic():
        locked = Signature.objects.select_for_update().get(pk=signature.pk)
        if locked.status != Signature.Status.PENDING:
            raise ValidationError(
                _("The signature of %(organisation)s was already %(status)s.")
                % {
                    "organisation": locked.organisation_name,
                    "status": locked.get_status_display().lower(),
                }
            )
        return _signature_decide(locked, actor=actor, verified=verified, request=request)


def _signature_decide(
    signature: Signature, *, actor: Actor, verified: bool, request: HttpRequest | None
) -> Signature:
    before = signature.status
    signature.status = Signature.Status.VERIFIED if verified else Signature.Status.REJECTED
    signature.reviewed_by = actor if isinstance(actor, User) else None
    signature.reviewed_at = timezone.now()
    signature.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    log_action(
        actor=actor,
        action=Action.SIGNATURE_VERIFY if verified else Action.SIGNATURE_REJECT,
        obj=signature,
        changes={"status": {"old": before, "new": signature.status}},
        request=request,
    )
    return signature
