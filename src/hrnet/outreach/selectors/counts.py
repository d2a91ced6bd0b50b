"""Counts of contacts: distinct people reached, tested, positive, treated and cured, and
commodities handed out, per site and period (month, quarter, year or a date range).
Aggregates only, never a client. The cascades read them, and the evidence module turns
them into its site values (`evidence.services.outreach`), after learning from
`outreach.changes` that contacts changed.

Counting rules (what a figure means):
- Commodities add up by `Commodity.indicator_code` (syringes and needles into
  NS_DISTRIBUTED...): sums per month.
- People are counted once per site and period however often they came. Distinct people do
  not add up over months, so their quarters ("2025Q1") and years ("2025") are counted
  from the contacts too.
- PWID_REACHED: clients with a contact in the period who inject drugs or whose injecting
  is not recorded (`injects` True or unknown); clients recorded as not injecting are left
  out. PWID_HIV_TESTED: the same people with an HIV rapid test whose result they were
  given (negative or positive).
- HCV_AB_TESTED, HCV_RNA_TESTED: clients with a test of that kind with a result (negative
  or positive; invalid and "not given" do not count); *_POSITIVE: a positive result.
- HCV_TREATMENT_STARTED: clients referred to HCV treatment who reached it; HCV_CURED:
  those of them marked cured. Both are counted in the month of the referring contact.

Each kind of figure comes from one GROUP BY query per batch of sites and period kind,
never one query per contact.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import Trunc

from hrnet.core.periods import period_text
from hrnet.outreach.models import Commodity, Contact, ContactItem, Referral, Test

# Distinct-people measures (clients counted once per site and period).
MEASURES = (
    "reached",
    "pwid_reached",
    "hiv_tested",
    "pwid_hiv_tested",
    "hiv_positive",
    "art_referred",
    "art_reached",
    "hcv_ab_tested",
    "hcv_ab_positive",
    "hcv_rna_tested",
    "hcv_rna_positive",
    "hcv_treatment_started",
    "hcv_cured",
)
RESULTS_GIVEN = (Test.Result.NEGATIVE, Test.Result.POSITIVE)

# (site id or None, period or None) -> measure -> number
Counts = dict[tuple[int | None, str | None], dict[str, int]]


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _grouped(
    queryset: QuerySet,
    prefix: str,
    *,
    trunc: str | None,
    per_site: bool,
    annotations: dict[str, Any],
) -> list[tuple[int | None, str | None, dict[str, Any]]]:
    """One GROUP BY over `queryset` by site and/or truncated date (`prefix` leads from the
    queried model to the contact)."""
    fields: dict[str, Any] = {}
    if per_site:
        fields["g_site"] = F(f"{prefix}site_id")
    if trunc:
        fields["g_period"] = Trunc(f"{prefix}date", trunc, output_field=DateField())
    if not fields:
        figures = queryset.aggregate(**annotations)
        return [(None, None, figures)]
    rows = queryset.values(**fields).annotate(**annotations).order_by()
    return [
        (
            row.get("g_site"),
            period_text(_as_date(row["g_period"]), trunc) if trunc else None,
            row,
        )
        for row in rows
    ]


def _distinct(prefix: str, condition: Q | None = None) -> Count:
    return Count(f"{prefix}client_id", distinct=True, filter=condition)


def people_counts(
    *,
    site_ids: Collection[int],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    trunc: str | None = None,
    per_site: bool = True,
) -> Counts:
    """Distinct clients per measure (`MEASURES`) at these sites between `start` and `end`,
    per site (or across them all) and per month, quarter or year (or the whole range).
    Three GROUP BY queries: contacts, tests, referrals."""
    counts: Counts = defaultdict(lambda: dict.fromkeys(MEASURES, 0))

    def scoped(queryset: QuerySet, prefix: str) -> QuerySet:
        queryset = queryset.filter(**{f"{prefix}site_id__in": list(site_ids)})
        if start:
            queryset = queryset.filter(**{f"{prefix}date__gte": start})
        if end:
            queryset = queryset.filter(**{f"{prefix}date__lte": end})
        return queryset

    injecting = Q(client__injects=True) | Q(client__injects__isnull=True)
    contact_injecting = Q(contact__client__injects=True) | Q(contact__client__injects__isnull=True)
    prefix = "contact__"
    queries: list[tuple[QuerySet, str, dict[str, Any]]] = [
        (
            scoped(Contact.objects.all(), ""),
            "",
            {"reached": _distinct(""), "pwid_reached": _distinct("", injecting)},
        ),
        (
            scoped(Test.objects.filter(result__in=RESULTS_GIVEN), prefix),
            prefix,
            {
                "hiv_tested": _distinct(prefix, Q(kind=Test.Kind.HIV_RAPID)),
                "pwid_hiv_tested": _distinct(
                    prefix, Q(kind=Test.Kind.HIV_RAPID) & contact_injecting
                ),
                "hiv_positive": _distinct(
                    prefix, Q(kind=Test.Kind.HIV_RAPID, result=Test.Result.POSITIVE)
                ),
                "hcv_ab_tested": _distinct(prefix, Q(kind=Test.Kind.HCV_ANTIBODY)),
                "hcv_ab_positive": _distinct(
                    prefix, Q(kind=Test.Kind.HCV_ANTIBODY, result=Test.Result.POSITIVE)
                ),
                "hcv_rna_tested": _distinct(prefix, Q(kind=Test.Kind.HCV_RNA)),
                "hcv_rna_positive": _distinct(
                    prefix, Q(kind=Test.Kind.HCV_RNA, result=Test.Result.POSITIVE)
                ),
            },
        ),
        (
            scoped(
                Referral.objects.filter(
                    service__in=(Referral.Service.ART, Referral.Service.HCV_TREATMENT)
                ),
                prefix,
            ),
            prefix,
            {
                "art_referred": _distinct(prefix, Q(service=Referral.Service.ART)),
                "art_reached": _distinct(
                    prefix, Q(service=Referral.Service.ART, outcome=Referral.Outcome.REACHED)
                ),
                "hcv_treatment_started": _distinct(
                    prefix,
                    Q(service=Referral.Service.HCV_TREATMENT, outcome=Referral.Outcome.REACHED),
                ),
                "hcv_cured": _distinct(
                    prefix,
                    Q(
                        service=Referral.Service.HCV_TREATMENT,
                        outcome=Referral.Outcome.REACHED,
                        cured=True,
                    ),
                ),
            },
        ),
    ]
    for queryset, path, aggregates in queries:
        for site_id, period, row in _grouped(
            queryset, path, trunc=trunc, per_site=per_site, annotations=aggregates
        ):
            figures = counts[(site_id, period)]
            for name in aggregates:
                figures[name] = int(row[name] or 0)
    return dict(counts)


def commodity_sums(
    *,
    site_ids: Collection[int],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[tuple[int, str], dict[str, int]]:
    """Quantities handed out per (site, month) and evidence indicator code: one query."""
    items = ContactItem.objects.filter(contact__site_id__in=list(site_ids)).exclude(
        commodity__indicator_code=""
    )
    if start:
        items = items.filter(contact__date__gte=start)
    if end:
        items = items.filter(contact__date__lte=end)
    rows = (
        items.values(
            g_site=F("contact__site_id"),
            g_period=Trunc("contact__date", "month", output_field=DateField()),
            code=F("commodity__indicator_code"),
        )
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    sums: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for row in rows:
        key = (row["g_site"], period_text(_as_date(row["g_period"]), "month"))
        sums[key][row["code"]] = int(row["total"] or 0)
    return dict(sums)


def commodity_indicator_codes() -> set[str]:
    """The evidence indicator codes commodities are counted into."""
    return set(
        Commodity.objects.exclude(indicator_code="").values_list("indicator_code", flat=True)
    )
