"""The search page: one box over news and resources, with facets. htmx swaps only the
results when the query or a facet changes; without JavaScript it is a plain GET form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from hrnet.core.htmx import is_htmx_fragment
from hrnet.search import selectors
from hrnet.search.forms import SearchForm

FACET_NAMES = ("kind", "language", "issue_area", "country", "year")


def _url(params: dict[str, Any]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse("search:search") + (f"?{query}" if query else "")


def _facet_titles() -> dict[str, str]:
    return {
        "kind": _("Type"),
        "language": _("Language"),
        "issue_area": _("Issue area"),
        "country": _("Country"),
        "year": _("Year"),
    }


def _facet_groups(results: selectors.SearchResults, params: dict[str, Any]) -> list[dict]:
    """Each facet with its values and the URL that selects each (or, if chosen, drops it)."""
    titles = _facet_titles()
    return [
        {
            "name": name,
            "title": titles[name],
            "links": [
                {
                    "value": value,
                    "url": _url(
                        {**params, name: "" if value.selected else value.value, "page": ""}
                    ),
                }
                for value in results.facets.get(name, [])
            ],
        }
        for name in FACET_NAMES
    ]


def _chosen(results: selectors.SearchResults, params: dict[str, Any]) -> list[dict]:
    titles = _facet_titles()
    chosen = []
    for name in FACET_NAMES:
        if not params.get(name):
            continue
        selected = [v.label for v in results.facets.get(name, []) if v.selected]
        chosen.append(
            {
                "label": titles[name],
                "value_label": selected[0] if selected else params[name],
                "url": _url({**params, name: "", "page": ""}),
            }
        )
    return chosen


@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    filters = form.filters()
    q = form.value("q")
    results = selectors.search(
        user=request.user,
        q=q,
        filters=filters,
        sort=form.value("sort"),
        page=request.GET.get("page") or 1,
    )
    params: dict[str, Any] = {"q": q, **filters.as_params()}
    if form.value("sort"):
        params["sort"] = results.sort
    page = results.page
    context = {
        "form": form,
        "results": results,
        "facet_groups": _facet_groups(results, params),
        "chosen": _chosen(results, params),
        "sort_newest_url": _url({**params, "sort": selectors.NEWEST}),
        "sort_relevance_url": _url({**params, "sort": selectors.RELEVANCE}),
        "previous_url": _url({**params, "page": page.previous_page_number()})
        if page.has_previous()
        else "",
        "next_url": _url({**params, "page": page.next_page_number()}) if page.has_next() else "",
    }
    template = (
        "search/partials/search_results.html" if is_htmx_fragment(request) else "search/search.html"
    )
    return render(request, template, context)
