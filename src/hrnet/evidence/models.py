"""Indicators (the catalogue), data values per country, period, disaggregation and source,
and the history of values a later one replaced."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized
from hrnet.core.models import TaskProgress, TimeStampedModel

VALUE_DIGITS = 20
VALUE_PLACES = 4
COMPUTED_SOURCE = "computed"


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Indicator(TimeStampedModel):
    class Kind(models.TextChoices):
        DATA = "data", _("Reported value")
        COMPUTED = "computed", _("Computed")

    code = models.CharField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DATA)
    names = models.JSONField(_("names"), default=dict)
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="numerator_of",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="denominator_of",
    )
    factor = models.DecimalField(
        _("factor"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, default=Decimal(1)
    )
    low_below = models.DecimalField(
        _("low below"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    high_above = models.DecimalField(
        _("high above"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    source_note = models.TextField(_("source"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def name(self) -> str:
        return localized(self.names)

    @property
    def has_bands(self) -> bool:
        return self.low_below is not None or self.high_above is not None

    def band(self, value: Decimal | int | float | None) -> str | None:
        """The coverage band of `value`: below `low_below` is low, above `high_above` is
        high, anything else (the edges included) is medium; None without bands or value."""
        if value is None or not self.has_bands:
            return None
        number = Decimal(str(value))
        if self.low_below is not None and number < self.low_below:
            return Band.LOW
        if self.high_above is not None and number > self.high_above:
            return Band.HIGH
        return Band.MEDIUM


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class DataValue(TimeStampedModel):
    """One value per indicator, country, period, disaggregation and source.

    `disaggregation_key` is the canonical text of `disaggregation` (sorted `name=value`
    pairs joined by `;`, empty for the total): the unique key compares it, because JSON
    equality differs between SQLite and PostgreSQL.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    period_kind = models.CharField(_("period kind"), max_length=8, choices=PeriodKind.choices)
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    disaggregation_key = models.CharField(max_length=255, blank=True, editable=False)
    source = models.CharField(_("source"), max_length=100)
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    is_unknown = models.BooleanField(_("not known"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_job = models.ForeignKey(
        TaskProgress,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["indicator", "country", "period", "disaggregation_key", "source"]
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["indicator", "country", "period", "disaggregation_key", "source"],
                name="evidence_value_unique_key",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["country", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.country_id} {self.period} {self.source}"

    @property
    def band(self) -> str | None:
        return None if self.is_unknown else self.indicator.band(self.value)

    @property
    def band_label(self) -> str:
        band = self.band
        return str(Band(band).label) if band else ""


class DataValueHistory(models.Model):
    """A value as it was before a later one for the same key replaced it."""

    data_value = models.ForeignKey(
        DataValue, on_delete=models.CASCADE, related_name="history", verbose_name=_("data value")
    )
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    is_unknown = models.BooleanField(_("not known"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"))
    import_job = models.ForeignKey(
        TaskProgress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_at = models.DateTimeField(_("replaced"))

    class Meta:
        ordering: ClassVar = ["data_value", "-replaced_at", "-pk"]
        verbose_name = _("replaced value")
        verbose_name_plural = _("replaced values")

    def __str__(self) -> str:
        return f"{self.data_value_id} @ {self.replaced_at:%Y-%m-%d}"
