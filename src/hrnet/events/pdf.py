"""The certificate of attendance as a one-page PDF (fpdf2, the vendored DejaVu Sans for
Cyrillic), in the holder's language, with the code and the address that verify it."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from hrnet.core.i18n import localized
from hrnet.core.links import site_url
from hrnet.core.selectors import network_get
from hrnet.events.models import Certificate, Event
from hrnet.library.pdfgen import FONT


def certificate_verify_url(certificate: Certificate, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("events:after_certificate_verify", kwargs={"code": certificate.code})
    return site_url(path)


def event_dates(event: Event) -> str:
    """The event's dates in the organisers' time zone, in the active language."""
    try:
        zone = ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    start = timezone.localtime(event.starts_at, zone).date()
    end = timezone.localtime(event.ends_at, zone).date()
    first = formats.date_format(start, "DATE_FORMAT")
    if start == end:
        return first
    return f"{first} – {formats.date_format(end, 'DATE_FORMAT')}"


def certificate_pdf(certificate: Certificate) -> bytes:
    registration = certificate.registration
    event = registration.event
    language = registration.language or settings.LANGUAGE_CODE
    network_name = localized(network_get().names, language)
    sessions = event.sessions.count()
    with translation.override(language):
        heading = _("Certificate of attendance")
        lines = {
            "certify": _("This certifies that"),
            "attended": _("took part in")
            if sessions <= 1
            else ngettext(
                "took part in all %(count)s session of",
                "took part in all %(count)s sessions of",
                sessions,
            )
            % {"count": sessions},
            "dates": event_dates(event),
            "organiser": _("Organised by %(network)s") % {"network": network_name}
            if network_name
            else "",
            "issued": _("Issued on %(date)s")
            % {
                "date": formats.date_format(
                    timezone.localdate(certificate.issued_at), "DATE_FORMAT"
                )
            },
            "code": _("Verification code: %(code)s") % {"code": certificate.code},
            "verify": _("Check this certificate at %(url)s")
            % {"url": certificate_verify_url(certificate, language)},
        }

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"{heading}: {certificate.holder_name}")
    pdf.set_author(network_name or "hrnet")
    pdf.set_creator("hrnet")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_draw_color(40, 90, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def text(value: str, size: float, height: float, gap: float = 0) -> None:
        if not value:
            return
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(0, height, value, align="C", new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    pdf.set_y(28)
    text(network_name, 13, 7, 6)
    text(heading, 28, 14, 8)
    text(lines["certify"], 13, 7, 3)
    text(certificate.holder_name, 24, 12, 3)
    text(lines["attended"], 13, 7, 3)
    text(certificate.event_title, 18, 9, 4)
    text(lines["dates"], 13, 7, 2)
    text(lines["organiser"], 11, 6, 0)

    pdf.set_y(pdf.h - 45)
    text(lines["issued"], 10, 5, 1)
    text(lines["code"], 12, 6, 1)
    text(lines["verify"], 9, 5)
    return bytes(pdf.output())
