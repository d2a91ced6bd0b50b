"""General assemblies: agenda with documents, resolutions and their votes, minutes,
published results.

(PLACEHOLDER: being written.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def assembly_new(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assembly(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assembly_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def resolution_new(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def resolution(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def resolution_vote(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def assembly_publish(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
