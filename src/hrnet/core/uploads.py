"""The one check of uploaded files (library resources, assistance attachments and
deliverables, rights evidence): the type is decided from the bytes, never from the name or
the browser's word. PDF by its header, the macro-free Office Open XML formats (DOCX, XLSX,
PPTX) by their [Content_Types].xml, JPEG and PNG images by decoding them whole (as
`hrnet.core.images` does); macro-carrying Office files are refused; and the size limit.
Each use says which kinds it accepts (`kinds=`, the documents by default)."""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

# [Content_Types].xml is small; a larger one is not an Office document we want to read.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    extension: str
    content_type: str
    label: str | Promise
    # The main part's content type in [Content_Types].xml, and the folder holding it.
    main_part_type: str = ""
    folder: str = ""
    # Pillow's name of an image format.
    image_format: str = ""


PDF = FileKind("pdf", "pdf", "application/pdf", gettext_lazy("PDF document"))
DOCX = FileKind(
    "docx",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    gettext_lazy("Word document (DOCX)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/",
)
XLSX = FileKind(
    "xlsx",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("Excel workbook (XLSX)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "xl/",
)
PPTX = FileKind(
    "pptx",
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    gettext_lazy("PowerPoint presentation (PPTX)"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "ppt/",
)
JPEG = FileKind("jpeg", "jpg", "image/jpeg", gettext_lazy("a JPEG image"), image_format="JPEG")
PNG = FileKind("png", "png", "image/png", gettext_lazy("a PNG image"), image_format="PNG")
# The documents: what the library and assistance accept.
KINDS = (PDF, DOCX, XLSX, PPTX)
IMAGE_KINDS = (JPEG, PNG)
KINDS_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
ACCEPT = ",".join(f".{kind.extension}" for kind in KINDS)

# Office main parts we recognise but refuse: they can carry macros, or are templates.
_REFUSED_OFFICE_PARTS: dict[str, Any] = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": gettext_lazy(
        "a Word document with macros (DOCM)"
    ),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": gettext_lazy(
        "a Word template with macros (DOTM)"
    ),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (
        gettext_lazy("a Word template (DOTX)")
    ),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": gettext_lazy(
        "an Excel workbook with macros (XLSM)"
    ),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": gettext_lazy(
        "an Excel template with macros (XLTM)"
    ),
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": gettext_lazy(
        "a binary Excel workbook (XLSB)"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": (
        gettext_lazy("an Excel template (XLTX)")
    ),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": gettext_lazy(
        "a PowerPoint presentation with macros (PPTM)"
    ),
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": gettext_lazy(
        "a PowerPoint slide show with macros (PPSM)"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": (
        gettext_lazy("a PowerPoint slide show (PPSX)")
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": (
        gettext_lazy("a PowerPoint template (POTX)")
    ),
}

# What a refused file looks like, by its first bytes, to tell the user what they sent.
_SIGNATURES: tuple[tuple[bytes, Any], ...] = (
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("an old Microsoft Office file")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf", gettext_lazy("a 7-Zip archive")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
)


IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff")


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed: what it is, as found in its bytes."""

    kind: FileKind
    original_name: str
    size: int
    sha256: str


class RefusedFile(Exception):
    """The bytes are not an accepted type; `found` says what they are."""

    def __init__(self, found: Any) -> None:
        super().__init__(str(found))
        self.found = found


def clean_file_name(name: str) -> str:
    """The name to show and to offer on download: no folders, no control characters."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        path = PurePath(name)
        name = path.stem[: 200 - len(path.suffix)] + path.suffix
    return name or "file"


def _describe(head: bytes) -> Any:
    for signature, found in _SIGNATURES:
        if head.startswith(signature):
            return found
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<script", b"<head", b"<body", b"<svg")):
        return gettext_lazy("an HTML page")
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return gettext_lazy("an XML or HTML document")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return gettext_lazy("a file of an unknown type")
    return gettext_lazy("a text file")


