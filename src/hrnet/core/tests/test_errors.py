"""Error reports and log lines never carry a client's code."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.test import RequestFactory
from django.views.debug import get_exception_reporter_class

from hrnet.core.errors import ClientCodeFilter

# Built, not written out: the report shows source lines around the failing one.
UIC = "".join(["M1985", "AN", "IV"])


def _report(path: str) -> str:
    request = RequestFactory().post(path, {"uic": UIC})
    try:
        uic = UIC  # a local variable of the failing frame, as in the services
        raise ValueError(f"no client {uic}")
    except ValueError:
        reporter_class: Any = get_exception_reporter_class(request)
        reporter = reporter_class(request, *sys.exc_info())
        return reporter.get_traceback_text() + reporter.get_traceback_html()


def test_an_error_on_a_service_delivery_address_reports_no_client_data():
    report = _report(f"/api/v1/outreach/clients/{UIC}")

    assert UIC not in report
    assert "ValueError" in report  # still enough to find the bug


def test_an_error_on_a_rights_case_reports_no_request_data():
    assert UIC not in _report("/ru/rights/report/")


def test_other_errors_keep_their_full_report():
    assert UIC in _report("/en/news/")


def test_a_log_line_with_a_client_address_is_redacted():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s",
        (f"/api/v1/outreach/clients/{UIC}",), None,
    )  # fmt: skip

    ClientCodeFilter().filter(record)

    assert record.getMessage() == "Not Found: /api/v1/outreach/clients/[hidden]"
    assert UIC not in record.getMessage()
