"""Geography is public reference data that the secretariat edits and imports."""

from hrnet.core.policies import PublicReadPolicy
from hrnet.geo.models import Country, CountryAlias, SubRegion


class CountryPolicy(PublicReadPolicy):
    model = Country


class SubRegionPolicy(PublicReadPolicy):
    model = SubRegion


class CountryAliasPolicy(PublicReadPolicy):
    model = CountryAlias


country_policy = CountryPolicy()
subregion_policy = SubRegionPolicy()
country_alias_policy = CountryAliasPolicy()
