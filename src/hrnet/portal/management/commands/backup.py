"""`hrnet backup [--output DIR|FILE] [--keep N]`: one archive with the database, the local
media and private files and a manifest; never the rights keys (docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar.gz): the database dump, the media and private files "
        "kept on local disk, and a manifest with checksums and the fingerprints (never "
        "the keys) of HRNET_RIGHTS_KEYS. Prints the archive's path on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="a folder (the archive gets a dated name) or a file ending in .tar.gz; "
            "default HRNET_BACKUP_DIR",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="afterwards delete all but the newest N archives of that folder",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be 1 or more.")
        try:
            path = backup_create(output=options["output"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
