"""/api/v1/evidence: the indicator catalogue and the values a caller may see.

Anonymous callers see public indicators and their values only (`evidence.policies`).
Each value carries its coverage band (low, medium, high, or null without bands).
"""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.periods import period_parse
from hrnet.evidence.formats import disaggregation_parse
from hrnet.evidence.models import DataValue, Indicator
from hrnet.evidence.selectors import values as value_selectors

router = Router(tags=["evidence"])
MAX_VALUES = 5000


class IndicatorOut(Schema):
    code: str
    kind: str = Field(description="data (reported) or computed")
    name: str
    names: dict[str, str]
    unit: str
    numerator: str | None
    denominator: str | None
    factor: float
    low_below: float | None
    high_above: float | None
    target: float | None
    source: str


class ValueOut(Schema):
    indicator: str
    country: str = Field(description="ISO 3166 alpha-2 code.")
    period: str = Field(description="2019, 2019Q1 or 2019-01.")
    period_kind: str
    disaggregation: dict[str, str]
    source: str
    value: float | None = Field(description="null when not known.")
    is_unknown: bool
    band: str | None = Field(description="low, medium, high, or null without bands.")
    comment: str


class ValueFiltersIn(Schema):
    indicator: str = Field("", description="Indicator code, e.g. NSP_COVERAGE.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")
    period: str = Field("", description="2019, 2019Q1, 201901 or 2019-01.")
    disaggregation: str = Field(
        "", description="sex=female;age=<25, or total for totals; empty for all."
    )


class ErrorOut(Schema):
    detail: str


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicator_out(indicator: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=indicator.code,
        kind=indicator.kind,
        name=indicator.name,
        names=indicator.names,
        unit=indicator.unit,
        numerator=indicator.numerator.code if indicator.numerator else None,
        denominator=indicator.denominator.code if indicator.denominator else None,
        factor=float(indicator.factor),
        low_below=_number(indicator.low_below),
        high_above=_number(indicator.high_above),
        target=_number(indicator.target),
        source=indicator.source_note,
    )


def _value_out(value: DataValue) -> ValueOut:
    return ValueOut(
        indicator=value.indicator.code,
        country=value.country.iso2,
        period=value.period,
        period_kind=value.period_kind,
        disaggregation=value.disaggregation,
        source=value.source,
        value=None if value.value is None else float(value.value),
        is_unknown=value.is_unknown,
        band=value.band,
        comment=value.comment,
    )


@router.get(
    "/indicators",
    response=list[IndicatorOut],
    auth=OPTIONAL_AUTH,
    operation_id="hrnet_evidence_api_indicators",
)
def indicators(request: HttpRequest) -> list[IndicatorOut]:
    """The indicator catalogue with bands and targets."""
    return [
        _indicator_out(indicator) for indicator in value_selectors.indicator_list(user=request.user)
    ]


@router.get(
    "/values",
    response={200: list[ValueOut], 400: ErrorOut},
    auth=OPTIONAL_AUTH,
    operation_id="hrnet_evidence_api_values",
)
def values(request: HttpRequest, filters: Query[ValueFiltersIn]) -> Status | list[ValueOut]:
    """Values filtered by indicator, country, period and disaggregation (at most 5000)."""
    period = ""
    if filters.period.strip():
        try:
            period, _kind = period_parse(filters.period)
        except ValueError:
            return Status(400, {"detail": _("Write a period as 2019, 2019Q1, 201901 or 2019-01.")})
    disaggregation = None
    if filters.disaggregation.strip():
        try:
            disaggregation = disaggregation_parse(filters.disaggregation)
        except ValueError:
            return Status(
                400, {"detail": _("Write a disaggregation as sex=female;age=<25 or total.")}
            )
    found = value_selectors.value_list(
        user=request.user,
        filters=value_selectors.ValueFilters(
            indicator=filters.indicator.strip(),
            country=filters.country.strip(),
            period=period,
            disaggregation=disaggregation,
        ),
    )
    return [_value_out(value) for value in found[:MAX_VALUES]]
