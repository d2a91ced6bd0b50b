"""Server time of the member directory with each filter, on 20,000 members, against one
indexed SELECT of the same page of rows measured in the same run.

    uv run python bench/directory_bench.py [--members 20000] [--runs 30] [--map-cache 0]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrnet_bench \
        uv run python bench/directory_bench.py

Uses DATABASE_URL when set (a throwaway database: its name must contain "bench", and
everything in it is deleted), else a temporary SQLite file. Builds the members with
bulk_create, then requests /en/members/directory/ through Django's test client, as an
anonymous visitor (public listing) and as a network member (everything), and prints p50 and
p95 of the whole request (middleware, queries, template), the SQL time inside it, and the
number of queries. See bench/RESULTS.md for runs and targets.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--members", type=int, default=20_000)
parser.add_argument("--runs", type=int, default=30, help="timed requests per scenario")
parser.add_argument("--seed", type=int, default=7)
parser.add_argument(
    "--map-cache",
    type=int,
    default=0,
    metavar="SECONDS",
    help="HRNET_MEMBER_MAP_CACHE_SECONDS for the run (default 0: the map counts every time)",
)
ARGS = parser.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrnet.settings")
os.environ["HRNET_VAR_DIR"] = tempfile.mkdtemp(prefix="hrnet-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(os.environ['HRNET_VAR_DIR']) / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from hrnet.accounts.models import User  # noqa: E402
from hrnet.accounts.roles import Role  # noqa: E402
from hrnet.core.models import IssueArea  # noqa: E402
from hrnet.core.reference import issue_areas_load  # noqa: E402
from hrnet.geo.models import Country, normalize_name  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402
from hrnet.members.models import (  # noqa: E402
    Affiliation,
    Membership,
    MembershipType,
    Organisation,
    Person,
)

URL = "/en/members/directory/"
FIRST = ["Olena", "Ivan", "Aibek", "Nino", "Dmitri", "Ana", "Arman", "Zarina", "Mihai", "Eva"]
LAST = ["Ceban", "Ivanova", "Beridze", "Karimov", "Horvat", "Nowak", "Sultanova", "Petrov"]
WORDS = ["Harm Reduction", "Recovery", "Community", "Health", "Rights", "Outreach", "Support"]
FORMS = ["Network", "Foundation", "Centre", "Initiative", "Association", "Alliance"]


def prepare_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        sys.exit(f"Refusing to wipe database {name!r}: its name must contain 'bench'.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    geography_load()
    issue_areas_load()


def build(members: int, rng: random.Random) -> tuple[int, int]:
    """Organisations (70 %) and individuals (30 %), half listed publicly, 90 % active,
    5 % in grace, 5 % lapsed; one to three issue areas each."""
    countries = list(Country.objects.all())
    areas = list(IssueArea.objects.all())
    kinds = [k for k, _label in Organisation.Kind.choices]
    org_type = MembershipType.objects.create(
        code="bench-org", names={"en": "Organisational"}, kind="organisational"
    )
    person_type = MembershipType.objects.create(
        code="bench-ind", names={"en": "Individual"}, kind="individual"
    )
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)

    def status() -> str:
        roll = rng.random()
        if roll < 0.90:
            return Membership.Status.ACTIVE
        return Membership.Status.GRACE if roll < 0.95 else Membership.Status.LAPSED

    n_orgs = members * 7 // 10
    organisations = []
    for n in range(n_orgs):
        country = rng.choice(countries)
        kind = rng.choice(kinds)
        name = f"{country.name} {rng.choice(WORDS)} {rng.choice(FORMS)} {n}"
        organisation = Organisation(
            names={"en": name, "ru": f"Организация {n}, {country.names.get('ru', '')}"},
            name_original="",
            kind=kind,
            is_community_led=kind == "community_led" or rng.random() < 0.15,
            country=country,
            city="City",
            website=f"https://org{n}.example.org",
            email=f"office{n}@example.org",
            descriptions={"en": "A member organisation working in harm reduction."},
            is_public=rng.random() < 0.5,
        )
        organisation.refresh_name_key()  # the derived search keys, as services set them
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    people = []
    for n in range(members - n_orgs):
        full_name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        people.append(
            Person(
                full_name=full_name,
                name_key=normalize_name(full_name),
                email=f"person{n}@example.org",
                country=rng.choice(countries),
                expertise="Outreach and advocacy",
                is_public=rng.random() < 0.5,
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)

    Membership.objects.bulk_create(
        [
            Membership(organisation=o, type=org_type, status=status(), start_date=start,
                       end_date=end)
            for o in organisations
        ]
        + [
            Membership(person=p, type=person_type, status=status(), start_date=start,
                       end_date=end)
            for p in people
        ],
        batch_size=1000,
    )  # fmt: skip
    org_areas = Organisation.issue_areas.through
    person_areas = Person.issue_areas.through
    org_areas.objects.bulk_create(
        [
            org_areas(organisation_id=o.pk, issuearea_id=a.pk)
            for o in organisations
            for a in rng.sample(areas, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    person_areas.objects.bulk_create(
        [
            person_areas(person_id=p.pk, issuearea_id=a.pk)
            for p in people
            for a in rng.sample(areas, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    # Fresh statistics, as autovacuum would gather on a live database; without them the
    # planner guesses and the first minutes after a bulk load are not what users see.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(organisations), len(people)


def network_member(organisation: Organisation) -> User:
    """A member who also manages one organisation, so the policy's own-organisation
    query runs as it does for organisation admins."""
    user = User.objects.create_user(email="bench-member@example.org", password=None)
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER)[0])
    person = Person.objects.create(
        full_name="Bench Member", name_key="bench member", country=organisation.country, user=user
    )
    Affiliation.objects.create(person=person, organisation=organisation, is_admin=True)
    return user


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class SqlTimer:
    """Adds up the time spent in the database during one request."""

    def __init__(self) -> None:
        self.total = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:  # fmt: skip
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - start


def measure(client: Client, params: dict[str, str], runs: int) -> dict[str, Any]:
    for _ in range(3):  # warm caches: templates, shapes, the database's pages
        response = client.get(URL, params)
        if response.status_code != 200:
            raise SystemExit(f"{URL} {params}: HTTP {response.status_code}")
    reset_queries()  # the log is a bounded deque, full after the build
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    query_count = len(queries)  # read now: the next request resets the log
    found = re.search(r'id="directory-results-heading">(\d+)', response.content.decode())
    rows = int(found.group(1)) if found else -1
    totals, sqls = [], []
    for _ in range(runs):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            client.get(URL, params)
            totals.append(time.perf_counter() - start)
        sqls.append(timer.total)
    return {
        "rows": rows,
        "queries": query_count,
        "p50": statistics.median(totals),
        "p95": percentile(totals, 0.95),
        "sql50": statistics.median(sqls),
        "bytes": len(response.content),
    }


def baseline(runs: int) -> tuple[float, float]:
    """One indexed SELECT of a page of rows (25, by the name index), as the directory's
    own page-of-rows query returns them."""
    timings = []
    for n in range(runs + 3):
        start = time.perf_counter()
        list(Organisation.objects.order_by("name_key").values_list("pk", "name_key")[:25])
        if n >= 3:
            timings.append(time.perf_counter() - start)
    return statistics.median(timings), percentile(timings, 0.95)


def main() -> None:
    rng = random.Random(ARGS.seed)
    started = time.perf_counter()
    prepare_database()
    n_orgs, n_people = build(ARGS.members, rng)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    member = network_member(Organisation.objects.order_by("pk").first())

    # Production does not log every query; DEBUG only stays on for the static files.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.HRNET_MEMBER_MAP_CACHE_SECONDS = ARGS.map_cache
    anonymous_client = Client()
    member_client = Client()
    member_client.force_login(member)

    scenarios = [
        ("no filter", {}),
        ("sub-region", {"subregion": "CENTRAL_ASIA"}),
        ("country", {"country": "UA"}),
        ("type", {"type": "community_led"}),
        ("type individual", {"type": "individual"}),
        ("issue area", {"issue_area": "HIV"}),
        ("community-led", {"community_led": "on"}),
        ("name search", {"q": "recovery"}),
        ("name, Cyrillic", {"q": "организация 12"}),
        ("page 100", {"page": "100"}),
    ]
    base50, base95 = baseline(ARGS.runs)
    engine = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if engine == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    ms = 1000
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load}")
    print(
        f"members: {n_orgs + n_people} ({n_orgs} organisations, {n_people} individuals), "
        f"built in {built:.0f} s; database: {engine} {version}; "
        f"Python {platform.python_version()}; {ARGS.runs} timed requests per scenario; "
        f"map cache {ARGS.map_cache} s"
    )
    print(f"baseline  one indexed SELECT of a page of 25 rows: p50 {base50 * ms:.2f} ms, "
          f"p95 {base95 * ms:.2f} ms")  # fmt: skip
    print()
    header = (
        f"{'viewer':<10} {'filter':<16} {'rows':>6} {'queries':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'SQL p50':>8} {'KiB':>5} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for viewer, client in (("anonymous", anonymous_client), ("member", member_client)):
        for label, params in scenarios:
            result = measure(client, params, ARGS.runs)
            print(
                f"{viewer:<10} {label:<16} {result['rows']:>6} {result['queries']:>7} "
                f"{result['p50'] * ms:>8.1f} {result['p95'] * ms:>8.1f} "
                f"{result['sql50'] * ms:>8.1f} {result['bytes'] / 1024:>5.0f} "
                f"{result['p50'] / base50:>6.0f}x"
            )


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(os.environ["HRNET_VAR_DIR"], ignore_errors=True)
