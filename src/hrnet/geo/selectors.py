"""Reads of geography, and the one country lookup every import and form uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
                _("Unknown country “%(name)s”: use an ISO code, a country name or a known alias.")
                % {"name": query},
                code="unknown_country",
                params={"name": query},
            )
        return country


def country_resolve(query: str) -> Country:
    return CountryIndex().resolve(query)


# --- a sub-region's page ----------------------------------------------------------------


@dataclass
class MapShape:
    iso2: str
    name: str
    d: str
    url: str = ""  # the sub-region's own countries link to their page
    highlighted: bool = False


@dataclass
class SubregionMap:
    view_box: str
    context: str
    shapes: list[MapShape] = field(default_factory=list)


def subregion_map(*, subregion: SubRegion) -> SubregionMap:
    """The network's countries from the vendored shapes, the sub-region's highlighted and
    linked to their country pages (drawn last, so their outlines lie on top)."""
    from hrnet.members.selectors.directory import map_shapes

    shapes = map_shapes()
    own = {country.iso2 for country in subregion.countries.all()}
    drawn = [
        MapShape(
            iso2=country.iso2,
            name=country.name,
            d=shapes["countries"][country.iso2]["d"],
            url=reverse("geo:country_detail", args=[country.iso2.lower()])
            if country.iso2 in own
            else "",
            highlighted=country.iso2 in own,
        )
        for country in Country.objects.all()
        if country.iso2 in shapes["countries"]
    ]
    drawn.sort(key=lambda shape: shape.highlighted)
    return SubregionMap(
        view_box=" ".join(str(v) for v in shapes["view_box"]),
        context=shapes["context"],
        shapes=drawn,
    )


@dataclass
class ModuleCount:
    label: Any
    count: int
    url: str


def subregion_module_counts(*, user: Any, subregion: SubRegion) -> list[ModuleCount]:
    """How many published news, resources, events and campaigns `user` may see name at
    least one of the sub-region's countries."""
    from hrnet.campaigns.models import Campaign
    from hrnet.campaigns.selectors import campaign_list
    from hrnet.events.models import Event
    from hrnet.events.selectors.calendar import visible_events
    from hrnet.library.selectors import resource_list
    from hrnet.news.policies import article_policy

    now = timezone.now()
    articles = article_policy.instances_user_has_permission_for(user, "list").filter(
        published_at__lte=now, countries__subregion=subregion
    )
    resources = resource_list(user=user).filter(countries__subregion=subregion)
    events = visible_events(user=user).filter(
        status=Event.Status.PUBLISHED, country__subregion=subregion
    )
    campaigns = (
        campaign_list(user=user)
        .exclude(status=Campaign.Status.DRAFT)
        .filter(countries__subregion=subregion)
    )
    return [
        ModuleCount(
            gettext_lazy("News"),
            articles.values("pk").distinct().count(),
            reverse("news:article_list"),
        ),
        ModuleCount(
            gettext_lazy("Library resources"),
            resources.values("pk").distinct().count(),
            reverse("library:resource_list"),
        ),
        ModuleCount(
            gettext_lazy("Events"),
            events.values("pk").distinct().count(),
            reverse("events:event_list"),
        ),
        ModuleCount(
            gettext_lazy("Advocacy campaigns"),
            campaigns.values("pk").distinct().count(),
            reverse("campaigns:campaign_list"),
        ),
    ]


def subregion_organisations(*, user: Any, subregion: SubRegion) -> QuerySet[Any]:
    """Member organisations of the sub-region, as the public member directory shows them
    to `user`."""
    from hrnet.members.selectors.directory import DirectoryFilters, directory_organisations

    return directory_organisations(
        user=user, filters=DirectoryFilters(subregion=subregion.code)
    ).select_related("country")
