"""Checking uploaded pictures (logos, news photos) by decoding them, not by their name."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def image_check(upload: UploadedFile, *, field: str, max_bytes: int, max_pixels: int) -> str:
    """The file extension for an upload that is really a PNG, JPEG or WebP image within the
    limits; a ValidationError naming `field` otherwise. The whole image is decoded, so a
    renamed or truncated file is refused too."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            {
                field: _("The image is %(size)s KB; it must be at most %(limit)s KB.")
                % {"size": (upload.size + 1023) // 1024, "limit": max_bytes // 1024}
            }
        )
    not_an_image = ValidationError(
        {field: _("“%(name)s” is not a PNG, JPEG or WebP image.") % {"name": upload.name}}
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or ""
            if image_format not in IMAGE_FORMATS:
                raise not_an_image
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    {
                        field: _(
                            "The image is %(width)s × %(height)s pixels; at most %(limit)s "
                            "megapixels are accepted."
                        )
                        % {"width": width, "height": height, "limit": max_pixels // 1_000_000}
                    }
                )
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    return IMAGE_FORMATS[image_format]


def image_without_metadata(upload: Any, *, name: str) -> ContentFile:
    """The picture redrawn from its pixels only, in its own format: a phone photo's EXIF
    carries where it was taken, which must not reach other readers. Call it after
    `image_check` (or the upload checker) has accepted the file."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        palette = image.getpalette() if image.mode == "P" else None
        if palette:
            clean.putpalette(palette)
        output = io.BytesIO()
        clean.save(output, format=image.format)
    return ContentFile(output.getvalue(), name=name)
