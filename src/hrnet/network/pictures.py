"""Pictures the network's pages show (partner logos, team photos): an upload is checked
with the form's other fields and stored only once they are all valid; a picture needs its
description for people who cannot see it."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile

from hrnet.core import images


def picture_check(
    *,
    picture: FieldFile,
    upload: UploadedFile | None,
    clear: bool,
    alt: str,
    field: str,
    max_bytes: int,
    max_pixels: int,
    alt_missing: str,
    errors: dict[str, list[str]],
) -> str:
    """Check `upload` for `picture` (its errors under `field`), or forget the stored file
    when `clear` and nothing is uploaded (the file stays in storage: the audit log names
    it). A picture without its description `alt` gets `alt_missing` under `<field>_alt`.
    Returns the upload's file extension for `picture_store` ("" without an upload)."""
    extension = ""
    if upload is not None:
        try:
            extension = images.image_check(
                upload, field=field, max_bytes=max_bytes, max_pixels=max_pixels
            )
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.message_dict[field])
    elif clear:
        picture.name = ""
    if (upload is not None or picture) and not alt:
        errors.setdefault(f"{field}_alt", []).append(alt_missing)
    return extension


def picture_store(*, picture: FieldFile, upload: UploadedFile | None, extension: str) -> None:
    """Store `upload` under a random name; called once everything else is valid, so a
    refused form leaves no file."""
    if upload is not None:
        name = f"{uuid.uuid4().hex}.{extension}"
        # Stored without EXIF/GPS: a phone photo says where it was taken.
        picture.save(name, images.image_without_metadata(upload, name=name), save=False)
