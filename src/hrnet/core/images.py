"""Checking uploaded pictures (logos, news photos) by decoding them, not by their name, and
storing them without the metadata a camera or phone writes into them."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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


# What a picture may carry besides its pixels: where and when it was taken, the camera or
# phone, the author, editing software, free-text comments.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc")
JPEG_QUALITY = 90


def image_has_metadata(content: Any) -> bool:
    """True when the picture carries EXIF, XMP, IPTC, comments or PNG text chunks."""
    content.seek(0)
    try:
        with Image.open(content) as image:
            text_chunks = getattr(image, "text", None)
            return bool(
                image.getexif() or text_chunks or any(key in image.info for key in METADATA_KEYS)
            )
    finally:
        content.seek(0)


def image_without_metadata(upload: Any, *, name: str) -> ContentFile:
    """The picture redrawn from its pixels only, in its own format: a phone photo's EXIF
    carries where it was taken, which must not reach other readers. A photo taken on its
    side is turned upright first (the EXIF orientation goes with the rest); the colour
    profile stays. Call it after `image_check` (or the upload checker) has accepted the
    file."""
    upload.seek(0)
    with Image.open(upload) as opened:
        opened.load()
        image_format = opened.format
        icc_profile = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened) or opened
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        palette = image.getpalette() if image.mode == "P" else None
        if palette:
            clean.putpalette(palette)
        if image.mode == "P" and "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
        options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
        if image_format == "JPEG" or image_format == "WEBP":
            options["quality"] = JPEG_QUALITY
        if "transparency" in clean.info:
            options["transparency"] = clean.info["transparency"]
        output = io.BytesIO()
        clean.save(output, format=image_format, **options)
    upload.seek(0)
    return ContentFile(output.getvalue(), name=name)


def stored_image_strip(field_file: Any) -> bool:
    """Rewrite a stored picture (an ImageField's file) without its metadata, under the same
    name, so earlier audit entries naming it stay true. Pictures without metadata, missing
    files and files that are not pictures are left alone. True when the file was rewritten."""
    if not field_file:
        return False
    storage, name = field_file.storage, field_file.name
    try:
        with storage.open(name, "rb") as stored:
            content = io.BytesIO(stored.read())
        if not image_has_metadata(content):
            return False
        clean = image_without_metadata(content, name=name)
    except (FileNotFoundError, UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    storage.delete(name)
    saved = storage.save(name, clean)
    if saved != name:  # a storage that would not reuse the name: point the record at the file
        type(field_file.instance)._default_manager.filter(pk=field_file.instance.pk).update(
            **{field_file.field.attname: saved}
        )
    return True


def model_images_strip(model: type[models.Model]) -> int:
    """Strip the pictures of every ImageField of `model` (also a migration's historical
    model); returns how many files were rewritten."""
    fields = [field for field in model._meta.get_fields() if isinstance(field, models.ImageField)]
    rewritten = 0
    for field in fields:
        rows = model._default_manager.exclude(**{field.name: ""}).exclude(
            **{f"{field.name}__isnull": True}
        )
        for row in rows.iterator(chunk_size=200):
            rewritten += stored_image_strip(getattr(row, field.name))
    return rewritten
