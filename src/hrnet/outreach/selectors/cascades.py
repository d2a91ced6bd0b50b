"""Reads behind the HIV and HCV cascades: distinct clients at each step, per site and across
a selection of sites (an organisation, a country, all one may see), for a month, quarter,
year or date range. Aggregates only: counts, never a client.

Who sees what: site staff their sites, organisation admins their organisation's sites, the
secretariat every site (the site policy's "report" action); nobody else, and nothing is
public. Counts below `HRNET_SUPPRESSION_THRESHOLD` are shown as "<5" to anyone who is not
staff of the site, an admin of its organisation or the secretariat (who is trusted with
site aggregates, though never with a client record); a total over several sites is exact
only for someone exact on every one of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core.periods import period_parse, period_range
from hrnet.core.types import Actor
from hrnet.members.policies import administered_organisation_ids, is_secretariat
from hrnet.outreach.models import Site
from hrnet.outreach.policies import site_policy, staffed_site_ids
from hrnet.outreach.selectors.counts import people_counts

HIV_STEPS = (
    ("hiv_tested", gettext_lazy("Tested for HIV (result given)")),
    ("hiv_positive", gettext_lazy("HIV positive")),
    ("art_referred", gettext_lazy("Referred to HIV treatment (ART)")),
    ("art_reached", gettext_lazy("On ART (reached the service)")),
)
HCV_STEPS = (
    ("hcv_ab_tested", gettext_lazy("Tested for HCV antibodies")),
    ("hcv_ab_positive", gettext_lazy("HCV antibody positive")),
    ("hcv_rna_tested", gettext_lazy("Tested for HCV RNA")),
    ("hcv_rna_positive", gettext_lazy("HCV RNA positive")),
    ("hcv_treatment_started", gettext_lazy("Started HCV treatment")),
    ("hcv_cured", gettext_lazy("Cured of HCV")),
)
MAX_RANGE_DAYS = 3 * 366


class PeriodError(ValueError):
    """A period or date range that cannot be read (the message is translated)."""


@dataclass(frozen=True)
class CascadeFilters:
    site: int | None = None
    organisation: int | None = None
    country: str = ""  # ISO2
    start: datetime.date | None = None
    end: datetime.date | None = None
    period: str = ""  # as asked: "2025", "2025Q1", "2025-03", or "" for a date range


def filters_for(
    *,
    site: int | None = None,
    organisation: int | None = None,
    country: str = "",
    period: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> CascadeFilters:
    """Filters from what a page or the API was given: a period (month, quarter, year), or
    a date range, or by default the current year. Raises PeriodError."""
    if period.strip():
        try:
            normal, _kind = period_parse(period)
        except ValueError as exc:
            raise PeriodError(
                _("%(period)s is not a period: write 2025, 2025Q1 or 2025-03.")
                % {"period": period.strip()[:20]}
            ) from exc
        first, last = period_range(normal)
        return CascadeFilters(site, organisation, country.strip().upper(), first, last, normal)
    if start or end:
        if not (start and end):
            raise PeriodError(_("Give both the first and the last day of the range."))
        if end < start:
            raise PeriodError(_("The last day of the range comes before the first."))
        if (end - start).days > MAX_RANGE_DAYS:
            raise PeriodError(_("A date range may cover at most three years."))
        return CascadeFilters(site, organisation, country.strip().upper(), start, end, "")
    year = str((today or datetime.date.today()).year)  # noqa: DTZ011 - a calendar year
    first, last = period_range(year)
    return CascadeFilters(site, organisation, country.strip().upper(), first, last, year)


@dataclass(frozen=True)
class CascadeStep:
    """One bar of a cascade chart (the evidence dashboards draw their cascades with it
    too)."""

    code: str
    label: str
    value: Decimal | None
    source: str
    origin: str
    # This step as a percentage of the step before it (None for the first, or unknown).
    percent_of_previous: Decimal | None


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    # None when suppressed: the number never leaves this module for that viewer.
    value: int | None
    is_suppressed: bool

    @property
    def text(self) -> str:
        if self.is_suppressed:
            return f"<{settings.HRNET_SUPPRESSION_THRESHOLD}"
        return str(self.value)


@dataclass(frozen=True)
class Cascade:
    """One place's two cascades: a site, a country, or the whole selection."""

    label: str
    site: Site | None
    hiv: list[Step]
    hcv: list[Step]

    def steps(self) -> list[Step]:
        return [*self.hiv, *self.hcv]


