"""Pages of the indicator catalogue with its bands, and one indicator's values by country
and period with the band written out (readable without colour)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from hrnet.evidence import selectors
from hrnet.evidence.models import Indicator


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = selectors.indicator_list(user=request.user)
    return render(request, "evidence/indicator_list.html", {"indicators": indicators})


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        indicator = selectors.indicator_get(user=request.user, code=code)
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    values = selectors.value_list(
        user=request.user, filters=selectors.ValueFilters(indicator=indicator.code)
    )
    return render(
        request, "evidence/indicator_detail.html", {"indicator": indicator, "values": values}
    )


urlpatterns = [
    path("indicators/", indicator_list, name="indicator_list"),
    path("indicators/<str:code>/", indicator_detail, name="indicator_detail"),
]
