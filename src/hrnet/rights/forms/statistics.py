"""The filters of the public statistics: country, year and what to group by."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.rights.selectors.statistics import (
    GROUP_BY_CHOICES,
    statistics_countries,
    statistics_years,
)


class StatisticsFilterForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Group by"), required=False, choices=GROUP_BY_CHOICES.items()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = cast(forms.ChoiceField, self.fields["country"])
        year_field = cast(forms.ChoiceField, self.fields["year"])
        country_field.choices = [
            ("", _("All countries")),
            *((country.iso2, country.name) for country in statistics_countries()),
        ]
        year_field.choices = [
            ("", _("All years")),
            *((str(year), str(year)) for year in statistics_years()),
        ]