@dataclass(frozen=True)
class CascadeReport:
    filters: CascadeFilters
    total: Cascade
    sites: list[Cascade]
    countries: list[Cascade]


def cascade_sites(*, user: Actor) -> QuerySet[Site]:
    """Every site whose cascades `user` may see."""
    return site_policy.instances_user_has_permission_for(user, "report")


def exact_site_ids(*, user: Actor, sites: list[Site]) -> set[int]:
    """The sites among `sites` whose small numbers `user` sees unsuppressed."""
    if is_secretariat(user):
        return {site.pk for site in sites}
    staffed = staffed_site_ids(user)
    administered = administered_organisation_ids(user)
    return {site.pk for site in sites if site.pk in staffed or site.organisation_id in administered}


def _steps(figures: dict[str, int], *, exact: bool) -> tuple[list[Step], list[Step]]:
    threshold = settings.HRNET_SUPPRESSION_THRESHOLD

    def build(definitions: tuple[tuple[str, Any], ...]) -> list[Step]:
        steps = []
        for code, label in definitions:
            number = figures.get(code, 0)
            hidden = not exact and number < threshold
            steps.append(Step(code, str(label), None if hidden else number, hidden))
        return steps

    return build(HIV_STEPS), build(HCV_STEPS)


def _cascade(label: str, site: Site | None, figures: dict[str, int], *, exact: bool) -> Cascade:
    hiv, hcv = _steps(figures, exact=exact)
    return Cascade(label=label, site=site, hiv=hiv, hcv=hcv)


def cascade_report(*, user: Actor, filters: CascadeFilters) -> CascadeReport:
    """The cascades of the sites `user` may see that match `filters`: over them all (each
    client once), per site and per country."""
    sites_qs = cascade_sites(user=user).select_related("country", "organisation")
    if filters.site:
        sites_qs = sites_qs.filter(pk=filters.site)
    if filters.organisation:
        sites_qs = sites_qs.filter(organisation_id=filters.organisation)
    if filters.country:
        sites_qs = sites_qs.filter(country__iso2__iexact=filters.country)
    sites = list(sites_qs.order_by("country__iso2", "organisation_id", "name"))
    exact = exact_site_ids(user=user, sites=sites)
    ids = [site.pk for site in sites]
    per_site = (
        people_counts(site_ids=ids, start=filters.start, end=filters.end, per_site=True)
        if ids
        else {}
    )
    total_counts = (
        people_counts(site_ids=ids, start=filters.start, end=filters.end, per_site=False)
        if ids
        else {}
    )
    empty: dict[str, int] = {}
    site_cascades = [
        _cascade(site.name, site, per_site.get((site.pk, None), empty), exact=site.pk in exact)
        for site in sites
    ]
    by_country: dict[str, list[Site]] = {}
    for site in sites:
        by_country.setdefault(site.country.iso2, []).append(site)
    countries = []
    if len(by_country) > 1:
        for members in by_country.values():
            member_ids = [site.pk for site in members]
            counts = people_counts(
                site_ids=member_ids, start=filters.start, end=filters.end, per_site=False
            )
            countries.append(
                _cascade(
                    members[0].country.name,
                    None,
                    counts.get((None, None), empty),
                    exact=set(member_ids) <= exact,
                )
            )
    total = _cascade(
        _("All selected sites"),
        None,
        total_counts.get((None, None), empty),
        exact=bool(sites) and set(ids) <= exact,
    )
    return CascadeReport(filters=filters, total=total, sites=site_cascades, countries=countries)


def chart_steps(steps: list[Step]) -> list[CascadeStep]:
    """The steps as the evidence bar chart draws them (a suppressed step has no bar)."""
    bars: list[CascadeStep] = []
    previous: int | None = None
    for index, step in enumerate(steps):
        percent = None
        if index and step.value is not None and previous:
            percent = (Decimal(step.value) * 100 / previous).quantize(Decimal("0.1"))
        bars.append(
            CascadeStep(
                code=step.code,
                label=step.label,
                value=Decimal(step.value) if step.value is not None else None,
                source=_("contacts"),
                origin="contacts",
                percent_of_previous=percent,
            )
        )
        previous = step.value
    return bars
