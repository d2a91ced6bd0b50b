"""Outreach: N generated contacts (default 1,000,000) over a year at 20 sites; then

1. the full roll-up into evidence (`rollup.sites_recompute`: commodity sums per month,
   distinct people per month, quarter and year, written with history) beside the bare
   SQL GROUP BY over the same contacts (distinct clients per site and month, quantities
   per site, month and indicator) in the same run;
2. the incremental roll-up after one new day of contacts (`sites_months_recompute` for
   the month that day touches, with its quarter and year, at every site);
3. the server time of saving one contact (`contacts.contact_record`; its month's roll-up
   is queued as a background task, as in production) under 16 concurrent threads,
   p50/p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrnet_bench \\
        uv run python bench/outreach_bench.py [--contacts 1000000] [--threads 16]
    uv run python bench/outreach_bench.py --contacts 50000     # SQLite in a temporary file

Uses DATABASE_URL when set (a throwaway database: its name must contain "bench", and
everything in it is deleted), else a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--contacts", type=int, default=1_000_000)
parser.add_argument("--sites", type=int, default=20)
parser.add_argument("--threads", type=int, default=16)
parser.add_argument("--saves", type=int, default=25, help="contacts saved per thread")
parser.add_argument("--seed", type=int, default=8)
ARGS = parser.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrnet.settings")
# As in production: a save queues its roll-up in the database for `hrnet db_worker`.
os.environ.setdefault("TASK_BACKEND", "django_tasks_db.DatabaseBackend")
os.environ["HRNET_VAR_DIR"] = tempfile.mkdtemp(prefix="hrnet-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(os.environ['HRNET_VAR_DIR']) / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from hrnet.accounts.tests.factories import UserFactory  # noqa: E402
from hrnet.evidence.reference import indicators_load  # noqa: E402
from hrnet.evidence.services.outreach import sites_months_recompute, sites_recompute  # noqa: E402
from hrnet.geo.models import Country  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402
from hrnet.members.models import Organisation  # noqa: E402
from hrnet.outreach.generator import contacts_generate, sites_create  # noqa: E402
from hrnet.outreach.models import Client, Contact, Site, SiteStaff  # noqa: E402
from hrnet.outreach.reference import commodities_load  # noqa: E402
from hrnet.outreach.services import contacts  # noqa: E402

TODAY = datetime.date(2025, 12, 15)


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
    commodities_load()


def bare_group_by() -> int:
    """The SQL a hand-written report would run: distinct clients per site and month, and
    quantities per site, month and indicator."""
    month = (
        "to_char(c.date, 'YYYY-MM')"
        if connection.vendor == "postgresql"
        else "strftime('%Y-%m', c.date)"
    )
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.site_id, {month}, COUNT(DISTINCT c.client_id) "  # noqa: S608
            "FROM outreach_contact c GROUP BY 1, 2"
        )
        rows += len(cursor.fetchall())
        cursor.execute(
            f"SELECT c.site_id, {month}, m.indicator_code, SUM(i.quantity) "  # noqa: S608
            "FROM outreach_contactitem i JOIN outreach_contact c ON c.id = i.contact_id "
            "JOIN outreach_commodity m ON m.id = i.commodity_id "
            "WHERE m.indicator_code <> '' GROUP BY 1, 2, 3"
        )
        rows += len(cursor.fetchall())
    return rows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def concurrent_saves(sites: list[Site], workers: dict[int, object]) -> tuple[list[float], int]:
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    client_ids = list(Client.objects.values_list("pk", flat=True)[:2000])
    day = TODAY + datetime.timedelta(days=1)

    def run(index: int) -> None:
        nonlocal errors
        site = Site.objects.get(pk=sites[index % len(sites)].pk)
        worker = workers[site.pk]
        mine: list[float] = []
        failed = 0
        try:
            for number in range(ARGS.saves):
                client = Client.objects.get(pk=client_ids[(index * 131 + number) % len(client_ids)])
                started = time.perf_counter()
                try:
                    contacts.contact_record(
                        actor=worker,
                        contact_id=uuid.uuid4(),
                        site=site,
                        client=client,
                        date=day,
                        setting="outreach",
                        items={"syringes": 10, "needles": 10, "swabs": 20},
                        tests={"hiv_rapid": "negative"} if number % 5 == 0 else None,
                    )
                    mine.append(time.perf_counter() - started)
                except Exception:
                    failed += 1
        finally:
            connections.close_all()
        with lock:
            times.extend(mine)
            errors += failed

    threads = [threading.Thread(target=run, args=(index,)) for index in range(ARGS.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors


def main() -> None:
    prepare_database()
    country = Country.objects.get(iso2="UA")
    organisation = Organisation.objects.create(names={"en": "Bench organisation"}, country=country)
    sites = sites_create(organisation=organisation, count=ARGS.sites, seed=ARGS.seed)
    workers = {}
    for site in sites:
        user = UserFactory.create()
        SiteStaff.objects.create(site=site, user=user, role=SiteStaff.Role.WORKER)
        workers[site.pk] = user
    print(f"Generating {ARGS.contacts} contacts ({connection.vendor})…", file=sys.stderr)
    started = time.perf_counter()
    contacts_generate(
        sites=sites,
        clients=max(ARGS.contacts // 10, 100),
        contacts=ARGS.contacts,
        seed=ARGS.seed,
        today=TODAY,
    )
    generate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    bare_rows = bare_group_by()
    bare_seconds = time.perf_counter() - started
    started = time.perf_counter()
    written = sites_recompute()
    full_seconds = time.perf_counter() - started

    day_contacts = max(ARGS.contacts // 365, 1)
    contacts_generate(
        sites=sites,
        clients=max(day_contacts // 5, 10),
        contacts=day_contacts,
        seed=ARGS.seed + 1,
        today=TODAY + datetime.timedelta(days=1),
        days=1,
    )
    month = f"{TODAY + datetime.timedelta(days=1):%Y-%m}"
    started = time.perf_counter()
    incremental = sites_months_recompute(site_ids=[site.pk for site in sites], months={month})
    incremental_seconds = time.perf_counter() - started

    times, errors = concurrent_saves(sites, workers)

    print(f"\noutreach bench · {connection.vendor} · {Contact.objects.count()} contacts · "
          f"{ARGS.sites} sites · {ARGS.threads} threads")  # fmt: skip
    print(f"machine: {platform.node()} · {platform.machine()} · {os.cpu_count()} cpus · "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"generate + bulk write: {generate_seconds:.1f} s")
    print(f"full roll-up: {full_seconds:.2f} s ({written} values written); "
          f"bare SQL GROUP BY: {bare_seconds:.2f} s ({bare_rows} rows); "
          f"ratio {full_seconds / bare_seconds:.1f}x")  # fmt: skip
    print(f"incremental roll-up after one new day ({day_contacts} contacts, {ARGS.sites} "
          f"sites, month {month}): {incremental_seconds:.2f} s "
          f"({incremental} values written)")  # fmt: skip
    if times:
        print(f"save one contact under {ARGS.threads} threads: "
              f"p50 {percentile(times, 0.5) * 1000:.1f} ms, "
              f"p95 {percentile(times, 0.95) * 1000:.1f} ms, "
              f"mean {statistics.mean(times) * 1000:.1f} ms "
              f"({len(times)} saves, {errors} failed)")  # fmt: skip
    else:
        print(f"save one contact: every save failed ({errors})")


if __name__ == "__main__":
    main()