def _office_kind(handle: IO[bytes]) -> FileKind:
    """The Office Open XML kind of a ZIP file, from its [Content_Types].xml."""
    try:
        archive = zipfile.ZipFile(handle)
        names = set(archive.namelist())
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > CONTENT_TYPES_MAX_BYTES:
            raise RefusedFile(gettext_lazy("a ZIP archive"))
        with archive.open(info) as part:
            root = ElementTree.fromstring(part.read(CONTENT_TYPES_MAX_BYTES + 1))
    except KeyError as exc:  # no [Content_Types].xml: a plain ZIP archive
        raise RefusedFile(gettext_lazy("a ZIP archive")) from exc
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError) as exc:
        raise RefusedFile(gettext_lazy("a damaged ZIP archive")) from exc
    except Exception as exc:  # defusedxml refuses entities and DTDs with its own errors
        raise RefusedFile(gettext_lazy("a damaged ZIP archive")) from exc
    part_types = {
        element.get("ContentType", "")
        for element in root
        if element.tag.endswith("}Override") or element.tag == "Override"
    }
    for part_type, found in _REFUSED_OFFICE_PARTS.items():
        if part_type in part_types:
            raise RefusedFile(found)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RefusedFile(gettext_lazy("an Office file with macros"))
    for kind in (DOCX, XLSX, PPTX):
        if kind.main_part_type in part_types and any(n.startswith(kind.folder) for n in names):
            return kind
    raise RefusedFile(gettext_lazy("a ZIP archive"))


def _image_kind(handle: IO[bytes]) -> FileKind | None:
    """The image kind of a file that decodes whole as a JPEG or PNG; None otherwise."""
    handle.seek(0)
    try:
        with Image.open(handle) as image:
            image_format = image.format or ""
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        handle.seek(0)
    return next((kind for kind in IMAGE_KINDS if kind.image_format == image_format), None)


def sniff(handle: IO[bytes], *, kinds: Sequence[FileKind] = KINDS) -> FileKind:
    """The kind of the file in `handle`, among `kinds`, read from its bytes; raises
    RefusedFile saying what it is otherwise. Leaves the handle at its start."""
    handle.seek(0)
    head = handle.read(2048)
    handle.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            kind = PDF
        elif head.startswith(b"PK\x03\x04"):
            kind = _office_kind(handle)
        else:
            images_accepted = bool(set(kinds) & set(IMAGE_KINDS))
            image = _image_kind(handle) if images_accepted else None
            if image is None:
                if images_accepted and head.startswith(IMAGE_SIGNATURES):
                    # It starts like an image but does not decode as one.
                    raise RefusedFile(gettext_lazy("a file of an unknown type"))
                raise RefusedFile(_describe(head))
            kind = image
        if kind not in kinds:
            raise RefusedFile(kind.label)
        return kind
    finally:
        handle.seek(0)


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def max_upload_bytes() -> int:
    return int(settings.HRNET_LIBRARY_MAX_UPLOAD_MB) * 1024 * 1024


def upload_check(
    upload: Any,
    *,
    kinds: Sequence[FileKind] = KINDS,
    max_bytes: int | None = None,
    refused: str | None = None,
    match_extension: bool = True,
) -> CheckedUpload:
    """Accept `upload` (a Django UploadedFile) or raise ValidationError saying why not:
    the type found in its bytes (one of `kinds`), its size against `max_bytes` (the
    library's HRNET_LIBRARY_MAX_UPLOAD_MB by default) and, with `match_extension`, its
    name's extension against its type. `refused` is the message for a type not accepted,
    with %(name)s and %(found)s."""
    name = clean_file_name(upload.name or "")
    size = int(upload.size or 0)
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    try:
        kind = sniff(upload, kinds=kinds)
    except RefusedFile as refusal:
        message = refused or _(
            "“%(name)s” is %(found)s. Only PDF, DOCX, XLSX and PPTX files are accepted "
            "(without macros)."
        )
        raise ValidationError(
            message % {"name": name, "found": refusal.found}, code="forbidden_type"
        ) from refusal
    extension = PurePath(name).suffix.lower().lstrip(".")
    if match_extension and extension != kind.extension:
        values = {"name": name, "extension": extension, "found": kind.label}
        values["expected"] = kind.extension
        if extension:
            message = _(
                "“%(name)s” is named as a .%(extension)s file, but its content is: "
                "%(found)s. Rename it to .%(expected)s or upload the right file."
            )
        else:
            message = _(
                "“%(name)s” has no extension, but its content is: %(found)s. Rename it to "
                ".%(expected)s."
            )
        raise ValidationError(message % values, code="mismatch")
    return CheckedUpload(kind=kind, original_name=name, size=size, sha256=_sha256(upload))
