"""Re-encrypt every encrypted field of rights cases and every evidence file with the first
key of HRNET_RIGHTS_KEYS. Run it after putting a new key in front; once it has run, the
old keys can be removed."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from hrnet.rights import crypto
from hrnet.rights.crypto import EncryptedTextField
from hrnet.rights.evidence import FILE_FOLDER
from hrnet.rights.models import Case, CaseFile, CaseResponse


def _encrypted_columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.fields if isinstance(f, EncryptedTextField)]


def rotate_fields(model: type[models.Model]) -> int:
    """Rotate the raw tokens of `model`'s encrypted columns; the number of rows changed.
    Raw SQL on purpose: the field would decrypt on read and encrypt again on save."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = _encrypted_columns(model)
    quoted = [connection.ops.quote_name(c) for c in columns]
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(quoted)} FROM {table}")  # noqa: S608
        records = cursor.fetchall()
        for pk_value, *tokens in records:
            rotated = [crypto.rotate_text(token) if token else "" for token in tokens]
            if rotated == list(tokens):
                continue
            assignments = ", ".join(f"{c} = %s" for c in quoted)
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                [*rotated, pk_value],
            )
            rows += 1
    return rows


def rotate_files() -> tuple[int, list[str]]:
    """Write each evidence file re-encrypted under a new random name; the old names, to
    delete once the new ones are committed."""
    storage = storages["private"]
    old_names = []
    for pk, stored_name in CaseFile.objects.values_list("pk", "stored_name"):
        with storage.open(stored_name, "rb") as handle:
            token = handle.read()
        new_name = storage.save(
            f"{FILE_FOLDER}/{secrets.token_hex(20)}.bin", ContentFile(crypto.rotate_bytes(token))
        )
        CaseFile.objects.filter(pk=pk).update(stored_name=new_name)
        old_names.append(stored_name)
    return len(old_names), old_names


class Command(BaseCommand):
    help = "Re-encrypt rights case fields and evidence files with the first key."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = {model: rotate_fields(model) for model in (Case, CaseResponse, CaseFile)}
            files, old_names = rotate_files()
        storage = storages["private"]
        for name in old_names:
            storage.delete(name)
        self.stdout.write(
            f"Re-encrypted: {counts[Case]} cases, {counts[CaseResponse]} responses, "
            f"{counts[CaseFile]} file names, {files} files."
        )
