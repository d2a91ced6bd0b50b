"""Error reports and log lines never carry client data or rights cases.

A client's code (UIC) may sit in a service-delivery address (`/api/v1/outreach/clients/
<uic>`), in a form or a JSON body, or in a local variable of any frame. For requests to
those paths the error report drops the request data and every frame's variables (the code
lines stay, enough to find the bug); log lines have the code in such an address replaced.
Requests to the rights cases (their narratives, the public intake) are treated the same.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest
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
