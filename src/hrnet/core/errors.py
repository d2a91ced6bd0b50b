"""Error reports and log lines never carry client data or rights cases; and the answers to
errors: JSON under /api/, 503 with Retry-After when the database is lost.

A client's code (UIC) may sit in a service-delivery address (`/api/v1/outreach/clients/
<uic>`), in a form or a JSON body, or in a local variable of any frame. For requests to
those paths the error report drops the request data and every frame's variables (the code
lines stay, enough to find the bug); log lines have the code in such an address replaced.
Requests to the rights cases (their narratives, the public intake) are treated the same.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.debug import ExceptionReporter

HIDDEN = "[hidden]"
# Addresses that carry or lead to client-level data (with or without a language prefix).
PRIVATE_PATH = re.compile(r"^(/[a-z]{2})?/(api/v1/outreach/|sites/|api/v1/rights/|rights/)")
CLIENT_CODE_IN_PATH = re.compile(r"(/api/v1/outreach/clients/)(?!lookup\b)[^/?\s\"]+")


def is_private_request(request: HttpRequest | None) -> bool:
    return request is not None and bool(PRIVATE_PATH.match(request.path))


def redact_client_codes(text: str) -> str:
    return CLIENT_CODE_IN_PATH.sub(rf"\g<1>{HIDDEN}", text)


class PrivateDataExceptionReporter(ExceptionReporter):
    """Django's error report (the email to ADMINS, the debug page) without client data."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if not is_private_request(self.request):
            return data
        data["request"] = None
        data["request_meta"] = {}
        data["request_GET_items"] = []
        data["request_FILES_items"] = []
        data["request_COOKIES_items"] = []
        data["filtered_POST_items"] = []
        data["settings"] = {}
        data["exception_value"] = HIDDEN
        for frame in data.get("frames", []):
            frame["vars"] = []
        return data


class ClientCodeFilter(logging.Filter):
    """Rewrites a log record whose message holds a client's address."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_client_codes(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


# --- answers to errors ------------------------------------------------------------------
# The API answers every error in JSON (`detail` in words, `code` for programs) so a phone
# can tell a retryable outage (503 + Retry-After) from a mistake in its request (4xx) or a
# bug (500); pages keep their HTML. Nothing here touches the database: these answers are
# also given while it is down.

RETRY_AFTER_SECONDS = 5
logger = logging.getLogger("hrnet.errors")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def database_is_unavailable(exc: BaseException | None) -> bool:
    """A lost or unreachable database (connection refused or dropped, server restarting,
    a statement cancelled), not a mistake in a query: worth retrying in a moment."""
    return isinstance(exc, OperationalError | InterfaceError)


def _request_language(request: HttpRequest) -> str:
    # From the address (/ru/...), the language cookie or the browser; never the account,
    # which would need the database.
    return translation.get_language_from_path(
        request.path_info
    ) or translation.get_language_from_request(request)


def api_error(status: int, detail: str, code: str, **extra: Any) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code, **extra}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def static_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """A page from a stand-alone template rendered without the request's context
    processors (the menu, the account), so it needs no database."""
    with translation.override(_request_language(request)):
        content = render_to_string(template, {"LANGUAGE_CODE": translation.get_language()})
    return HttpResponse(content, status=status, content_type="text/html; charset=utf-8")


def unavailable_response(request: HttpRequest, exc: BaseException | None = None) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, a static page elsewhere."""
    # One warning line per request instead of Django's error report (an email to the admins
    # for each request during an outage); monitoring watches /api/v1/health.
    logger.warning(
        "Database unavailable, answered 503: %s %s (%s)",
        request.method,
        redact_client_codes(request.path),
        type(exc).__name__ if exc else "unknown",
    )
    if is_api_request(request):
        with translation.override(_request_language(request)):
            response: HttpResponse = api_error(
                503,
                _("The service is temporarily unavailable. Try again in a few seconds."),
                "unavailable",
            )
    else:
        response = static_page(request, "503.html", 503)
        response["Cache-Control"] = "no-store"
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def too_large_response(request: HttpRequest, *, limit: int) -> HttpResponse:
    """413 for a body over the limit, before it is read."""
    with translation.override(_request_language(request)):
        if is_api_request(request):
            return api_error(
                413,
                _("The request is larger than %(limit)s, the most accepted here.")
                % {"limit": filesizeformat(limit)},
                "too_large",
                limit=limit,
            )
    return static_page(request, "413.html", 413)


def nul_character_response(request: HttpRequest) -> HttpResponse:
    with translation.override(_request_language(request)):
        return api_error(
            400, _("The address holds a NUL character, which no field accepts."), "bad_request"
        )


# Django's error handlers (hrnet.urls: handler400, handler403, handler404, handler500).


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    with translation.override(_request_language(request)):
        if isinstance(exception, RequestDataTooBig):
            return api_error(
                413, _("The request's form data is too large to be read."), "too_large"
            )
        if isinstance(exception, MultiPartParserError):
            detail = _(
                "The request body could not be read as multipart form data; check its "
                "Content-Type (a boundary is required) and its parts."
            )
        else:
            detail = _("The request could not be read.")
        return api_error(400, detail, "bad_request")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    with translation.override(_request_language(request)):
        return api_error(403, _("You may not do this."), "forbidden")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    with translation.override(_request_language(request)):
        return api_error(404, _("Not found."), "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 for a bug; 503 when the error was a lost database (an exception raised in a
    middleware, e.g. reading the session, reaches Django's handler, not process_exception)."""
    exc = sys.exc_info()[1]
    if database_is_unavailable(exc):
        return unavailable_response(request, exc)
    if not is_api_request(request):
        return defaults.server_error(request)
    with translation.override(_request_language(request)):
        return api_error(
            500, _("Something went wrong on the server. The error has been logged."), "server_error"
        )
