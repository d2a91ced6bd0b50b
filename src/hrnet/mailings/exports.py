"""A segment's recipients as a CSV or XLSX file (name, email, language, organisation),
written by the kernel's one export writer (formula guard on every text cell)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hrnet.core.exports import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes
from hrnet.mailings.selectors import RecipientIn

FORMATS = ("csv", "xlsx")


def recipients_file(recipients: list[RecipientIn], *, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and its content type."""
    header = [_("Name"), _("Email address"), _("Language"), _("Organisation")]
    rows = [[r.name, r.email, r.language, r.organisation] for r in recipients]
    if fmt == "csv":
        return csv_bytes(header, rows), CSV_TYPE
    return xlsx_bytes([(str(_("Recipients")), header, rows)]), XLSX_TYPE
