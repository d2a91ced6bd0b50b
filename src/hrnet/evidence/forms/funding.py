"""Forms of the funding pages: the analysis filters, the scenario, and the secretariat's
editors of funding records, exchange rates and need estimates. They check shape; the
services (`evidence.services.funding`) check meaning."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.evidence.models import (
    MONEY_DIGITS,
    MONEY_PLACES,
    FundingRecord,
    FundingSource,
    NeedEstimate,
    ProgrammeArea,
)
from hrnet.evidence.selectors.funding import Projection
from hrnet.evidence.services.funding import USD, FundingIn, NeedIn, RateIn
from hrnet.geo.models import Country, SubRegion

YEAR_MIN, YEAR_MAX = 1990, 2100


def _year_field(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=YEAR_MIN, max_value=YEAR_MAX, required=required
    )


def _countries() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("position", "iso2")
    )


class RegionForm(forms.Form):
    """GET filters of the regional table; a value that does not fit is ignored."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    subregion = forms.ModelChoiceField(
        label=_("Sub-region"),
        queryset=SubRegion.objects.all(),
        required=False,
        empty_label=_("All countries"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (year, str(year)) for year in reversed(years)
        ]


class CountryRangeForm(forms.Form):
    year_from = _year_field(_("From year"), required=False)
    year_to = _year_field(_("To year"), required=False)


class ScenarioForm(forms.Form):
    source = forms.ChoiceField(label=_("Funding source withdrawn"), choices=FundingSource.choices)
    from_year = _year_field(_("From year"))


class RecordFilterForm(forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("position", "iso2"),
        required=False,
        to_field_name="iso2",
        empty_label=_("All"),
    )
    year = _year_field(_("Year"), required=False)
    source = forms.ChoiceField(
        label=_("Funding source"), choices=[("", _("All")), *FundingSource.choices], required=False
    )


def _money_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, min_value=0
    )


class FundingRecordForm(forms.Form):
    country = _countries()
    year = _year_field(_("Year"))
    source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    programme_area = forms.ChoiceField(label=_("Programme area"), choices=ProgrammeArea.choices)
    amount = _money_field(_("Amount"))
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial=USD,
        help_text=_("ISO code such as USD, EUR, UAH; other than US dollars needs a stored rate."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=300, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, record: FundingRecord | None = None, **kwargs: Any) -> None:
        if record is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "country": record.country,
                    "year": record.year,
                    "source": record.source,
                    "programme_area": record.programme_area,
                    "amount": record.amount,
                    "currency": record.currency,
                    "reference": record.reference,
                    "comment": record.comment,
                },
            )
        super().__init__(*args, **kwargs)

    def to_data(self) -> FundingIn:
        data = self.cleaned_data
        return FundingIn(
            country=data["country"],
            year=data["year"],
            source=data["source"],
            programme_area=data["programme_area"],
            amount=data["amount"],
            currency=data["currency"],
            reference=data["reference"],
            comment=data["comment"],
        )


class ExchangeRateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3)
    year = _year_field(_("Year"))
    usd_per_unit = forms.DecimalField(
        label=_("US dollars per unit"), max_digits=20, decimal_places=10, min_value=0
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def to_data(self) -> RateIn:
        data = self.cleaned_data
        return RateIn(
            currency=data["currency"],
            year=data["year"],
            usd_per_unit=data["usd_per_unit"],
            source=data["source"],
        )


class NeedEstimateForm(forms.Form):
    country = _countries()
    year = _year_field(_("Year"))
    programme_area = forms.ChoiceField(
        label=_("Programme area"),
        choices=[("", _("Every area")), *ProgrammeArea.choices],
        required=False,
    )
    amount = _money_field(_("Amount"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial=USD)
    reference = forms.CharField(label=_("Reference"), max_length=300, required=False)

    def __init__(self, *args: Any, need: NeedEstimate | None = None, **kwargs: Any) -> None:
        if need is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "country": need.country,
                    "year": need.year,
                    "programme_area": need.programme_area,
                    "amount": need.amount,
                    "currency": need.currency,
                    "reference": need.reference,
                },
            )
        super().__init__(*args, **kwargs)

    def to_data(self) -> NeedIn:
        data = self.cleaned_data
        return NeedIn(
            country=data["country"],
            year=data["year"],
            programme_area=data["programme_area"],
            amount=data["amount"],
            currency=data["currency"],
            reference=data["reference"],
        )


class ProjectionForm(ScenarioForm):
    """The scenario's fields and how years after the records are funded."""

    to_year = forms.IntegerField(
        label=_("Last year to project"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        help_text=_("Leave empty to stop at the last year with funding records."),
    )
    projection = forms.ChoiceField(
        label=_("Years after the records"),
        choices=Projection.choices,
        initial=Projection.FLAT,
        required=False,
    )
    growth_rate = forms.DecimalField(
        label=_("Growth rate, percent a year"),
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text=_("With “Growth rate”: e.g. 5 or -10."),
    )
