"""Factories of indicators and values. Use the `geography` fixture first: countries come
from the reference data."""

from __future__ import annotations

from decimal import Decimal

import factory

from hrnet.evidence.models import DataValue, Indicator, PeriodKind
from hrnet.members.tests.factories import country


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND_{n}")
    kind = Indicator.Kind.DATA
    names = factory.Sequence(lambda n: {"en": f"Indicator {n}", "ru": f"Индикатор {n}"})
    unit = "people"
    is_public = True


class DataValueFactory(factory.django.DjangoModelFactory[DataValue]):
    class Meta:
        model = DataValue

    indicator = factory.SubFactory(IndicatorFactory)
    country = factory.LazyFunction(country)
    period = "2019"
    period_kind = PeriodKind.YEAR
    source = "UNAIDS GAM"
    value = Decimal(100)
