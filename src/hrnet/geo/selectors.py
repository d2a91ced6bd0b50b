"""Reads of geography, and the one country lookup every import and form uses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from hrnet.geo.models import Country, CountryAlias, SubRegion, normalize_name


def subregion_list_with_countries() -> list[SubRegion]:
    countries = Country.objects.order_by("position", "iso2")
    return list(SubRegion.objects.prefetch_related(Prefetch("countries", queryset=countries)))


def subregion_get(*, code: str) -> SubRegion:
    """The sub-region by its code, in any case; SubRegion.DoesNotExist otherwise."""
    countries = Country.objects.order_by("position", "iso2")
    return SubRegion.objects.prefetch_related(Prefetch("countries", queryset=countries)).get(
        code__iexact=code
    )


def country_list() -> QuerySet[Country]:
    return Country.objects.select_related("subregion")


def country_get(*, iso2: str) -> Country:
    return country_list().get(iso2__iexact=iso2)


class CountryIndex:
    """Every way of naming a country, normalised, mapped to the country.

    Build it once and resolve many names (an import of thousands of rows makes two
    queries, not thousands).
    """

    def __init__(self) -> None:
        self._by_key: dict[str, Country] = {}
        countries = list(country_list())
        by_id = {country.pk: country for country in countries}
        for country in countries:
            self._by_key[normalize_name(country.iso2)] = country
            self._by_key[normalize_name(country.iso3)] = country
            for name in country.names.values():
                if name:
                    self._by_key.setdefault(normalize_name(name), country)
        for alias in CountryAlias.objects.only("key", "country_id"):
            self._by_key.setdefault(alias.key, by_id[alias.country_id])

    def resolve(self, query: str) -> Country:
        """The country named by an ISO2/ISO3 code, a name in any language or an alias.

        Raises ValidationError naming the query when nothing matches.
        """
        country = self._by_key.get(normalize_name(query or ""))
        if country is None:
            raise ValidationError(
                _("Unknown country “%(name)s”: use an ISO code, a country name or a known alias."),
                code="unknown_country",
                params={"name": query},
            )
        return country


def country_resolve(query: str) -> Country:
    return CountryIndex().resolve(query)
