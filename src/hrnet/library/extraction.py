"""Text of library files for the search: PDF through pypdf, DOCX, XLSX and PPTX from their
XML parts (parsed with defusedxml). Every reader stops at MAX_CHARS, and reads at most
MAX_PART_BYTES of any one part of an Office file, so a hostile file cannot exhaust memory."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from defusedxml import ElementTree
from pypdf import PdfReader

MAX_CHARS = 1_000_000
MAX_PART_BYTES = 50 * 1024 * 1024

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


class ExtractionError(Exception):
    """The file could not be read; the message says why."""


def _capped(pieces: Iterator[str], limit: int = MAX_CHARS) -> str:
    parts: list[str] = []
    total = 0
    for piece in pieces:
        if not piece:
            continue
        parts.append(piece)
        total += len(piece) + 1
        if total >= limit:
            break
    return "\n".join(parts)[:limit]


def _pdf_texts(data: bytes) -> Iterator[str]:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ExtractionError("the PDF is encrypted")
    for page in reader.pages:
        yield page.extract_text() or ""


def _part_xml(archive: zipfile.ZipFile, name: str) -> io.BytesIO:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ExtractionError(f"{name} is too large to read")
    with archive.open(info) as part:
        return io.BytesIO(part.read(MAX_PART_BYTES + 1))


def _xml_texts(stream: io.BytesIO, text_tag: str, paragraph_tag: str) -> Iterator[str]:
    """The text of `text_tag` elements, one string per `paragraph_tag`."""
    line: list[str] = []
    for event, element in ElementTree.iterparse(stream, events=("end",)):
        if event != "end":
            continue
        if element.tag == text_tag:
            line.append(element.text or "")
        elif element.tag == paragraph_tag:
            yield "".join(line)
            line = []
            element.clear()
    if line:
        yield "".join(line)


def _natural(name: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _docx_texts(archive: zipfile.ZipFile) -> Iterator[str]:
    yield from _xml_texts(_part_xml(archive, "word/document.xml"), f"{W_NS}t", f"{W_NS}p")


def _xlsx_texts(archive: zipfile.ZipFile) -> Iterator[str]:
    if "xl/sharedStrings.xml" in archive.namelist():
        yield from _xml_texts(_part_xml(archive, "xl/sharedStrings.xml"), f"{S_NS}t", f"{S_NS}si")


def _pptx_texts(archive: zipfile.ZipFile) -> Iterator[str]:
    slides = sorted(
        (n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
        key=_natural,
    )
    for name in slides:
        yield from _xml_texts(_part_xml(archive, name), f"{A_NS}t", f"{A_NS}p")


_OFFICE_READERS = {"docx": _docx_texts, "xlsx": _xlsx_texts, "pptx": _pptx_texts}


def text_extract(data: bytes, kind: str) -> str:
    """The text of a file of `kind` ("pdf", "docx", "xlsx", "pptx"), at most MAX_CHARS.
    Raises ExtractionError when the file cannot be read."""
    try:
        if kind == "pdf":
            return _capped(_pdf_texts(data))
        reader = _OFFICE_READERS.get(kind)
        if reader is None:
            raise ExtractionError(f"no text reader for {kind}")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _capped(reader(archive))
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf, zipfile and the XML parser raise many kinds
        raise ExtractionError(f"{type(exc).__name__}: {exc}"[:400]) from exc
