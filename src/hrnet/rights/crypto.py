"""Encryption at rest of what identifies or describes a person in a rights case (the
narrative, the person's description, contact details, evidence files).

Keys come from the environment only: `HRNET_RIGHTS_KEYS`, a comma-separated list of
Fernet keys (the first encrypts, all decrypt), so a copy of the database or of the media
folder alone reveals nothing. `hrnet rights_rotate_keys` re-encrypts everything with the
first key after a new one is put in front. In the demo and tests a key is derived from
SECRET_KEY when none is set; with DEBUG off, a missing setting makes encrypting and
decrypting raise instead.

Every value is stored as `<fingerprint>:<Fernet token>`: the fingerprint (the first 12
hex digits of the key's SHA-256, never the key) names the key that encrypted it, so a
server, a restore or a rotation can say which key it is missing. Values written before
fingerprints were recorded (a bare token) are still read by trying every key.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.db import connection, models
from django.utils.translation import gettext as _

FINGERPRINT_LENGTH = 12
# Fernet tokens are URL-safe base64, which has no colon: a bare token is never mistaken
# for a fingerprinted one.
SEPARATOR = ":"
UNKNOWN = "unknown"


class DecryptionError(ValueError):
    """A stored value cannot be decrypted with the configured keys."""


class KeyMissingError(DecryptionError):
    """A stored value was encrypted with a key this server does not have; `fingerprints`
    names it (empty for values written before fingerprints were recorded)."""

    def __init__(self, fingerprints: tuple[str, ...] = ()) -> None:
        self.fingerprints = fingerprints
        named = ", ".join(fingerprints) or UNKNOWN
        super().__init__(
            "A rights case field cannot be decrypted with the configured keys: it was "
            f"encrypted with the key {named}, which is not in HRNET_RIGHTS_KEYS."
        )


def key_fingerprint(key: str) -> str:
    """A short public name of a key: safe to print, log and keep in backup manifests."""
    return hashlib.sha256(key.strip().encode()).hexdigest()[:FINGERPRINT_LENGTH]


@dataclass(frozen=True)
class Keyring:
    fingerprints: tuple[str, ...]  # in the order of HRNET_RIGHTS_KEYS; the first encrypts
    by_fingerprint: dict[str, Fernet]
    any_key: MultiFernet

    @property
    def first(self) -> str:
        return self.fingerprints[0]


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    fernets = [Fernet(key.encode()) for key in keys]
    fingerprints = tuple(key_fingerprint(key) for key in keys)
    return Keyring(
        fingerprints=fingerprints,
        by_fingerprint=dict(zip(fingerprints, fernets, strict=True)),
        any_key=MultiFernet(fernets),
    )


def configured_keys() -> tuple[str, ...]:
    keys = tuple(key.strip() for key in settings.HRNET_RIGHTS_KEYS if key.strip())
    if keys:
        return keys
    if not settings.DEBUG:
        raise ImproperlyConfigured("HRNET_RIGHTS_KEYS must be set when DEBUG is off.")
    # Demo and tests only (settings require HRNET_RIGHTS_KEYS when DEBUG is off).
    derived = hashlib.sha256(f"hrnet-rights:{settings.SECRET_KEY}".encode()).digest()
    return (base64.urlsafe_b64encode(derived).decode(),)


def keyring() -> Keyring:
    return _keyring(configured_keys())


def split_token(token: bytes) -> tuple[str | None, bytes]:
    """(fingerprint or None for a bare token, the Fernet token)."""
    if token[FINGERPRINT_LENGTH : FINGERPRINT_LENGTH + 1] == SEPARATOR.encode():
        return token[:FINGERPRINT_LENGTH].decode("ascii"), token[FINGERPRINT_LENGTH + 1 :]
    return None, token


def token_key(token: bytes, ring: Keyring | None = None) -> str | None:
    """The fingerprint of the configured key that decrypts `token`, None if none does."""
    ring = ring or keyring()
    fingerprint, body = split_token(token)
    if fingerprint is not None:
        candidates = [fingerprint] if fingerprint in ring.by_fingerprint else []
    else:
        candidates = list(ring.fingerprints)
    for candidate in candidates:
        try:
            ring.by_fingerprint[candidate].decrypt(body)
        except InvalidToken:
            continue
        return candidate
    return None


def encrypt_bytes(data: bytes) -> bytes:
    ring = keyring()
    return ring.first.encode() + SEPARATOR.encode() + ring.by_fingerprint[ring.first].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    ring = keyring()
    fingerprint, body = split_token(token)
    try:
        if fingerprint is None:
            return ring.any_key.decrypt(body)
        key = ring.by_fingerprint.get(fingerprint)
        if key is None:
            raise KeyMissingError((fingerprint,))
        return key.decrypt(body)
    except InvalidToken as exc:
        if fingerprint is None:
            raise KeyMissingError() from exc
        raise DecryptionError(
            "A rights case field cannot be decrypted: it was altered or damaged."
        ) from exc


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode() if text else ""


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode()).decode() if token else ""


def rotate_bytes(token: bytes) -> bytes:
    """`token` encrypted with the first key; unchanged when it already is."""
    if split_token(token)[0] == keyring().first:
        return token
    return encrypt_bytes(decrypt_bytes(token))


def rotate_text(token: str) -> str:
    return rotate_bytes(token.encode()).decode() if token else ""


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; the model attribute holds the plain text. Not
    searchable or orderable in the database, by design."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return decrypt_text(value) if value else ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else ""


# --- which keys the stored data needs ----------------------------------------------------


def encrypted_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted columns, and those columns."""
    found = []
    for model in apps.get_models():
        columns = [f.column for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if columns:
            found.append((model, columns))
    return found


def encrypted_column_values() -> Iterator[str]:
    """The raw stored value of every non-empty encrypted cell (read without decrypting)."""
    quote = connection.ops.quote_name
    for model, columns in encrypted_models():
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(quote(c) for c in columns)} FROM {table}"  # noqa: S608
            )
            for row in cursor.fetchall():
                yield from (value for value in row if value)


