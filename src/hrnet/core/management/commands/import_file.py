from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.core.imports import FileUnreadable, detect_format, get_importer, importer_names
from hrnet.core.management.importing import import_run_in_terminal
from hrnet.core.progress import job_start


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file with one of the registered importers, showing progress. "
        "Nothing is written unless every row is valid (or --partial is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("importer", help="e.g. geo.geography, geo.aliases")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "xlsx"])
        parser.add_argument("--partial", action="store_true", help="write the valid rows")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            importer_class = get_importer(options["importer"])
        except KeyError as exc:
            names = ", ".join(importer_names())
            raise CommandError(f"Unknown importer {options['importer']}; one of: {names}") from exc
        path: Path = options["file"]
        try:
            fmt = detect_format(path.name, options["format"])
            data = path.read_bytes()
        except (FileUnreadable, OSError) as exc:
            raise CommandError(str(exc)) from exc
        job = job_start(name=importer_class.label or importer_class.name)
        import_run_in_terminal(
            self, importer_class(), data, fmt=fmt, partial=options["partial"], job=job
        )
