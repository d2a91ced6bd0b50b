"""/api/v1/campaigns: the campaigns a caller may see, with their timeline and verified
signatures, and signing a campaign's statement.

The same visibility as the pages (`campaigns.policies`): anonymous callers get public
active and concluded campaigns; network members also members-only ones; the secretariat
drafts too. Only verified signatures are listed or counted, and never the contact person.
Anyone may sign (no sign-in needed); a signature starts pending, and refusals answer 400
with the same translated message as the pages.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.campaigns import selectors, services
from hrnet.campaigns.models import Campaign
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids

campaigns_router = Router(tags=["campaigns"])


class CampaignFiltersIn(Schema):
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")
    issue_area: str = Field("", description="Issue-area code, e.g. HIV.")
    status: str = Field("", description="active or concluded (draft: the secretariat only).")
    open: bool = Field(False, description="Only statements open for signature.")
    unsigned: bool = Field(
        False,
        description="Leave out the statements an organisation the caller administers "
        "has signed or asked to sign.",
    )

    def to_filters(self) -> selectors.CampaignFilters:
        return selectors.CampaignFilters(
            country=self.country.strip().upper(),
            issue_area=self.issue_area.strip(),
            status=self.status.strip(),
            open=self.open,
            unsigned=self.unsigned,
        )


class CodeName(Schema):
    code: str
    name: str


class TargetOut(Schema):
    name: str
    institution: str
    country: str | None = Field(description="ISO 3166 alpha-2 code.")


class OrganisationOut(Schema):
    id: int
    name: str
    country: str


class CampaignSummaryOut(Schema):
    id: int
    slug: str
    title: str
    goal: str = Field(description="Plain text or Markdown, as entered.")
    status: str
    visibility: str
    starts_on: date | None
    ends_on: date | None
    countries: list[CodeName]
    issue_areas: list[CodeName]
    coordinators: list[OrganisationOut]
    has_statement: bool
    statement_open: bool
    signature_count: int = Field(description="Verified signatures only.")
    url: str


class ActionOut(Schema):
    date: date
    kind: str = Field(description="action or milestone")
    status: str = Field(description="planned, in_progress, done or cancelled")
    title: str
    description: str


class EvidenceLinkOut(Schema):
    url: str
    label: str


class OutcomeOut(Schema):
    date: date
    description: str
    resources: list[int] = Field(description="Library resources the caller may see.")
    evidence_links: list[EvidenceLinkOut]


class SignatureOut(Schema):
    organisation: str
    country: str = Field(description="ISO 3166 alpha-2 code.")
    signed_at: datetime


class CampaignOut(CampaignSummaryOut):
    description: str
    statement: str
    targets: list[TargetOut]
    participants: list[OrganisationOut]
    timeline: list[ActionOut]
    outcomes: list[OutcomeOut]
    events: list[int]
    articles: list[int]
    signatures: list[SignatureOut] = Field(description="Verified signatures only.")


class SignatureIn(Schema):
    organisation_id: int | None = Field(
        None, description="An organisation in the register that the caller administers."
    )
    organisation_name: str = Field("", description="Otherwise the organisation's name…")
    country: str = Field("", description="…and its country (ISO 3166 alpha-2 code).")
    contact_name: str
    contact_email: str


class SignatureCreatedOut(Schema):
    id: int
    status: str
    detail: str


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


def _caller(request: HttpRequest) -> Actor:
    return getattr(request, "auth", None) or AnonymousUser()


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "name": organisation.name, "country": organisation.country.iso2}


def _summary(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "slug": campaign.slug,
        "title": campaign.title,
        "goal": campaign.goal,
        "status": campaign.status,
        "visibility": campaign.visibility,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "countries": [{"code": c.iso2, "name": c.name} for c in campaign.countries.all()],
        "issue_areas": [{"code": a.code, "name": a.name} for a in campaign.issue_areas.all()],
        "coordinators": [_organisation(o) for o in campaign.coordinators.all()],
        "has_statement": campaign.has_statement,
        "statement_open": campaign.takes_signatures,
        "signature_count": selectors.verified_signatures(campaign=campaign).count(),
        "url": request.build_absolute_uri(
            reverse("campaigns:campaign_detail", args=[campaign.slug])
        ),
    }


@campaigns_router.get("", response=list[CampaignSummaryOut], auth=OPTIONAL_AUTH)
@paginate(LimitOffsetPagination, default_limit=20, max_limit=100)
def campaign_list(request: HttpRequest, filters: Query[CampaignFiltersIn]) -> Paged:
    """Campaigns the caller may see, active first."""
    campaigns = selectors.campaign_list(user=_caller(request), filters=filters.to_filters())
    return Paged(campaigns, render=lambda page: [_summary(request, c) for c in page])


@campaigns_router.get(
    "/{campaign_id}", response={200: CampaignOut, 404: ErrorOut}, auth=OPTIONAL_AUTH
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Status:
    """One campaign with its timeline, outcomes and verified signatures."""
    user = _caller(request)
    try:
        campaign = selectors.campaign_get(user=user, pk=campaign_id)
    except Campaign.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    data = _summary(request, campaign)
    data.update(
        {
            "description": campaign.description,
            "statement": campaign.statement,
            "targets": [
                {
                    "name": t.name,
                    "institution": t.institution,
                    "country": t.country.iso2 if t.country else None,
                }
                for t in campaign.targets.all()
            ],
            "participants": [
                _organisation(p.organisation)
                for p in selectors.campaign_participants(campaign=campaign)
            ],
            "timeline": [
                {
                    "date": a.date,
                    "kind": a.kind,
                    "status": a.status,
                    "title": a.title,
                    "description": a.description,
                }
                for a in selectors.campaign_timeline(campaign=campaign)
            ],
            "outcomes": [
                {
                    "date": o.date,
                    "description": o.description,
                    "resources": [r.pk for r in resources],
                    "evidence_links": [
                        {"url": link.get("url", ""), "label": link.get("label", "")}
                        for link in o.evidence_links
                    ],
                }
                for o, resources in selectors.campaign_outcomes(user=user, campaign=campaign)
            ],
            "events": [e.pk for e in selectors.campaign_events(user=user, campaign=campaign)],
            "articles": [a.pk for a in selectors.campaign_articles(user=user, campaign=campaign)],
            "signatures": [
                {
                    "organisation": s.organisation_name,
                    "country": s.country.iso2,
                    "signed_at": s.signed_at,
                }
                for s in selectors.verified_signatures(campaign=campaign)
            ],
        }
    )
    return Status(200, data)


@campaigns_router.post(
    "/{campaign_id}/signatures",
    response={201: SignatureCreatedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=OPTIONAL_AUTH,
)
def signature_create(request: HttpRequest, campaign_id: int, payload: SignatureIn) -> Status:
    """Sign the campaign's statement. The signature waits for the secretariat's
    verification before it is listed. One signature per organisation."""
    user = _caller(request)
    try:
        campaign = selectors.campaign_get(user=user, pk=campaign_id)
    except Campaign.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    organisation = None
    country = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(
            pk=payload.organisation_id, pk__in=administered_organisation_ids(user)
        ).first()
        if organisation is None:
            return Status(
                403, {"detail": _("You may sign only for an organisation you administer.")}
            )
    elif payload.country.strip():
        country = Country.objects.filter(iso2=payload.country.strip().upper()).first()
        if country is None:
            message = _("“%(value)s” is not a country code.") % {"value": payload.country}
            return Status(400, {"detail": message, "errors": {"country": [message]}})
    try:
        signature = services.signature_create(
            campaign=campaign,
            actor=user,
            organisation=organisation,
            organisation_name=payload.organisation_name,
            country=country,
            contact_name=payload.contact_name,
            contact_email=payload.contact_email,
            request=request,
        )
    except PermissionDenied:
        return Status(403, {"detail": _("You may not sign this statement.")})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        return Status(400, {"detail": " ".join(exc.messages), "errors": errors})
    return Status(
        201,
        {
            "id": signature.pk,
            "status": signature.status,
            "detail": _("Thank you. The signature is listed once the secretariat has verified it."),
        },
    )


# The app's one router, mounted at the root of /api/v1; its operations live under /campaigns.
router = Router()
router.add_router("/campaigns", campaigns_router)
