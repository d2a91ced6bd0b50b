"""`hrnet import_values FILE`: tidy CSV/XLSX or DHIS2 dataValueSets JSON, with a progress
bar on the terminal and every rejected row reported."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.core.imports import FileUnreadable, Importer, detect_format
from hrnet.core.management.importing import import_run_in_terminal
from hrnet.core.progress import job_start
from hrnet.evidence.imports.dhis2 import Dhis2Importer
from hrnet.evidence.imports.values import ValuesImporter


class Command(BaseCommand):
    help = (
        "Import indicator values from a tidy CSV or XLSX file (country, year or period, "
        "indicator, value, optional site, source, comment and disaggregation columns) or a "
        "DHIS2 dataValueSets JSON file. Nothing is written unless every row is valid (or "
        "--partial is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["csv", "xlsx", "dhis2"], help="default: from the file's name"
        )
        parser.add_argument("--source", default="", help="source of rows without one")
        parser.add_argument("--partial", action="store_true", help="write the valid rows")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        declared = options["format"]
        is_dhis2 = declared == "dhis2" or (not declared and path.suffix.lower() == ".json")
        importer_class: type[Importer[Any]] = Dhis2Importer if is_dhis2 else ValuesImporter
        try:
            fmt = (
                Dhis2Importer.detect_format(path.name, declared)
                if is_dhis2
                else detect_format(path.name, declared)
            )
            data = path.read_bytes()
        except (FileUnreadable, OSError) as exc:
            raise CommandError(str(exc)) from exc
        job = job_start(name=importer_class.label)
        importer = importer_class(source=options["source"], import_job=job)  # type: ignore[call-arg]
        report = import_run_in_terminal(
            self, importer, data, fmt=fmt, partial=options["partial"], job=job
        )
        if report.errors:
            self.stdout.write(f"{len(report.rejected_lines)} rows rejected; the others written.")
