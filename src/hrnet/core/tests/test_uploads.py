"""core.uploads: images are judged by decoding them, documents by their structure, and each
use says which kinds it accepts."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hrnet.core import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIDENCE = (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.DOCX)
REFUSED = "“%(name)s” is %(found)s. Only evidence."


def image_bytes(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format=image_format)
    return out.getvalue()


def check(name: str, data: bytes, **options):
    return uploads.upload_check(SimpleUploadedFile(name, data), **options)


def refusal(name: str, data: bytes, **options) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, data, **options)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.jpg", image_bytes("JPEG"), uploads.JPEG),
        ("photo.png", image_bytes("PNG"), uploads.PNG),
        ("report.pdf", PDF, uploads.PDF),
    ],
)
def test_images_that_decode_are_accepted_where_images_are(name, data, kind):
    checked = check(name, data, kinds=EVIDENCE, match_extension=False, refused=REFUSED)

    assert checked.kind == kind
    assert checked.size == len(data)


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"\xff\xd8\xff\xe0" + b"\x00" * 40],
)
def test_an_image_is_not_judged_by_its_first_bytes(data):
    assert refusal("photo.png", data, kinds=EVIDENCE, refused=REFUSED) == (
        "“photo.png” is a file of an unknown type. Only evidence."
    )


def test_a_truncated_image_is_refused():
    out = io.BytesIO()
    Image.effect_noise((64, 64), 50).save(out, format="PNG")
    data = out.getvalue()[: len(out.getvalue()) // 2]
    assert "a file of an unknown type" in refusal(
        "photo.png", data, kinds=EVIDENCE, refused=REFUSED
    )


def test_images_are_refused_where_only_documents_are():
    message = refusal("photo.png", image_bytes("PNG"))

    assert message.startswith("“photo.png” is a PNG image. Only PDF, DOCX, XLSX and PPTX")


def test_a_kind_outside_the_accepted_ones_is_named():
    assert refusal("report.pdf", PDF, kinds=(uploads.PNG,), refused=REFUSED) == (
        "“report.pdf” is PDF document. Only evidence."
    )


def test_the_size_limit_is_per_use():
    assert "may be at most" in refusal("report.pdf", PDF, max_bytes=10)
    assert check("report.pdf", PDF, max_bytes=len(PDF)).kind == uploads.PDF
