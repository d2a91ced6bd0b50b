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
# Sums of site values into countries and of months into quarters and years.
AGGREGATED_SOURCE = "aggregated"
DERIVED_SOURCES = frozenset({COMPUTED_SOURCE, AGGREGATED_SOURCE})
MONEY_DIGITS = 18
MONEY_PLACES = 2


class NamedByCode:
    """A record with a `code` and `names` per language: its `name` in the language of the
    request, and as str() that name or, without one, the code."""

    code: str
    names: dict[str, str]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def name(self) -> str:
        return localized(self.names)


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Category(NamedByCode, TimeStampedModel):
    """One way of splitting a value (sex, age group, key population, setting) with its
    options, as a DHIS2 category: `options` is a list of {"code", "names": {lang: name}}."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    names = models.JSONField(_("names"), default=dict)
    options = models.JSONField(_("options"), default=list)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("disaggregation category")
        verbose_name_plural = _("disaggregation categories")

    @property
    def option_codes(self) -> list[str]:
        return [str(option.get("code", "")) for option in self.options]


class CategorySet(NamedByCode, TimeStampedModel):
    """The categories a value may be split by together (sex x age group), reused by many
    indicators, as a DHIS2 category combo."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    names = models.JSONField(_("names"), default=dict)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), related_name="category_sets"
    )

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("disaggregation set")
        verbose_name_plural = _("disaggregation sets")


