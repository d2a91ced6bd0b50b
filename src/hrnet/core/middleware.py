"""Guards at the edge of every request: bodies over the size limit are refused before
anything reads them, an API address with a NUL character is refused (no database column
can hold one), and a lost database answers 503 (JSON under /api/) instead of a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hrnet.core.errors import (
    database_is_unavailable,
    is_api_request,
    nul_character_response,
    too_large_response,
    unavailable_response,
)

MB = 1024 * 1024


def request_size_limit(request: HttpRequest) -> int:
    """The most bytes this request's body may have: little for anonymous callers (the
    public forms take no files), more with a session cookie or an Authorization header.
    Neither is checked here (that needs the database); a forged cookie only reaches the
    larger limit, and the view still asks who is calling."""
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES or bool(
        request.headers.get("Authorization")
    )
    megabytes = (
        settings.HRNET_MAX_REQUEST_MB if signed_in else settings.HRNET_ANONYMOUS_MAX_REQUEST_MB
    )
    return int(megabytes) * MB


def content_length(request: HttpRequest) -> int:
    # Django reads no more than Content-Length, and nothing without it (a chunked body).
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def has_nul_character(request: HttpRequest) -> bool:
    """A NUL in an API address or query parameter (%00), which PostgreSQL refuses in text:
    a filter holding one would end in a server error wherever it reaches a query. (Pages
    read their parameters through forms, which drop such values and still answer.)"""
    if not is_api_request(request):
        return False
    return "\x00" in request.path_info or any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class RequestLimitsMiddleware:
    """413 when Content-Length is over the caller's limit, without reading the body; 400
    for a NUL character in an API address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_size_limit(request)
        if content_length(request) > limit:
            return too_large_response(request, limit=limit)
        if has_nul_character(request):
            return nul_character_response(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view (or the API's authentication) that lost the database answers 503 with
    Retry-After. Errors raised inside other middleware reach `errors.server_error`
    (handler500), which answers the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_is_unavailable(exception):
            return unavailable_response(request, exception)
        return None
