from django.contrib import admin

from hrnet.core.admin import AuditedAdmin
from hrnet.geo.models import Country, CountryAlias, SubRegion
from hrnet.geo.policies import country_alias_policy, country_policy, subregion_policy


class CountryAliasInline(admin.TabularInline):
    model = CountryAlias
    extra = 1
    fields = ("name",)


@admin.register(SubRegion)
class SubRegionAdmin(AuditedAdmin):
    policy = subregion_policy
    list_display = ("code", "__str__", "position")


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    policy = country_policy
    list_display = ("iso2", "iso3", "__str__", "subregion")
    list_filter = ("subregion",)
    search_fields = ("iso2", "iso3", "names", "aliases__name")
    inlines = (CountryAliasInline,)


@admin.register(CountryAlias)
class CountryAliasAdmin(AuditedAdmin):
    policy = country_alias_policy
    list_display = ("name", "country")
    search_fields = ("name",)
