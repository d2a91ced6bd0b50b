"""The composed pages: the home page, the start page of a signed-in person (what waits for
them), and the sub-region and country pages that count what several apps know about a
place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.core.selectors import issue_area_list
from hrnet.geo.models import Country, SubRegion
from hrnet.geo.selectors import country_get, subregion_get, subregion_list_with_countries
from hrnet.members.selectors.counts import current_member_organisations, member_counts
from hrnet.portal import selectors
from hrnet.portal.work import work_sections


def home(request: HttpRequest) -> HttpResponse:
    subregions = subregion_list_with_countries()
    return render(
        request,
        "portal/home.html",
        {
            "subregions": subregions,
            "country_count": sum(len(s.countries.all()) for s in subregions),
            "issue_areas": issue_area_list(),
            "member_totals": member_counts(user=request.user),
            "news": selectors.home_news(user=request.user, language=get_language()),
            "events": selectors.home_events(user=request.user),
            "campaigns": selectors.home_campaigns(user=request.user),
            "resources": selectors.home_resources(user=request.user, language=get_language()),
            "highlight": selectors.home_evidence(user=request.user),
            "discussions": selectors.home_discussions(user=request.user),
            "zone_is_visitors": visitor_time_zone_known(request),
        },
    )


def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    try:
        country = country_get(iso2=iso2)
    except Country.DoesNotExist as exc:
        raise Http404 from exc
    organisations = current_member_organisations(user=request.user).filter(country=country)
    return render(
        request,
        "portal/country_detail.html",
        {
            "country": country,
            "aliases": country.aliases.all(),
            "organisations": organisations.order_by("name_key")[:20],
            "counts": member_counts(user=request.user, country=country.iso2),
        },
    )


def subregion_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        subregion = subregion_get(code=code)
    except SubRegion.DoesNotExist as exc:
        raise Http404 from exc
    organisations = selectors.subregion_organisations(user=request.user, subregion=subregion)
    return render(
        request,
        "portal/subregion_detail.html",
        {
            "subregion": subregion,
            "countries": list(subregion.countries.all()),
            "map": selectors.subregion_map(subregion=subregion),
            "organisations": organisations.order_by("country__position", "name_key")[:50],
            "counts": member_counts(user=request.user, subregion=subregion.code),
            "module_counts": selectors.subregion_module_counts(
                user=request.user, subregion=subregion
            ),
        },
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The start page: what waits for the signed-in person, a section per role."""
    sections = work_sections(user=request.user)
    return render(
        request,
        "portal/me.html",
        {
            "sections": sections,
            "waiting": sum(queue.count for section in sections for queue in section.queues),
        },
    )
