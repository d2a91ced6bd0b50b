"""Encryption at rest of what identifies or describes a person in a rights case (the
narrative, the person's description, contact details, evidence files).

Keys come from the environment only: `HRNET_RIGHTS_KEYS`, a comma-separated list of
Fernet keys (the first encrypts, all decrypt), so a copy of the database or of the media
folder alone reveals nothing. `hrnet rights_rotate_keys` re-encrypts everything with the
first key after a new one is put in front. In the demo and tests a key is derived from
SECRET_KEY when none is set; with DEBUG off, a missing setting makes encrypting and
decrypting raise instead.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=1)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def configured_keys() -> tuple[str, ...]:
    keys = tuple(key.strip() for key in settings.HRNET_RIGHTS_KEYS if key.strip())
    if keys:
        return keys
    if not settings.DEBUG:
        raise ImproperlyConfigured("HRNET_RIGHTS_KEYS must be set when DEBUG is off.")
    # Demo and tests only (settings require HRNET_RIGHTS_KEYS when DEBUG is off).
    derived = hashlib.sha256(f"hrnet-rights:{settings.SECRET_KEY}".encode()).digest()
    return (base64.urlsafe_b64encode(derived).decode(),)


def fernet() -> MultiFernet:
    return _fernet(configured_keys())


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_text(text: str) -> str:
    return fernet().encrypt(text.encode()).decode() if text else ""


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "A rights case field cannot be decrypted with the configured keys"
        ) from exc


def rotate_text(token: str) -> str:
    return fernet().rotate(token.encode()).decode() if token else ""


def rotate_bytes(token: bytes) -> bytes:
    return fernet().rotate(token)


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; the model attribute holds the plain text. Not
    searchable or orderable in the database, by design."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return decrypt_text(value) if value else ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else ""
