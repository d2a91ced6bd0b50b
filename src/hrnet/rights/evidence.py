"""What an evidence file of a rights case may be: PDF, JPEG, PNG or DOCX, at most 10 MB,
decided from its bytes, and where the encrypted files are kept in the private storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.core import uploads
from hrnet.core.uploads import DOCX, PDF

FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_FOLDER = "rights"


@dataclass(frozen=True)
class EvidenceKind:
    content_type: str
    extensions: tuple[str, ...]


JPEG = EvidenceKind("image/jpeg", ("jpg", "jpeg"))
PNG = EvidenceKind("image/png", ("png",))
EVIDENCE_PDF = EvidenceKind(PDF.content_type, ("pdf",))
EVIDENCE_DOCX = EvidenceKind(DOCX.content_type, ("docx",))
EXTENSIONS = {
    kind.content_type: kind.extensions for kind in (JPEG, PNG, EVIDENCE_PDF, EVIDENCE_DOCX)
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx"
EVIDENCE_KINDS = (uploads.PDF, uploads.JPEG, uploads.PNG, uploads.DOCX)
EVIDENCE_HELP = gettext_lazy("PDF, JPEG, PNG or DOCX, at most 10 MB.")


def evidence_check(upload: Any) -> tuple[str, str, bytes]:
    """(clean name, content type, bytes) of an accepted evidence file, decided from its
    bytes; ValidationError naming the file otherwise."""
    checked = uploads.upload_check(
        upload,
        kinds=EVIDENCE_KINDS,
        max_bytes=FILE_MAX_BYTES,
        refused=_(
            "“%(name)s” is %(found)s. Only PDF, JPEG, PNG and DOCX files are accepted as evidence."
        ),
        match_extension=False,
    )
    name, content_type = checked.original_name, checked.kind.content_type
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if len(data) > FILE_MAX_BYTES:  # the size the browser claimed was wrong
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(len(data)),
                "limit": filesizeformat(FILE_MAX_BYTES),
            },
            code="too_large",
        )
    return name, content_type, data
