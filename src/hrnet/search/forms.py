from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.search.selectors import NEWEST, RELEVANCE, SearchFilters


class SearchForm(forms.Form):
    """The query and the facets chosen. Never invalid as a whole: a value that makes no
    sense (a year that is not a number) is ignored, the rest still searches."""

    q = forms.CharField(label=_("Search news and resources"), required=False, strip=True)
    kind = forms.CharField(required=False)
    language = forms.CharField(required=False)
    issue_area = forms.CharField(required=False)
    country = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(RELEVANCE, _("Best match")), (NEWEST, _("Newest first"))],
    )

    def value(self, name: str) -> str:
        data = getattr(self, "cleaned_data", {})
        value = data.get(name)
        return "" if value is None else str(value)

    def filters(self) -> SearchFilters:
        self.is_valid()
        year = self.cleaned_data.get("year") if "year" in self.cleaned_data else None
        return SearchFilters(
            kind=self.value("kind")[:40],
            language=self.value("language")[:10],
            issue_area=self.value("issue_area")[:40],
            country=self.value("country")[:2],
            year=year,
        )