def encrypted_file_names() -> list[str]:
    """Names in the private storage of the encrypted evidence files."""
    case_file = apps.get_model("rights", "CaseFile")
    return list(case_file.objects.values_list("stored_name", flat=True))


@dataclass
class KeyReport:
    """What the stored rights data needs: per key fingerprint, how many values and files
    are encrypted with it, and what the configured keys cannot read."""

    configured: tuple[str, ...] = ()
    used: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)  # fingerprint or UNKNOWN
    damaged: int = 0
    fields: int = 0
    files: int = 0
    absent_files: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not self.missing and not self.damaged and not self.absent_files

    @property
    def unreadable(self) -> int:
        return sum(self.missing.values()) + self.damaged + len(self.absent_files)

    def manifest(self) -> dict[str, Any]:
        return {
            "configured": list(self.configured),
            "used": dict(sorted(self.used.items())),
            "fields": self.fields,
            "files": self.files,
        }


def _check_token(report: KeyReport, ring: Keyring | None, token: bytes) -> None:
    fingerprint, _body = split_token(token)
    found = token_key(token, ring) if ring is not None else None
    if found is not None:
        report.used[found] += 1
    elif fingerprint is None:
        report.missing[UNKNOWN] += 1
        report.used[UNKNOWN] += 1
    elif fingerprint in report.configured:
        report.damaged += 1
        report.used[fingerprint] += 1
    else:
        report.missing[fingerprint] += 1
        report.used[fingerprint] += 1


def key_report() -> KeyReport:
    """Decrypt (and throw away) every encrypted value and file: which keys they need and
    whether this server holds them. Reads everything; meant for commands, not pages.
    Without any configured key (production with HRNET_RIGHTS_KEYS unset) every value counts
    as missing, named by the fingerprint it carries."""
    try:
        ring: Keyring | None = keyring()
    except ImproperlyConfigured:
        ring = None
    report = KeyReport(configured=ring.fingerprints if ring else ())
    for value in encrypted_column_values():
        report.fields += 1
        _check_token(report, ring, value.encode())
    storage = storages["private"]
    for name in encrypted_file_names():
        report.files += 1
        try:
            with storage.open(name, "rb") as handle:
                token = handle.read()
        except FileNotFoundError:
            report.absent_files.append(name)
            continue
        _check_token(report, ring, token)
    return report


def key_report_problems(report: KeyReport) -> str:
    """What the configured keys cannot read, in words, with what to do; empty if nothing."""
    lines = []
    configured = ", ".join(report.configured)
    if report.missing:
        named = ", ".join(
            f"{fingerprint} ({count})" for fingerprint, count in sorted(report.missing.items())
        )
        lines.append(
            _(
                "%(count)s encrypted values and files of rights cases were encrypted with "
                "keys this server does not have. Missing key fingerprints (values): "
                "%(missing)s. Fingerprints of the keys in HRNET_RIGHTS_KEYS: "
                "%(configured)s."
            )
            % {"count": sum(report.missing.values()), "missing": named, "configured": configured}
        )
        lines.append(
            _(
                "Add each missing key to the END of HRNET_RIGHTS_KEYS (keep the key that "
                "encrypts first; a retired key is kept with the backups it covers), restart, "
                "and run this again. `hrnet rights_keys` prints the fingerprint of each key."
            )
        )
    if report.damaged:
        lines.append(
            _(
                "%(count)s encrypted values and files do not decrypt although their key is "
                "configured: they were altered or damaged; restore them from a backup."
            )
            % {"count": report.damaged}
        )
    if report.absent_files:
        lines.append(
            _(
                "%(count)s evidence files are missing from the private storage (for "
                "example %(name)s); restore them from a backup."
            )
            % {"count": len(report.absent_files), "name": report.absent_files[0]}
        )
    return "\n".join(lines)
