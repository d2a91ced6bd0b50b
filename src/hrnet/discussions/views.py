"""PLACEHOLDER: pages of the discussions (being written)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def flag_queue(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def settings_page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def group_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def group_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def mention_suggest(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unsubscribe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def category(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def thread_new(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def category_watch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def thread(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def thread_reply(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def thread_watch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def thread_moderate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def post(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def post_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def post_history(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def post_flag(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def post_moderate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def post_translate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def attachment(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
