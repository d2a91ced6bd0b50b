"""Small PDF documents written with fpdf2 and the vendored DejaVu Sans (it has Cyrillic):
the demo's resource files, and real PDFs for the tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fpdf import FPDF

FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"


def pdf_build(*, title: str, paragraphs: Iterable[str], author: str = "") -> bytes:
    """A one-or-more page A4 PDF with `title` as a heading and the paragraphs below."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creator("hrnet")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", size=16)
    pdf.multi_cell(0, 9, title, align="L")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, align="L")
        pdf.ln(3)
    return bytes(pdf.output())
