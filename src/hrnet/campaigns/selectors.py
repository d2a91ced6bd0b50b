"""Reads of campaigns: each takes the acting user and returns only what that user may see.
Signatures shown to anyone but the secretariat are verified ones, without contacts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from hrnet.campaigns.models import (
    Campaign,
    CampaignAction,
    CampaignOutcome,
    CampaignParticipant,
    Signature,
)
from hrnet.campaigns.policies import (
    campaign_policy,
    joinable_organisation_ids,
    signature_policy,
)
from hrnet.core.types import Actor
from hrnet.events.models import Event
from hrnet.events.policies import event_policy
from hrnet.library.policies import resource_policy
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids
from hrnet.news.models import Article
from hrnet.news.policies import article_policy

PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class CampaignFilters:
    country: str = ""  # ISO2
    issue_area: str = ""  # IssueArea code
    status: str = ""
    open: bool = False  # statements open for signature only
    unsigned: bool = False  # not signed (pending or verified) by an organisation I administer

    def as_query(self) -> dict[str, str]:
        return {
            name: "1" if value is True else value for name, value in asdict(self).items() if value
        }


def campaign_list(*, user: Actor, filters: CampaignFilters | None = None) -> QuerySet[Campaign]:
    """Campaigns `user` may see: active first, then concluded (drafts last, for the
    secretariat); newest first within each. `filters.open` keeps the statements open for
    signature; `filters.unsigned` drops those an organisation `user` administers has
    signed (or asked to sign) already: together, an organisation admin's statements to
    sign."""
    filters = filters or CampaignFilters()
    campaigns = campaign_policy.instances_user_has_permission_for(user, "list")
    if filters.country:
        campaigns = campaigns.filter(countries__iso2=filters.country.upper())
    if filters.issue_area:
        campaigns = campaigns.filter(issue_areas__code=filters.issue_area)
    if filters.status:
        campaigns = campaigns.filter(status=filters.status)
    if filters.open:
        # Campaign.takes_signatures, as far as the database can tell.
        campaigns = campaigns.filter(status=Campaign.Status.ACTIVE, statement_open=True)
    if filters.unsigned:
        signed = Signature.objects.filter(
            organisation__in=administered_organisation_ids(user),
            status__in=(Signature.Status.PENDING, Signature.Status.VERIFIED),
        ).values("campaign")
        campaigns = campaigns.exclude(pk__in=signed)
    order = Case(
        When(status=Campaign.Status.ACTIVE, then=Value(0)),
        When(status=Campaign.Status.CONCLUDED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        campaigns.distinct()
        .annotate(status_order=order)
        .order_by("status_order", "-created_at", "-pk")
        .prefetch_related("countries", "issue_areas", "coordinators")
    )


def campaign_get(*, user: Actor, slug: str = "", pk: int | None = None) -> Campaign:
    """One campaign `user` may see; Campaign.DoesNotExist otherwise."""
    campaigns = campaign_policy.instances_user_has_permission_for(user, "view")
    lookup: dict[str, Any] = {"pk": pk} if pk is not None else {"slug": slug}
    return campaigns.prefetch_related(
        "countries", "issue_areas", "coordinators", "targets__country"
    ).get(**lookup)


def campaign_for_change(*, user: Actor, slug: str) -> Campaign:
    return campaign_policy.instances_user_has_permission_for(user, "change").get(slug=slug)


def campaign_timeline(*, campaign: Campaign) -> list[CampaignAction]:
    """Actions and milestones, oldest first (read through a campaign the user may see)."""
    return list(campaign.actions.all())


def campaign_outcomes(*, user: Actor, campaign: Campaign) -> list[tuple[CampaignOutcome, list]]:
    """Outcomes, latest first, each with the library resources `user` may see."""
    readable = resource_policy.instances_user_has_permission_for(user, "view")
    outcomes = list(campaign.outcomes.all())
    result = []
    for outcome in outcomes:
        resources = list(readable.filter(pk__in=outcome.resources.values("pk")).order_by("pk"))
        result.append((outcome, resources))
    return result


def campaign_participants(*, campaign: Campaign) -> list[CampaignParticipant]:
    return list(campaign.participants.select_related("organisation__country"))


def campaign_events(*, user: Actor, campaign: Campaign) -> list[Event]:
    readable = event_policy.instances_user_has_permission_for(user, "view")
    return list(readable.filter(pk__in=campaign.events.values("pk")).order_by("starts_at", "pk"))


def campaign_articles(*, user: Actor, campaign: Campaign) -> list[Article]:
    readable = article_policy.instances_user_has_permission_for(user, "view")
    return list(readable.filter(pk__in=campaign.articles.values("pk")).order_by("-published_at"))


def verified_signatures(*, campaign: Campaign) -> QuerySet[Signature]:
    """What the public sees of the statement: verified signatures only. Callers show the
    organisation's name and country, never the contact person."""
    return (
        campaign.signatures.filter(status=Signature.Status.VERIFIED)
        .select_related("country")
        .order_by("organisation_name", "pk")
    )


def signature_queue(*, user: Actor) -> QuerySet[Signature]:
    """Signatures awaiting verification, oldest first (the secretariat's)."""
    return (
        signature_policy.instances_user_has_permission_for(user, "verify")
        .filter(status=Signature.Status.PENDING, campaign__deleted_at__isnull=True)
        .select_related("campaign", "country", "organisation", "signed_by")
        .order_by("signed_at", "pk")
    )


def signatures_for_review(*, user: Actor, ids: list[int]) -> QuerySet[Signature]:
    """The ticked signatures `user` may review, whatever their status (a bulk action
    names those decided meanwhile), oldest first."""
    return (
        signature_policy.instances_user_has_permission_for(user, "verify")
        .filter(pk__in=ids)
        .order_by("signed_at", "pk")
    )


def signature_for_review(*, user: Actor, pk: int) -> Signature:
    return signature_policy.instances_user_has_permission_for(user, "verify").get(pk=pk)


def joinable_organisations(*, user: Actor, campaign: Campaign) -> list[Organisation]:
    """Current member organisations `user` administers that do not take part yet."""
    ids = joinable_organisation_ids(user)
    return list(
        Organisation.objects.filter(pk__in=ids).exclude(campaign_participations__campaign=campaign)
    )


def administered_participations(*, user: Actor, campaign: Campaign) -> list[Organisation]:
    """Organisations `user` administers (now) that take part in the campaign, whatever
    their membership: an admin may always leave."""
    ids = administered_organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids, campaign_participations__campaign=campaign))
