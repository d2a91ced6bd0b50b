"""Evidence: import of N tidy rows (default 1,000,000) through the application's importer
(`evidence.values`: parse, validate every row, write with history, roll-ups and computed
coverage), beside a baseline of loading the same file into a bare table in the same run
(PostgreSQL `COPY`; on SQLite an `executemany` INSERT); then p50/p95 of the regional
dashboard query (29 countries x 20 years x 25 indicators, `dashboards.regional_table`)
beside the bare SQL aggregate over the same values.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrnet_bench \\
        uv run python bench/evidence_bench.py [--rows 1000000] [--runs 20]
    uv run python bench/evidence_bench.py --rows 100000     # SQLite in a temporary file

Uses DATABASE_URL when set (a throwaway database: its name must contain "bench", and
everything in it is deleted), else a temporary SQLite file. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rows", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=20, help="timed runs of the dashboard query")
parser.add_argument("--seed", type=int, default=5)
ARGS = parser.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrnet.settings")
os.environ["HRNET_VAR_DIR"] = tempfile.mkdtemp(prefix="hrnet-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(os.environ['HRNET_VAR_DIR']) / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from hrnet.core.imports import get_importer  # noqa: E402
from hrnet.evidence.models import DataValue, Indicator, PeriodKind  # noqa: E402
from hrnet.evidence.reference import indicators_load  # noqa: E402
from hrnet.evidence.selectors import dashboards  # noqa: E402
from hrnet.evidence.services.store import ValueIn  # noqa: E402
from hrnet.evidence.services.values import data_values_write  # noqa: E402
from hrnet.geo.models import Country  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402

SEXES = ("female", "male")
AGES = ("<25", "25+")
SOURCE = "bench national report"
DASHBOARD_YEARS = 20
DASHBOARD_INDICATORS = 25


def prepare_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        sys.exit(f"Refusing to wipe {name!r}: use a database whose name contains 'bench'.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    geography_load()
    indicators_load()
    # Two more data elements so the dashboard asks for 25 indicators.
    for index in range(DASHBOARD_INDICATORS - Indicator.objects.count()):
        Indicator.objects.create(
            code=f"BENCH_EXTRA_{index}", names={"en": f"Extra {index}"}, unit="people"
        )


def tidy_csv(total: int, rng: random.Random) -> bytes:
    """`total` distinct rows: country x month x data element x (sex x age + total), the
    newest months first filled, so any `total` is a realistic slice."""
    countries = list(Country.objects.values_list("iso2", flat=True))
    codes = list(
        Indicator.objects.filter(kind=Indicator.Kind.DATA)
        .exclude(code__startswith="BENCH_")
        .values_list("code", flat=True)
    )
    disaggregations = [("", "")] + [(sex, age) for sex in SEXES for age in AGES]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country", "period", "indicator", "sex", "age", "value"])
    written = 0
    year, month = 2025, 12
    while written < total:
        period = f"{year}-{month:02d}"
        for iso2 in countries:
            for code in codes:
                for sex, age in disaggregations:
                    writer.writerow([iso2, period, code, sex, age, rng.randint(0, 50_000)])
                    written += 1
                    if written == total:
                        return out.getvalue().encode()
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out.getvalue().encode()


def baseline_load(data: bytes) -> float:
    """The same rows into a bare table: COPY on PostgreSQL, executemany on SQLite."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_tidy")
        cursor.execute(
            "CREATE TABLE bench_tidy (country text, period text, indicator text, "
            "sex text, age text, value text)"
        )
        if connection.vendor == "postgresql":
            with cursor.copy(  # type: ignore[attr-defined]
                "COPY bench_tidy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(data)
        else:
            rows = list(csv.reader(io.StringIO(data.decode())))[1:]
            cursor.executemany("INSERT INTO bench_tidy VALUES (%s, %s, %s, %s, %s, %s)", rows)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_tidy")
    return elapsed


def application_import(data: bytes) -> tuple[float, int, int]:
    importer = get_importer("evidence.values")(source=SOURCE)
    started = time.perf_counter()
    report = importer.run(data, fmt="csv")
    elapsed = time.perf_counter() - started
    if report.errors:
        sys.exit(f"Import rejected rows: {report.errors[:3]}")
    return elapsed, report.rows, report.written


def dashboard_values(rng: random.Random) -> None:
    """29 countries x 20 years x 25 indicators of yearly country totals from two sources,
    so the dashboard has to choose."""
    indicators = list(Indicator.objects.filter(kind=Indicator.Kind.DATA))
    items = [
        ValueIn(
            indicator=indicator,
            country=country,
            period=str(year),
            period_kind=PeriodKind.YEAR,
            source=source,
            value=Decimal(rng.randint(100, 100_000)),
        )
        for country in Country.objects.all()
        for year in range(2026 - DASHBOARD_YEARS, 2026)
        for indicator in indicators
        for source in ("UNAIDS GAM", "national report")
    ]
    for start in range(0, len(items), 20_000):
        data_values_write(values=items[start : start + 20_000], actor=None)


BARE_AGGREGATE = """
    SELECT indicator_id, country_id, period, MAX(value)
    FROM evidence_datavalue
    WHERE site_id IS NULL AND period_kind = %s AND disaggregation_key = ''
      AND period >= %s AND period <= %s AND indicator_id IN ({ids})
    GROUP BY indicator_id, country_id, period
"""


def timed(function, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    rng = random.Random(ARGS.seed)
    prepare_database()
    print(f"Generating {ARGS.rows} tidy rows ({connection.vendor})…", file=sys.stderr)
    data = tidy_csv(ARGS.rows, rng)
    baseline = baseline_load(data)
    print("Importing through evidence.values…", file=sys.stderr)
    imported, rows, written = application_import(data)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored = DataValue.objects.count()

    print("Writing the dashboard's yearly values…", file=sys.stderr)
    dashboard_values(rng)
    codes = list(Indicator.objects.values_list("code", flat=True)[:DASHBOARD_INDICATORS])
    year_from, year_to = 2026 - DASHBOARD_YEARS, 2025
    table = dashboards.regional_table(
        user=None, indicators=codes, year_from=year_from, year_to=year_to
    )
    cells = len(table.cells)
    ids = ",".join(
        str(pk) for pk in Indicator.objects.filter(code__in=codes).values_list("pk", flat=True)
    )

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                BARE_AGGREGATE.format(ids=ids), [PeriodKind.YEAR, str(year_from), str(year_to)]
            )
            cursor.fetchall()

    def dashboard() -> None:
        dashboards.regional_table(user=None, indicators=codes, year_from=year_from, year_to=year_to)

    bare_times = timed(bare, ARGS.runs)
    dashboard_times = timed(dashboard, ARGS.runs)

    print(f"\nevidence bench · {connection.vendor} · {platform.python_version()}")
    print(
        f"file: {len(data) / 1024 / 1024:.1f} MiB, {rows} rows; "
        f"stored values after import: {stored}"
    )
    print(
        f"baseline  bare load ({'COPY' if connection.vendor == 'postgresql' else 'executemany'}): "
        f"{baseline:8.1f} s  {rows / baseline:10,.0f} rows/s"
    )
    print(
        f"import    evidence.values:      {imported:8.1f} s  {rows / imported:10,.0f} rows/s  "
        f"ratio {imported / baseline:5.1f}x  ({written} written)"
    )
    print(
        f"memory    peak of the process:  {peak_kib / 1024:8.0f} MiB  "
        f"{peak_kib / rows:.2f} KiB per row"
    )
    bare_p50, bare_p95 = statistics.median(bare_times), percentile(bare_times, 0.95)
    dash_p50, dash_p95 = statistics.median(dashboard_times), percentile(dashboard_times, 0.95)
    print(
        f"dashboard {len(codes)} indicators x 29 countries x {DASHBOARD_YEARS} years "
        f"({cells} cells), {ARGS.runs} runs:"
    )
    print(f"  bare SQL aggregate   p50 {bare_p50:7.1f} ms  p95 {bare_p95:7.1f} ms")
    print(
        f"  regional_table       p50 {dash_p50:7.1f} ms  p95 {dash_p95:7.1f} ms  "
        f"ratio p50 {dash_p50 / bare_p50:4.1f}x  p95 {dash_p95 / bare_p95:4.1f}x"
    )


if __name__ == "__main__":
    main()
