"""A segment's recipients as a CSV or XLSX file (name, email, language, organisation),
with the kernel's formula guard on every text cell."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from hrnet.core.exports import CSV_TYPE, spreadsheet_safe
from hrnet.mailings.selectors import RecipientIn

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def recipients_file(recipients: list[RecipientIn], *, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and its content type."""
    header = [_("Name"), _("Email address"), _("Language"), _("Organisation")]
    rows = [
        [spreadsheet_safe(v) for v in (r.name, r.email, r.language, r.organisation)]
        for r in recipients
    ]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig"), CSV_TYPE
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Recipients"))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue(), XLSX_TYPE
