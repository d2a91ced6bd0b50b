"""Reads across apps for the composed pages: a sub-region's map, members and what the
modules know about its countries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hrnet.campaigns.models import Campaign, Signature
from hrnet.campaigns.selectors import campaign_list
from hrnet.core.types import Actor
from hrnet.discussions.models import Thread
from hrnet.discussions.selectors import latest_threads
from hrnet.events.models import Event
from hrnet.events.selectors.calendar import event_list, visible_events
from hrnet.evidence.models import Band
from hrnet.evidence.selectors.dashboards import regional_table, visible_indicators
from hrnet.geo.models import Country, SubRegion
from hrnet.library.models import Resource
from hrnet.library.selectors import ResourceFilters, resource_list
from hrnet.members.models import Organisation
from hrnet.members.selectors.directory import (
    DirectoryFilters,
    directory_organisations,
    map_shapes,
)
from hrnet.news.models import Article
from hrnet.news.policies import article_policy
from hrnet.news.selectors.articles import ArticleFilters, article_list


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


def subregion_module_counts(*, user: Actor, subregion: SubRegion) -> list[ModuleCount]:
    """How many published news, resources, events and campaigns `user` may see name at
    least one of the sub-region's countries."""
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


def subregion_organisations(*, user: Actor, subregion: SubRegion) -> QuerySet[Organisation]:
    """Member organisations of the sub-region, as the public member directory shows them
    to `user`."""
    return directory_organisations(
        user=user, filters=DirectoryFilters(subregion=subregion.code)
    ).select_related("country")


def home_news(*, user: Actor, language: str, limit: int = 3) -> list[Article]:
    """The newest published stories `user` may read, each once, in `language` when it has
    one (else in the language it was written in; the teaser marks it)."""
    articles = article_list(user=user, filters=ArticleFilters(prefer_language=language))
    return list(
        articles.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")[:limit]
    )


def home_events(*, user: Actor, limit: int = 3) -> list[Event]:
    """The next published events `user` may see, soonest first (drafts never, even for
    their organisers: the home page is the public face)."""
    return list(event_list(user=user).filter(status=Event.Status.PUBLISHED)[:limit])


def home_campaigns(*, user: Actor, limit: int = 3) -> list[Campaign]:
    """Active campaigns `user` may see, newest first, each with `signature_count`: the
    verified sign-ons the public sees (pending and rejected never count)."""
    campaigns = campaign_list(user=user).filter(status=Campaign.Status.ACTIVE)
    return list(
        campaigns.annotate(
            signature_count=Count(
                "signatures",
                filter=Q(signatures__status=Signature.Status.VERIFIED),
                distinct=True,
            )
        )[:limit]
    )


def home_resources(*, user: Actor, language: str, limit: int = 3) -> list[Resource]:
    """The latest published library resources `user` may see, each document once, in
    `language` when it has one."""
    return list(resource_list(user=user, filters=ResourceFilters(prefer_language=language))[:limit])


def home_discussions(*, user: Actor, limit: int = 4) -> list[Thread]:
    """The threads with the newest posts that `user` may read: public ones only for an
    anonymous visitor, members-only and their working groups' too for members."""
    return latest_threads(user=user, limit=limit)


# The home page's one regional figure: needles and syringes per person who injects drugs,
# the harm reduction coverage donors and ministries quote first (WHO/UNODC/UNAIDS bands).
HIGHLIGHT_CODE = "NSP_COVERAGE"
HIGHLIGHT_MIN_COUNTRIES = 3
HIGHLIGHT_YEARS = 10


@dataclass(frozen=True)
class EvidenceHighlight:
    label: str
    unit: str
    value: Decimal
    band: str | None
    band_label: str
    year: int
    countries: int
    sources: list[str]
    url: str


def home_evidence(*, user: Actor) -> EvidenceHighlight | None:
    """The region's coverage for `user`: distributed needles and syringes summed over the
    countries that report both them and a size estimate, divided by the people who inject
    drugs in those countries, for the latest year at least three countries report. None
    when the indicator is hidden from `user` or no year has enough countries."""
    found = visible_indicators(user=user, codes=[HIGHLIGHT_CODE])
    if not found:
        return None
    indicator = found[0]
    if indicator.numerator is None or indicator.denominator is None:
        return None
    numerator, denominator = indicator.numerator.code, indicator.denominator.code
    year_to = timezone.localdate().year
    table = regional_table(
        user=user,
        indicators=[numerator, denominator],
        year_from=year_to - HIGHLIGHT_YEARS,
        year_to=year_to,
    )
    if len(table.indicators) < 2:
        return None
    for year in sorted(table.years, reverse=True):
        pairs = []
        for country in table.countries:
            top = table.cell(numerator, country.iso2, year)
            bottom = table.cell(denominator, country.iso2, year)
            if top and bottom and top.value is not None and bottom.value:
                pairs.append((top, bottom))
        if len(pairs) < HIGHLIGHT_MIN_COUNTRIES:
            continue
        value = (
            sum((top.value or Decimal(0) for top, _ in pairs), Decimal(0))
            / sum((bottom.value or Decimal(0) for _, bottom in pairs), Decimal(0))
            * (indicator.factor or 1)
        ).quantize(Decimal(1))
        band = indicator.band(value)
        sources = sorted({cell.source_label for pair in pairs for cell in pair})
        return EvidenceHighlight(
            label=indicator.name,
            unit=indicator.unit,
            value=value,
            band=band,
            band_label=str(Band(band).label) if band else "",
            year=year,
            countries=len(pairs),
            sources=sources,
            url=f"{reverse('evidence:overview')}?indicator={indicator.code}&year={year}",
        )
    return None
