"""Factories of the resource library, and builders of real files (PDF, DOCX, XLSX, PPTX
and things that pretend to be them) for the upload and extraction tests."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hrnet.core.uploads import DOCX, PDF, PPTX, XLSX
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.pdfgen import pdf_build


class ResourceFactory(factory.django.DjangoModelFactory[Resource]):
    """A published public resource; pass `status`/`visibility` for others."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    type = Resource.Type.GUIDANCE
    title = factory.Sequence(lambda n: f"Harm reduction guidance {n}")
    summary = "What services for people who use drugs should offer."
    description = "Needle and syringe programmes, **opioid agonist therapy**, naloxone."
    language = "en"
    publication_date = factory.LazyFunction(lambda: date(2024, 5, 1))
    visibility = Resource.Visibility.PUBLIC
    status = Resource.Status.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Resource.Status.PUBLISHED else None
    )

    @factory.post_generation
    def issue_areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.issue_areas.set(extracted)

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(extracted)


class ResourceFileFactory(factory.django.DjangoModelFactory[ResourceFile]):
    class Meta:
        model = ResourceFile

    resource = factory.SubFactory(ResourceFactory)
    original_name = "guidance.pdf"
    content_type = PDF.content_type
    size = factory.LazyAttribute(lambda o: o.file.size)
    sha256 = "0" * 64
    extraction_status = ResourceFile.Extraction.DONE
    file = factory.LazyFunction(
        lambda: ContentFile(
            pdf_build(title="Guidance", paragraphs=["Naloxone saves lives."]), "g.pdf"
        )
    )


# --- files ----------------------------------------------------------------------------

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/{part}" ContentType="{content_type}"/>
</Types>"""

_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def _ooxml(part: str, content_type: str, xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", _CONTENT_TYPES.format(part=part, content_type=content_type)
        )
        archive.writestr("_rels/.rels", _RELS.format(part=part))
        archive.writestr(part, xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(*paragraphs: str, content_type: str = DOCX.main_part_type, **kw: Any) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return _ooxml("word/document.xml", content_type, xml, **kw)


def xlsx_bytes(*strings: str) -> bytes:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{items}</sst>"
    )
    workbook = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    return _ooxml(
        "xl/workbook.xml",
        XLSX.main_part_type,
        workbook,
        extra={"xl/sharedStrings.xml": shared.encode()},
    )


def pptx_bytes(*texts: str) -> bytes:
    paragraphs = "".join(f"<a:p><a:r><a:t>{t}</a:t></a:r></a:p>" for t in texts)
    slide = (
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"<p:cSld><p:spTree><p:sp><p:txBody>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld>"
        "</p:sld>"
    )
    presentation = (
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    )
    return _ooxml(
        "ppt/presentation.xml",
        PPTX.main_part_type,
        presentation,
        extra={"ppt/slides/slide1.xml": slide.encode()},
    )


def pdf_bytes(*paragraphs: str, title: str = "Guidance") -> bytes:
    return pdf_build(title=title, paragraphs=paragraphs)


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """An upload as the browser sends it; `content_type` is the browser's claim, ignored."""
    return SimpleUploadedFile(name, data, content_type=content_type)
