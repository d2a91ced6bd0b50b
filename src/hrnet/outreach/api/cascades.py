"""/api/v1/outreach/cascades: the HIV and HCV cascades (distinct clients per step) of the
sites the caller may see, over the selection and per site. Counts only, never a client;
401 without credentials, 403 for a caller without sites or asking for a site they may not
see. Small numbers are suppressed as on the page (`outreach.selectors.cascades`)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import BearerTokenAuth, SessionAuth
from hrnet.outreach.policies import site_policy
from hrnet.outreach.selectors import cascades

router = Router(tags=["outreach"])
AUTH = [BearerTokenAuth(), SessionAuth()]


class DetailOut(Schema):
    detail: str


class StepOut(Schema):
    code: str
    label: str
    value: int | None = Field(description="null when suppressed (below the threshold).")
    suppressed: bool
    text: str = Field(description='The number as shown, "<5" when suppressed.')


class CascadeOut(Schema):
    site: int | None = Field(description="The site's id; null for a total.")
    label: str
    hiv: list[StepOut]
    hcv: list[StepOut]


class CascadesOut(Schema):
    period: str = Field(description="2025, 2025Q1 or 2025-03; empty for a date range.")
    start: datetime.date
    end: datetime.date
    total: CascadeOut
    sites: list[CascadeOut]
    countries: list[CascadeOut]


class CascadeFiltersIn(Schema):
    site: int | None = None
    organisation: int | None = None
    country: str = Field("", description="ISO 3166 alpha-2 code.")
    period: str = Field("", description="2025, 2025Q1 or 2025-03 (default: this year).")
    start: datetime.date | None = Field(None, alias="from")
    end: datetime.date | None = Field(None, alias="to")


def _steps(steps: list[cascades.Step]) -> list[StepOut]:
    return [
        StepOut(
            code=step.code,
            label=step.label,
            value=step.value,
            suppressed=step.is_suppressed,
            text=step.text,
        )
        for step in steps
    ]


def _cascade(cascade: cascades.Cascade) -> CascadeOut:
    return CascadeOut(
        site=cascade.site.pk if cascade.site else None,
        label=cascade.label,
        hiv=_steps(cascade.hiv),
        hcv=_steps(cascade.hcv),
    )


@router.get(
    "",
    auth=AUTH,
    response={200: CascadesOut, 400: DetailOut, 403: DetailOut},
    summary="HIV and HCV cascades",
    operation_id="hrnet_outreach_api_cascades_cascades_get",
)
def cascades_get(request: HttpRequest, filters: Query[CascadeFiltersIn]) -> object:
    user = request.user
    if not site_policy.user_has_permission(user, "list"):
        return Status(403, {"detail": _("You do not see the cascades of any site.")})
    if (
        filters.site is not None
        and not cascades.cascade_sites(user=user).filter(pk=filters.site).exists()
    ):
        return Status(403, {"detail": _("You may not see this site's cascades.")})
    try:
        chosen = cascades.filters_for(
            site=filters.site,
            organisation=filters.organisation,
            country=filters.country,
            period=filters.period,
            start=filters.start,
            end=filters.end,
        )
    except cascades.PeriodError as exc:
        return Status(400, {"detail": str(exc)})
    report = cascades.cascade_report(user=user, filters=chosen)
    return CascadesOut(
        period=chosen.period,
        start=chosen.start or datetime.date.min,
        end=chosen.end or datetime.date.max,
        total=_cascade(report.total),
        sites=[_cascade(cascade) for cascade in report.sites],
        countries=[_cascade(cascade) for cascade in report.countries],
    )
