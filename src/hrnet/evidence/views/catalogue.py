"""Pages of the indicator catalogue with its bands, and one indicator's values by country
and period with the band written out (readable without colour)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from hrnet.evidence.models import Indicator
from hrnet.evidence.selectors import values as value_selectors

VALUES_PER_PAGE = 50


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = value_selectors.indicator_list(user=request.user)
    return render(request, "evidence/indicator_list.html", {"indicators": indicators})


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        indicator = value_selectors.indicator_get(user=request.user, code=code)
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    values = value_selectors.value_list(
        user=request.user, filters=value_selectors.ValueFilters(indicator=indicator.code)
    )
    page = Paginator(values, VALUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evidence/indicator_detail.html", {"indicator": indicator, "page": page})


urlpatterns = [
    path("indicators/", indicator_list, name="indicator_list"),
    path("indicators/<str:code>/", indicator_detail, name="indicator_detail"),
]
