"""Running an importer from a management command: a progress bar on the terminal, every
rejected row reported, and an error exit when nothing was written."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from hrnet.core.imports import Importer, ImportReport
from hrnet.core.models import TaskProgress
from hrnet.core.progress import ProgressPrinter, job_finish


def import_run_in_terminal(
    command: BaseCommand,
    importer: Importer[Any],
    data: bytes,
    *,
    fmt: str,
    partial: bool,
    job: TaskProgress,
) -> ImportReport:
    """Run `importer` on `data` for `command`, finishing `job`; raises CommandError when rows
    were rejected and nothing was written (not `partial`)."""
    report = importer.run(
        data,
        fmt=fmt,
        partial=partial,
        progress=ProgressPrinter(job, cast(TextIO, command.stderr._out)),
    )
    job_finish(job, result=report.as_dict(), failed=bool(report.errors) and not report.partial)
    for error in report.errors:
        command.stderr.write(
            f"line {error.line}, column {error.column}: {error.message}"
            + (f" ({error.value})" if error.value else "")
        )
    command.stdout.write(f"Rows read: {report.rows}. Rows written: {report.written}.")
    if report.errors and not report.partial:
        raise CommandError(f"{len(report.rejected_lines)} rows rejected; nothing was written.")
    return report
