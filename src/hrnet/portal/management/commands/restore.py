"""`hrnet restore ARCHIVE`: a backup into an empty database and empty folders, then a check
that every rights case decrypts with HRNET_RIGHTS_KEYS (docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hrnet.portal.backup import BackupError, archive_verify, backup_restore
from hrnet.rights import crypto


class Command(BaseCommand):
    help = (
        "Restore a backup made by `hrnet backup` into an empty database and empty media "
        "and private folders (refuses otherwise), then check that every rights case "
        "decrypts with HRNET_RIGHTS_KEYS. With --verify only checks the archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--verify",
            action="store_true",
            help="only check that the archive is complete and print its manifest summary",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": archive})
        try:
            if options["verify"]:
                manifest = archive_verify(archive)
                self.stdout.write(
                    f"{archive}: complete. Made {manifest['created_at']} by hrnet "
                    f"{manifest['hrnet_version']} ({manifest['engine']}); "
                    f"{len(manifest['files'])} files; rights data encrypted with the keys "
                    f"{', '.join(manifest['rights_keys']['used']) or 'none'}."
                )
                return
            restored = backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (hrnet {manifest['hrnet_version']}"
            f", {manifest['engine']}): the database and {restored.files} files."
        )
        if manifest.get("storages_not_included"):
            self.stdout.write(
                "Not in the archive (object storage, restore it from its own versions): "
                + ", ".join(manifest["storages_not_included"])
            )
        if restored.migrations_behind:
            self.stdout.write(
                "The backup is older than this version: run `hrnet migrate` next "
                f"({len(restored.migrations_behind)} migrations to apply)."
            )
        keys = restored.keys
        if not keys.readable:
            raise CommandError(
                _("The backup was restored, but this server cannot read all of its rights cases.")
                + "\n"
                + crypto.key_report_problems(keys)
            )
        self.stdout.write(
            f"Every rights case decrypts: {keys.fields} encrypted values and {keys.files} "
            f"files checked with the keys {', '.join(keys.configured)}."
        )
