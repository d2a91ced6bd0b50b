"""Import framework throughput and memory, against a bare CSV parse measured in the same run.

    uv run python bench/import_bench.py [ROWS]

Targets (see bench/RESULTS.md): validating a file costs at most 10x parsing it; validating
and writing at most 60x (it was 400x with a query per row); peak memory at most 5 KiB per
row, so a 100,000-row import fits a 512 MiB worker.
Uses a throwaway SQLite database under a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrnet.settings")
os.environ["HRNET_VAR_DIR"] = tempfile.mkdtemp(prefix="hrnet-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{Path(os.environ['HRNET_VAR_DIR']) / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from hrnet.core.imports import read_rows  # noqa: E402
from hrnet.geo.imports import CountryAliasImporter  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402

ISO2 = ["MD", "UA", "GE", "KZ", "KG", "TJ", "UZ", "AM", "AZ", "BY", "RU", "EE", "LV", "LT"]


def make_file(rows: int) -> bytes:
    lines = ["country,alias"]
    lines += [f"{ISO2[i % len(ISO2)]},Bench alias {i:06d}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    return label, elapsed, result


def main() -> None:
    call_command("migrate", verbosity=0)
    geography_load()
    data = make_file(ROWS)

    _l, parse_s, _r = timed("parse", lambda: read_rows(data, "csv"))

    class ValidateOnly(CountryAliasImporter):
        def write(self, rows):  # type: ignore[no-untyped-def]
            return 0

    _l, validate_s, _r = timed("validate", lambda: ValidateOnly().run(data, fmt="csv"))

    _l, write_s, report = timed("write", lambda: CountryAliasImporter().run(data, fmt="csv"))
    if not report.ok or report.written != ROWS:
        raise SystemExit(f"import failed: {report.errors[:3]}")

    # Memory in a separate pass (tracing slows the code it traces); the rows now exist, so
    # this pass updates them, the heavier path.
    tracemalloc.start()
    CountryAliasImporter().run(data, fmt="csv")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    ms = 1000
    print(f"rows: {ROWS}, file: {len(data) / 1024:.0f} KiB")
    print(f"baseline  parse CSV:           {parse_s * ms:8.1f} ms")
    print(
        f"validate  lookup every row:    {validate_s * ms:8.1f} ms"
        f"  ratio {validate_s / parse_s:5.1f}x (target <= 10x)"
    )
    print(
        f"import    validate + write:    {write_s * ms:8.1f} ms"
        f"  ratio {write_s / parse_s:5.1f}x (target <= 60x)"
    )
    print(
        f"memory    peak of an import:   {peak / 1024:8.0f} KiB"
        f"  {peak / ROWS / 1024:5.2f} KiB per row (target <= 5)"
    )


if __name__ == "__main__":
    main()
