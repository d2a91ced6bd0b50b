"""CSV and XLSX exports of the assistance report tables and of the request list, written by
the kernel's one export writer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.selectors import Report, dimension_labels
from hrnet.core.exports import CSV_TYPE as CSV_TYPE  # the views name them through here
from hrnet.core.exports import XLSX_TYPE as XLSX_TYPE
from hrnet.core.exports import csv_bytes, xlsx_bytes

Table = tuple[list[str], list[list[Any]]]


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def report_tables(report: Report) -> dict[str, Table]:
    labels = dimension_labels()
    header_tail = [
        _("Requests"),
        _("Delivered"),
        _("Days logged"),
        _("Mean days from submission to delivery"),
        _("Median days from submission to delivery"),
        _("Ratings"),
        _("Mean rating (1 to 5)"),
    ]
    tables: dict[str, Table] = {}
    for name, rows in report.tables.items():
        tables[name] = (
            [labels[name], *header_tail],
            [
                [
                    row.label,
                    row.requests,
                    row.delivered,
                    float(row.days),
                    _blank(row.mean_days_to_delivery),
                    _blank(row.median_days_to_delivery),
                    len(row.ratings),
                    _blank(row.mean_rating),
                ]
                for row in rows
            ],
        )
    filters = report.filters
    tables["summary"] = (
        [_("Measure"), _("Value")],
        [
            [_("Submitted from"), filters.date_from.isoformat() if filters.date_from else ""],
            [_("Submitted until"), filters.date_to.isoformat() if filters.date_to else ""],
            [_("Country"), filters.country],
            [_("Requests"), report.total],
            [_("Delivered"), report.delivered],
            [_("Days logged"), float(report.days)],
            [_("Mean days from submission to delivery"), _blank(report.mean_days_to_delivery)],
            [
                _("Median days from submission to delivery"),
                _blank(report.median_days_to_delivery),
            ],
            [_("Ratings"), report.ratings],
            [_("Mean rating (1 to 5)"), _blank(report.mean_rating)],
        ],
    )
    return tables


def request_rows(requests: Iterable[AssistanceRequest]) -> Table:
    header = [
        "id", "title", "organisation", "country", "kind", "issue_area", "urgency", "status",
        "experts", "submitted", "due_date", "delivered", "days", "rating",
    ]  # fmt: skip
    rows = []
    for request in requests:
        rows.append(
            [
                request.pk,
                request.title,
                str(request.organisation),
                request.country.iso2,
                request.kind,
                request.issue_area.code,
                request.urgency,
                request.status,
                "; ".join(expert.name for expert in request.experts.all()),
                request.created_at.date().isoformat(),
                request.due_date.isoformat() if request.due_date else "",
                request.delivered_at.date().isoformat() if request.delivered_at else "",
                float(getattr(request, "days_logged", 0) or 0),
                request.rating or "",
            ]
        )
    return header, rows


def to_csv(table: Table) -> bytes:
    header, rows = table
    return csv_bytes(header, rows)


def to_xlsx(tables: dict[str, Table]) -> bytes:
    return xlsx_bytes((name, header, rows) for name, (header, rows) in tables.items())
