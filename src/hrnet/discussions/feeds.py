"""PLACEHOLDER: feeds (being written)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


class LatestThreadsFeed:
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise Http404


class CategoryFeed(LatestThreadsFeed):
    pass
