"""`hrnet import_values FILE`: tidy CSV/XLSX or DHIS2 dataValueSets JSON, with a progress
bar on the terminal and every rejected row reported."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.core.imports import FileUnreadable, Importer, detect_format
from hrnet.core.management.importing import import_run_in_terminal
from hrnet.core.progress import job_start
from hrnet.evidence.dhis2 import STRATEGIES, id_schemes
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
        # DHIS2 only, as its own import parameters.
        parser.add_argument(
            "--dry-run", action="store_true", help="DHIS2: check and count, write nothing"
        )
        parser.add_argument(
            "--strategy",
            choices=list(STRATEGIES),
            default=STRATEGIES[0],
            help="DHIS2 importStrategy",
        )
        parser.add_argument("--id-scheme", default="", help="DHIS2 idScheme: UID or CODE")
        parser.add_argument("--org-unit-id-scheme", default="", help="DHIS2: UID or CODE")
        parser.add_argument("--data-element-id-scheme", default="", help="DHIS2: UID or CODE")

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
        importer: Importer[Any]
        if is_dhis2:
            try:
                schemes = id_schemes(
                    id_scheme=options["id_scheme"],
                    org_unit=options["org_unit_id_scheme"],
                    data_element=options["data_element_id_scheme"],
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            importer = Dhis2Importer(
                source=options["source"],
                import_job=job,
                dry_run=options["dry_run"],
                strategy=options["strategy"],
                schemes=schemes,
            )
        else:
            importer = ValuesImporter(source=options["source"], import_job=job)
        report = import_run_in_terminal(
            self, importer, data, fmt=fmt, partial=options["partial"], job=job
        )
        if report.errors:
            self.stdout.write(f"{len(report.rejected_lines)} rows rejected; the others written.")
        if isinstance(importer, Dhis2Importer):
            counts = importer.counts
            self.stdout.write(
                f"{'Dry run: ' if importer.dry_run else ''}imported {counts.imported}, "
                f"updated {counts.updated}, ignored {counts.ignored}, deleted {counts.deleted}"
            )
