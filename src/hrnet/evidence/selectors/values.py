"""Reads of indicators and values; each takes the acting user and returns only what that
user may see (`evidence.policies`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.evidence.formats import disaggregation_key
from hrnet.evidence.models import DataValue, Indicator
from hrnet.evidence.policies import data_value_policy, indicator_policy


@dataclass(frozen=True)
class ValueFilters:
    indicator: str = ""
    country: str = ""  # ISO 3166 alpha-2
    period: str = ""  # normalised (periods.period_parse)
    disaggregation: dict[str, str] | None = None  # None: every disaggregation; {}: totals


def indicator_list(*, user: Actor) -> QuerySet[Indicator]:
    return indicator_policy.instances_user_has_permission_for(user, "list").select_related(
        "numerator", "denominator"
    )


def indicator_get(*, user: Actor, code: str) -> Indicator:
    """Raises Indicator.DoesNotExist for an unknown code or one the user may not see."""
    return indicator_list(user=user).get(code__iexact=code)


def value_list(*, user: Actor, filters: ValueFilters) -> QuerySet[DataValue]:
    values = data_value_policy.instances_user_has_permission_for(user, "list")
    if filters.indicator:
        values = values.filter(indicator__code__iexact=filters.indicator)
    if filters.country:
        values = values.filter(country__iso2__iexact=filters.country)
    if filters.period:
        values = values.filter(period=filters.period)
    if filters.disaggregation is not None:
        values = values.filter(disaggregation_key=disaggregation_key(filters.disaggregation))
    return values.select_related("indicator", "country").order_by(
        "indicator__position",
        "country__position",
        "country__iso2",
        "period",
        "disaggregation_key",
        "source",
    )