class Indicator(NamedByCode, TimeStampedModel):
    class Kind(models.TextChoices):
        DATA = "data", _("Reported value")
        COMPUTED = "computed", _("Computed")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum (counts of the period)")
        LAST = "last", _("Latest in the period (counts on a date, such as sites)")
        AVERAGE = "average", _("Average")
        NONE = "none", _("Not aggregated (estimates, rates, distinct people)")

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
    aggregation = models.CharField(
        _("aggregation"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("How months add up to quarters and years, and sites to countries."),
    )
    category_set = models.ForeignKey(
        CategorySet,
        verbose_name=_("disaggregations"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    source_note = models.TextField(_("source"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

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
    """One value per indicator, place (a country, or a site in it), period, disaggregation
    and source. A site's value carries the site's country too, so country filters find it.

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
    site = models.ForeignKey(
        "outreach.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="values",
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
            # NULLs are distinct in a unique index, so country and site values each get
            # their own partial one.
            models.UniqueConstraint(
                fields=["indicator", "country", "period", "disaggregation_key", "source"],
                condition=models.Q(site__isnull=True),
                name="evidence_value_unique_key",
            ),
            models.UniqueConstraint(
                fields=["indicator", "site", "period", "disaggregation_key", "source"],
                condition=models.Q(site__isnull=False),
                name="evidence_site_value_unique_key",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["country", "period"]),
            models.Index(fields=["indicator", "period_kind", "period"]),
        ]

    def __str__(self) -> str:
        place = f"site {self.site_id}" if self.site_id else self.country_id
        return f"{self.indicator_id} {place} {self.period} {self.source}"

    @property
    def is_derived(self) -> bool:
        return self.source in DERIVED_SOURCES

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


class FundingSource(models.TextChoices):
    GLOBAL_FUND = "global_fund", _("Global Fund")
    DOMESTIC_PUBLIC = "domestic_public", _("Domestic public")
    PEPFAR = "pepfar", _("PEPFAR")
    OTHER_BILATERAL = "other_bilateral", _("Other bilateral")
    PRIVATE = "private", _("Private and philanthropic")
    OTHER = "other", _("Other")


class ProgrammeArea(models.TextChoices):
    NSP = "nsp", _("Needle and syringe programmes")
    OST = "ost", _("Opioid agonist therapy")
    NALOXONE = "naloxone", _("Naloxone")
    HIV_TESTING = "hiv_testing", _("HIV testing")
    HCV = "hcv", _("Hepatitis C")
    COMMUNITY_SYSTEMS = "community_systems", _("Community systems")
    ADVOCACY = "advocacy", _("Advocacy")
    OTHER = "other", _("Other")


class ExchangeRate(TimeStampedModel):
    """What one unit of a currency was worth in US dollars in a year (yearly average)."""

    currency = models.CharField(_("currency"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    usd_per_unit = models.DecimalField(_("US dollars per unit"), max_digits=20, decimal_places=10)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["currency", "year"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["currency", "year"], name="evidence_rate_unique"),
            models.CheckConstraint(
                condition=models.Q(usd_per_unit__gt=0), name="evidence_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.year}: {self.usd_per_unit}"


class FundingRecord(TimeStampedModel):
    """Money spent (or committed) on harm reduction in a country and year, by source and
    programme area; `amount_usd` is converted at the year's stored rate when written."""

    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    programme_area = models.CharField(
        _("programme area"), max_length=20, choices=ProgrammeArea.choices
    )
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    amount_usd = models.DecimalField(
        _("amount in US dollars"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["country", "year", "source", "programme_area"]
        verbose_name = _("funding record")
        verbose_name_plural = _("funding records")
        indexes: ClassVar = [models.Index(fields=["country", "year"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="evidence_funding_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year} {self.source} {self.programme_area}"


class NeedEstimate(TimeStampedModel):
    """The money a country's harm reduction response needs in a year (all areas when
    `programme_area` is blank), from a costing or investment case."""

    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    programme_area = models.CharField(
        _("programme area"), max_length=20, choices=ProgrammeArea.choices, blank=True
    )
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    amount_usd = models.DecimalField(
        _("amount in US dollars"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    reference = models.CharField(_("reference"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["country", "year", "programme_area"]
        verbose_name = _("resource need estimate")
        verbose_name_plural = _("resource need estimates")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["country", "year", "programme_area"], name="evidence_need_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year} {self.programme_area or 'all'}"


class Dhis2Mapping(TimeStampedModel):
    """One DHIS2 identifier (UID, and its code for idScheme=CODE) and what it means here: a
    data element is an indicator, a category option combo a disaggregation, an org unit a
    country or a site, an attribute option combo (a funding mechanism) a source."""

    class Kind(models.TextChoices):
        DATA_ELEMENT = "data_element", _("Data element")
        CATEGORY_OPTION_COMBO = "category_option_combo", _("Category option combo")
        ATTRIBUTE_OPTION_COMBO = "attribute_option_combo", _("Attribute option combo")
        ORG_UNIT = "org_unit", _("Organisation unit")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    dhis2_id = models.CharField(_("DHIS2 UID or code"), max_length=64)
    code = models.CharField(_("DHIS2 code"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    disaggregation_key = models.CharField(max_length=255, blank=True, editable=False)
    country = models.ForeignKey(
        "geo.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    site = models.ForeignKey(
        "outreach.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["kind", "dhis2_id"]
        verbose_name = _("DHIS2 mapping")
        verbose_name_plural = _("DHIS2 mappings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "dhis2_id"], name="evidence_dhis2_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.dhis2_id}"


class Dhis2ValueRecord(models.Model):
    """What DHIS2 said about a value it sent, kept to be given back on export: the data
    set, who stored it and when (DHIS2's times, not the import's), the follow-up flag."""

    data_value = models.OneToOneField(
        DataValue, on_delete=models.CASCADE, related_name="dhis2", primary_key=True
    )
    data_set = models.CharField(_("data set"), max_length=64, blank=True, db_index=True)
    stored_by = models.CharField(_("stored by"), max_length=255, blank=True)
    created = models.DateTimeField(_("created in DHIS2"), null=True, blank=True)
    last_updated = models.DateTimeField(_("last updated in DHIS2"), null=True, blank=True)
    complete_date = models.DateField(_("complete date"), null=True, blank=True)
    followup = models.BooleanField(_("follow-up"), default=False)
    # The value's own updated_at when this record was written: a later change here wins.
    value_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("DHIS2 value record")
        verbose_name_plural = _("DHIS2 value records")

    def __str__(self) -> str:
        return f"DHIS2 {self.data_set or '-'} {self.data_value_id}"


class ReportingForm(NamedByCode, TimeStampedModel):
    """A periodic form the network asks member programmes to fill for each of their sites
    (site x month): which data elements, their checks, and the deadline."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    names = models.JSONField(_("names"), default=dict)
    source = models.CharField(_("source of the values"), max_length=100, default="programme data")
    deadline_days = models.PositiveSmallIntegerField(
        _("days after the month to report"),
        default=15,
        help_text=_("After this, the form is locked unless the secretariat reopens it."),
    )
    first_period = models.CharField(
        _("first month"), max_length=7, help_text=_("For example 2025-01.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("reporting form")
        verbose_name_plural = _("reporting forms")


class ReportingFormField(models.Model):
    form = models.ForeignKey(
        ReportingForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="fields"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("data element"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )

    class Meta:
        ordering: ClassVar = ["form", "position", "pk"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["form", "indicator"], name="evidence_form_field_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form_id}: {self.indicator_id}"


class FormSubmission(TimeStampedModel):
    """The state of one form for one site and month: the values themselves are data values
    of the site and month with the form's source."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    form = models.ForeignKey(
        ReportingForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="submissions"
    )
    site = models.ForeignKey(
        "outreach.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="form_submissions",
    )
    period = models.CharField(_("month"), max_length=7)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopened_until = models.DateField(
        _("reopened until"),
        null=True,
        blank=True,
        help_text=_("The secretariat's override of the deadline."),
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["form", "site", "-period"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["form", "site", "period"], name="evidence_submission_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.site_id} {self.period}"
