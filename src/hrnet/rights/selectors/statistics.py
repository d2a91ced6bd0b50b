"""Anonymised statistics of the rights cases: counts by country, year, violation type,
perpetrator type or response, safe to publish.

What is counted: cases whose person consented to anonymised sharing (`consent_to_share`)
and that a documenter has reviewed (public reports still `unreviewed` are left out: they
are unchecked and may be duplicates). Nothing but counts and category labels leaves this
module: no reference, narrative, description, locality, organisation or date finer than
the year.

Small-cell protection, the same for every cell and every total of every view:
- a count below the threshold (settings.HRNET_SUPPRESSION_THRESHOLD, default 5),
  including none at all, is published as "<5";
- any other count is rounded DOWN to a multiple of the threshold (10 means 10 to 14).
So every published number is a multiple of 5 (or "<5"), and any sum or difference of
published numbers, from one view or from several filters, is a multiple of 5 too: it can
never equal a suppressed count, which is 1 to 4. Rounding down rather than to the nearest
5 also closes the commonest interval argument: with nearest rounding, two cells of 4
under a total of 8 publish "<5", "<5" and "10"; a total of at least 8 made of two cells of
at most 4 would give both away as exactly 4. With rounding down the total shows "5"
(5 to 9), which fits many splits. Zero is shown as "<5" as well, so the absence of cases
is not told apart from a few. Rows come in a fixed order (vocabulary, region, year), never
by size, and which rows a view lists does not depend on its filters: the order and the
set of rows carry no information either. Every country of the region and every year from
the first one to this year are listed, with cases or without. The bar chart is drawn
from the published numbers only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.geo.models import Country
from hrnet.rights.models import Case, CaseResponse, PerpetratorType, ViolationType

GROUP_BY_CHOICES = {
    "country": gettext_lazy("Country"),
    "year": gettext_lazy("Year"),
    "violation_type": gettext_lazy("Violation type"),
    "perpetrator_type": gettext_lazy("Perpetrator type"),
    "response": gettext_lazy("Response"),
}
# No case happened before this year; asking for an earlier one is a mistake.
FIRST_YEAR = 1900
# A case can fall under several of these at once, so their cells do not add up to the total.
MULTI_VALUED = frozenset({"violation_type", "perpetrator_type", "response"})


@dataclass(frozen=True)
class PublishedCount:
    """A count as it may be shown: `value` is the rounded number, None when suppressed.
    The true count is deliberately not kept here, so no page can show it by mistake."""

    value: int | None
    text: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class StatisticsRow:
    key: str
    label: str
    count: PublishedCount


@dataclass(frozen=True)
class StatisticsTable:
    group_by: str
    group_label: str
    country: str | None  # ISO 3166 alpha-2 of the filter
    year: int | None
    rows: list[StatisticsRow]
    total: PublishedCount
    threshold: int
    multi_valued: bool


def publish(count: int, threshold: int) -> PublishedCount:
    """The one rule every published number goes through."""
    threshold = max(1, threshold)
    if count < threshold:
        return PublishedCount(value=None, text=f"<{threshold}")
    rounded = count // threshold * threshold
    return PublishedCount(value=rounded, text=str(rounded))


def counted_cases() -> QuerySet[Case]:
    """The cases statistics may count: consent to anonymised sharing, and reviewed."""
    return Case.objects.filter(consent_to_share=True).exclude(status=Case.Status.UNREVIEWED)


def statistics_countries() -> list[Country]:
    """The countries listed in the country filter and the country view: every country of
    the region, in its order, so that a country without cases is not told apart from one
    with a few (both show "<5")."""
    return list(Country.objects.all())


def statistics_years() -> list[int]:
    """Every year from the first one (HRNET_RIGHTS_STATISTICS_FIRST_YEAR, or else the year
    of the earliest counted case) to this year, with or without cases."""
    this_year = timezone.localdate().year
    first = int(settings.HRNET_RIGHTS_STATISTICS_FIRST_YEAR or 0)
    if not first:
        earliest = counted_cases().aggregate(first=Min("date_from"))["first"]
        first = earliest.year if earliest else this_year
    first = min(max(first, FIRST_YEAR), this_year)
    return list(range(first, this_year + 1))


def statistics_year_check(year: int | None) -> None:
    """ValidationError, in words, for a year no case can have (before 1900 or after this
    year); a sensible year without cases is fine (it shows "<5")."""
    this_year = timezone.localdate().year
    if year is not None and not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {
                "year": _("Write a year between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": this_year}
            }
        )


def _categories(group_by: str) -> list[tuple[str, str]]:
    """Every row of a view in its fixed order, with its label in the active language."""
    if group_by == "country":
        return [(country.iso2, country.name) for country in statistics_countries()]
    if group_by == "year":
        return [(str(year), str(year)) for year in statistics_years()]
    if group_by == "violation_type":
        return [
            (violation.code, violation.name)
            for violation in ViolationType.objects.filter(is_active=True)
        ]
    if group_by == "perpetrator_type":
        return [(str(value), str(label)) for value, label in PerpetratorType.choices]
    return [(str(value), str(label)) for value, label in CaseResponse.Action.choices]


def _keys_per_case(cases: QuerySet[Case], group_by: str) -> Iterable[tuple[int, str]]:
    """(case id, category key) pairs, at most one pair per case and category."""
    if group_by == "country":
        return cases.values_list("pk", "country__iso2")
    if group_by == "year":
        return ((pk, str(day.year)) for pk, day in cases.values_list("pk", "date_from"))
    if group_by == "violation_type":
        return set(
            cases.values_list("pk", "violation_types__code").exclude(
                violation_types__code__isnull=True
            )
        )
    if group_by == "perpetrator_type":
        pairs = set()
        for pk, perpetrators in cases.values_list("pk", "perpetrator_types"):
            for perpetrator in perpetrators or []:
                pairs.add((pk, str(perpetrator)))
        return pairs
    return set(
        CaseResponse.objects.filter(case__in=cases.values("pk")).values_list("case_id", "action")
    )


def statistics_table(
    *,
    country: str | None = None,
    year: int | None = None,
    group_by: str,
    threshold: int | None = None,
) -> StatisticsTable:
    """Counts of the counted cases (see the module) in `country` (ISO alpha-2) and `year`
    if given, one row per category of `group_by`, every cell and the total suppressed
    and rounded by `publish`."""
    if group_by not in GROUP_BY_CHOICES:
        raise ValidationError({"group_by": _("Cannot group by “%(value)s”.") % {"value": group_by}})
    statistics_year_check(year)
    limit = settings.HRNET_SUPPRESSION_THRESHOLD if threshold is None else threshold
    cases = counted_cases()
    if country:
        cases = cases.filter(country__iso2=country.upper())
    if year:
        cases = cases.filter(date_from__year=year)
    counts = Counter(key for _pk, key in _keys_per_case(cases, group_by))
    rows = [
        StatisticsRow(key=key, label=label, count=publish(counts.get(key, 0), limit))
        for key, label in _categories(group_by)
    ]
    return StatisticsTable(
        group_by=group_by,
        group_label=str(GROUP_BY_CHOICES[group_by]),
        country=country.upper() if country else None,
        year=year,
        rows=rows,
        total=publish(cases.count(), limit),
        threshold=max(1, limit),
        multi_valued=group_by in MULTI_VALUED,
    )
