"""Upload checks: the type comes from the bytes; refusals say what was found, or the size
against the limit. No database needed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hrnet.core.uploads import DOCX, PDF, PPTX, XLSX, clean_file_name, upload_check
from hrnet.library.tests.factories import docx_bytes, pdf_bytes, pptx_bytes, upload, xlsx_bytes


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        upload_check(upload(name, data))
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("guidance.pdf", pdf_bytes("Naloxone"), PDF),
        ("Report.PDF", pdf_bytes("Naloxone"), PDF),
        ("notes.docx", docx_bytes("Naloxone"), DOCX),
        ("figures.xlsx", xlsx_bytes("Naloxone"), XLSX),
        ("slides.pptx", pptx_bytes("Naloxone"), PPTX),
    ],
)
def test_accepted_files_are_recognised_from_their_bytes(name, data, kind):
    # the browser's claimed type is ignored: the bytes decide
    checked = upload_check(upload(name, data, content_type="text/html"))

    assert checked.kind == kind
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


def test_an_html_page_renamed_pdf_is_refused_saying_what_it_is():
    message = _refusal("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")

    assert "report.pdf" in message
    assert "HTML page" in message
    assert "Only PDF, DOCX, XLSX and PPTX" in message


def test_a_program_renamed_pdf_is_refused():
    message = _refusal("report.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    assert "Windows program" in message


def test_a_zip_archive_that_is_not_an_office_document_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert "ZIP archive" in _refusal("notes.docx", buffer.getvalue())


def test_a_macro_enabled_word_document_is_refused_even_named_docx():
    data = docx_bytes(
        "Hello", content_type="application/vnd.ms-word.document.macroEnabled.main+xml"
    )

    assert "with macros (DOCM)" in _refusal("notes.docx", data)


def test_an_office_file_carrying_a_vba_project_is_refused():
    data = docx_bytes("Hello", extra={"word/vbaProject.bin": b"\x00\x01"})

    assert "macros" in _refusal("notes.docx", data)


def test_a_mismatch_between_name_and_bytes_is_refused():
    message = _refusal("notes.docx", pdf_bytes("Naloxone"))

    assert "named as a .docx file" in message
    assert "PDF document" in message
    assert ".pdf" in message


def test_a_file_without_extension_is_refused():
    assert "no extension" in _refusal("guidance", pdf_bytes("Naloxone"))


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(settings):
    settings.HRNET_LIBRARY_MAX_UPLOAD_MB = 1
    data = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)

    message = _refusal("big.pdf", data).replace("\xa0", " ")

    assert "big.pdf" in message
    assert "is 3.0 MB" in message
    assert "at most 1.0 MB" in message


def test_an_empty_file_is_refused():
    assert "empty" in _refusal("empty.pdf", b"")


def test_file_names_lose_folders_and_control_characters():
    assert clean_file_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_file_name("C:\\Users\\me\\report\x00.pdf") == "report.pdf"
    assert clean_file_name("") == "file"
