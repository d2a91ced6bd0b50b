"""/api/v1/projects: the network's projects a caller may see (published ones; the
secretariat's token sees drafts too), with donors, partners, countries and commitments
with their targets and counts of linked outputs. A project's own answer also lists the
outputs the caller may open (through each module's policy); assistance requests are
counted, never named, unless the caller may see them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.i18n import localized
from hrnet.core.types import Actor
from hrnet.network.models import Partner, Project
from hrnet.network.selectors import projects

router = Router(tags=["network"])


class PartnerOut(Schema):
    name: str
    kind: str = Field(description="community, donor, un_agency, ngo or other")
    url: str
    logo: str | None = Field(description="Absolute address of the logo, if any.")
    logo_alt: str


class CountryOut(Schema):
    code: str = Field(description="ISO 3166 alpha-2 code.")
    name: str


class PeriodOut(Schema):
    start: date | None
    end: date | None


class CommitmentOut(Schema):
    kind: str
    description: str
    target: int | None
    outputs_count: int = Field(description="Linked outputs not in the trash.")


class ProjectSummaryOut(Schema):
    slug: str
    name: str
    summary: str = Field(description="Markdown, as entered.")
    period: PeriodOut
    is_published: bool
    donors: list[PartnerOut]
    partners: list[PartnerOut]
    countries: list[CountryOut]
    commitments: list[CommitmentOut]
    url: str


class OutputOut(Schema):
    id: int
    title: str
    url: str


class CommitmentDetailOut(CommitmentOut):
    events: list[OutputOut] = Field(description="Events the caller may see.")
    resources: list[OutputOut] = Field(description="Library resources the caller may see.")
    assistance_requests: list[OutputOut] = Field(
        description="Technical-assistance requests the caller may see."
    )
    assistance_count: int = Field(description="Every linked technical-assistance request.")


class ProjectOut(ProjectSummaryOut):
    objectives: str = Field(description="Markdown, as entered.")
    commitments: list[CommitmentDetailOut]  # type: ignore[assignment]


class ErrorOut(Schema):
    detail: str


def _caller(request: HttpRequest) -> Actor:
    return getattr(request, "auth", None) or AnonymousUser()


def _partner(request: HttpRequest, partner: Partner) -> dict[str, Any]:
    return {
        "name": partner.name,
        "kind": partner.kind,
        "url": partner.url,
        "logo": request.build_absolute_uri(partner.logo.url) if partner.logo else None,
        "logo_alt": partner.logo_alt,
    }


def _summary(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {
        "slug": project.slug,
        "name": project.name,
        "summary": localized(project.summaries),
        "period": {"start": project.start_date, "end": project.end_date},
        "is_published": project.is_published,
        "donors": [_partner(request, p) for p in project.donors.all()],
        "partners": [_partner(request, p) for p in project.partners.all()],
        "countries": [{"code": c.iso2, "name": c.name} for c in project.countries.all()],
        "commitments": [
            {
                "kind": c.kind,
                "description": c.description,
                "target": c.target,
                "outputs_count": getattr(c, "outputs_count", 0),
            }
            for c in project.commitments.all()
        ],
        "url": request.build_absolute_uri(reverse("network:project_detail", args=[project.slug])),
    }


def _link(request: HttpRequest, name: str, record: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "title": projects.output_title(record),
        "url": request.build_absolute_uri(reverse(name, args=[record.pk])),
    }


@router.get("", response=list[ProjectSummaryOut], auth=OPTIONAL_AUTH)
def project_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Projects the caller may see, the latest start first."""
    return [_summary(request, p) for p in projects.project_list(user=_caller(request))]


@router.get("/{slug}", response={200: ProjectOut, 404: ErrorOut}, auth=OPTIONAL_AUTH)
def project_detail(request: HttpRequest, slug: str) -> Status:
    """One project with its commitments and the outputs the caller may see."""
    user = _caller(request)
    try:
        project = projects.project_get(user=user, slug=slug)
    except Project.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    data = _summary(request, project)
    data["objectives"] = localized(project.objectives)
    data["commitments"] = [
        {
            "kind": item.commitment.kind,
            "description": item.description,
            "target": item.target,
            "outputs_count": item.count,
            "events": [_link(request, "events:event_detail", e) for e in item.events],
            "resources": [_link(request, "library:resource_detail", r) for r in item.resources],
            "assistance_requests": [
                _link(request, "assistance:request_detail", a) for a in item.assistance_requests
            ],
            "assistance_count": item.assistance_count,
        }
        for item in projects.commitment_progress(user=user, project=project)
    ]
    return Status(200, data)
