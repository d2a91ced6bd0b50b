"""Re-encrypt every encrypted field of rights cases and every evidence file with the first
key of HRNET_RIGHTS_KEYS. Run it after putting a new key in front (docs/backups.md: the
rolling key change); once it has run, the old keys can be removed from the servers (keep
them with the retired keys for older backups).

It first reads everything: if any value or file needs a key this server does not have, it
changes nothing and says which fingerprints are missing. Values already under the first
key are left alone, so an interrupted run can simply be run again.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from hrnet.rights import crypto
from hrnet.rights.evidence import FILE_FOLDER
from hrnet.rights.models import Case, CaseFile, CaseResponse


def rotate_fields(model: type[models.Model]) -> int:
    """Rotate the raw tokens of `model`'s encrypted columns; the number of rows changed.
    Raw SQL on purpose: the field would decrypt on read and encrypt again on save."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = [f.column for f in model._meta.fields if isinstance(f, crypto.EncryptedTextField)]
    quoted = [connection.ops.quote_name(c) for c in columns]
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(quoted)} FROM {table}")  # noqa: S608
        records = cursor.fetchall()
        for pk_value, *tokens in records:
            rotated = [crypto.rotate_text(token) if token else "" for token in tokens]
            if rotated == [token or "" for token in tokens]:
                continue
            assignments = ", ".join(f"{c} = %s" for c in quoted)
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                [*rotated, pk_value],
            )
            rows += 1
    return rows


def rotate_files() -> tuple[int, list[str]]:
    """Write each evidence file not yet under the first key re-encrypted under a new random
    name; the old names, to delete once the new ones are committed."""
    storage = storages["private"]
    first = crypto.keyring().first
    old_names = []
    for pk, stored_name in CaseFile.objects.values_list("pk", "stored_name"):
        with storage.open(stored_name, "rb") as handle:
            token = handle.read()
        if crypto.split_token(token)[0] == first:
            continue
        new_name = storage.save(
            f"{FILE_FOLDER}/{secrets.token_hex(20)}.bin", ContentFile(crypto.rotate_bytes(token))
        )
        CaseFile.objects.filter(pk=pk).update(stored_name=new_name)
        old_names.append(stored_name)
    return len(old_names), old_names


class Command(BaseCommand):
    help = (
        "Re-encrypt rights case fields and evidence files with the first key of "
        "HRNET_RIGHTS_KEYS (after a new key was put first; see docs/backups.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            crypto.keyring()
        except ImproperlyConfigured as exc:
            raise CommandError(
                _(
                    "HRNET_RIGHTS_KEYS is not set: there is no key to encrypt with. Generate "
                    "one with `hrnet rights_new_key`."
                )
            ) from exc
        report = crypto.key_report()
        if not report.readable:
            raise CommandError(
                _("Nothing was re-encrypted.") + "\n" + crypto.key_report_problems(report)
            )
        with transaction.atomic():
            counts = {model: rotate_fields(model) for model, _columns in crypto.encrypted_models()}
            files, old_names = rotate_files()
        storage = storages["private"]
        for name in old_names:
            storage.delete(name)
        ring = crypto.keyring()
        self.stdout.write(
            f"Re-encrypted: {counts.get(Case, 0)} cases, {counts.get(CaseResponse, 0)} "
            f"responses, {counts.get(CaseFile, 0)} file names, {files} files. Everything is "
            f"now encrypted with the key {ring.first}; keys this database no longer needs: "
            f"{', '.join(ring.fingerprints[1:]) or 'none'}."
        )
