"""Server time of the secretariat's start page (/en/me/) on 20,000 members, against the
member directory's first page measured in the same run; exits 1 when the start page's
p95 is more than twice the directory's.

    uv run python bench/start_page_bench.py [--members 20000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrnet_bench \
        uv run python bench/start_page_bench.py

Uses DATABASE_URL when set (a throwaway database: its name must contain "bench", and
everything in it is deleted), else a temporary SQLite file. Builds the members as
bench/directory_bench.py does (bulk_create), with the work a network of that size has
waiting: terms ending within 30 days, lapsed members, open applications, pending
signatures, submissions to moderate, assistance requests (some overdue), failed jobs and
sites behind with their reporting forms. Then requests both pages as the secretariat
through Django's test client (3 warm-up requests, then `--runs` timed ones each) and
prints p50, p95, the number of queries and the ratio of the p95s. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--members", type=int, default=20_000)
parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--limit", type=float, default=2.0, help="largest p95 ratio that passes")
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
from hrnet.assistance.models import AssistanceRequest, Kind  # noqa: E402
from hrnet.campaigns.models import Campaign, Signature  # noqa: E402
from hrnet.core.models import IssueArea, TaskProgress  # noqa: E402
from hrnet.core.reference import issue_areas_load  # noqa: E402
from hrnet.evidence.models import ReportingForm  # noqa: E402
from hrnet.geo.models import Country, normalize_name  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402
from hrnet.library.models import Resource  # noqa: E402
from hrnet.members.models import (  # noqa: E402
    Application,
    Membership,
    MembershipType,
    Organisation,
    Person,
    PrinciplesVersion,
)
from hrnet.outreach.models import Site  # noqa: E402
from hrnet.portal.work import work_queues  # noqa: E402

PAGES = (("start page", "/en/me/"), ("directory", "/en/members/directory/"))
WORDS = ["Harm Reduction", "Recovery", "Community", "Health", "Rights", "Outreach", "Support"]
FORMS = ["Network", "Foundation", "Centre", "Initiative", "Association", "Alliance"]
FIRST = ["Olena", "Ivan", "Aibek", "Nino", "Dmitri", "Ana", "Arman", "Zarina", "Mihai", "Eva"]
LAST = ["Ceban", "Ivanova", "Beridze", "Karimov", "Horvat", "Nowak", "Sultanova", "Petrov"]


def prepare_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        sys.exit(f"Refusing to wipe database {name!r}: its name must contain 'bench'.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    geography_load()
    issue_areas_load()


def build_members(members: int, rng: random.Random) -> list[Organisation]:
    """Organisations (70 %) and individuals (30 %); of the memberships 5 % end within 30
    days, 5 % are in grace and 5 % lapsed (a year's renewals spread over the year)."""
    countries = list(Country.objects.all())
    areas = list(IssueArea.objects.all())
    org_type = MembershipType.objects.create(
        code="bench-org", names={"en": "Organisational"}, kind="organisational"
    )
    person_type = MembershipType.objects.create(
        code="bench-ind", names={"en": "Individual"}, kind="individual"
    )
    today = timezone.localdate()

    def term() -> tuple[str, Any]:
        roll = rng.random()
        if roll < 0.05:
            return Membership.Status.ACTIVE, today + timedelta(days=rng.randint(0, 29))
        if roll < 0.10:
            return Membership.Status.GRACE, today - timedelta(days=rng.randint(1, 60))
        if roll < 0.15:
            return Membership.Status.LAPSED, today - timedelta(days=rng.randint(61, 700))
        return Membership.Status.ACTIVE, today + timedelta(days=rng.randint(30, 365))

    n_orgs = members * 7 // 10
    organisations = []
    for n in range(n_orgs):
        country = rng.choice(countries)
        organisation = Organisation(
            names={"en": f"{country.name} {rng.choice(WORDS)} {rng.choice(FORMS)} {n}"},
            name_original="",
            kind=rng.choice([k for k, _label in Organisation.Kind.choices]),
            country=country,
            email=f"office{n}@example.org",
            is_public=rng.random() < 0.5,
        )
        organisation.refresh_name_key()
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
                is_public=rng.random() < 0.5,
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    memberships = []
    for record in organisations + people:
        status, end = term()
        owner = {"organisation": record} if isinstance(record, Organisation) else {"person": record}
        memberships.append(
            Membership(
                **owner,
                type=org_type if "organisation" in owner else person_type,
                status=status,
                start_date=end - timedelta(days=365),
                end_date=end,
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=1000)
    through = Organisation.issue_areas.through
    through.objects.bulk_create(
        [
            through(organisation_id=o.pk, issuearea_id=a.pk)
            for o in organisations
            for a in rng.sample(areas, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    return organisations


def build_work(organisations: list[Organisation], rng: random.Random) -> None:
    """What waits for the secretariat in a network of this size (about 1 % of it)."""
    scale = max(1, len(organisations) // 1000)
    countries = list(Country.objects.all())
    area = IssueArea.objects.first()
    principles = PrinciplesVersion.objects.create(
        number=1, texts={"en": "Principles"}, published_at=timezone.now()
    )
    Application.objects.bulk_create(
        [
            Application(
                kind=Application.Kind.ORGANISATION,
                organisation=rng.choice(organisations),
                status=rng.choice((*Application.OPEN_STATUSES, "approved", "rejected")),
                contact_name="Applicant",
                contact_email=f"applicant{n}@example.org",
                principles_version=principles,
                principles_accepted_at=timezone.now(),
                access_token=f"bench-{n}",
            )
            for n in range(20 * scale)
        ]
    )
    campaign = Campaign.objects.create(
        slug="bench", titles={"en": "Bench campaign"}, status=Campaign.Status.ACTIVE
    )
    Signature.objects.bulk_create(
        [
            Signature(
                campaign=campaign,
                organisation_name=f"Signer {n}",
                name_key=f"signer {n}",
                country=rng.choice(countries),
                contact_name="Contact",
                contact_email=f"signer{n}@example.org",
                status=rng.choice([Signature.Status.PENDING, Signature.Status.VERIFIED]),
            )
            for n in range(20 * scale)
        ]
    )
    today = timezone.localdate()
    Resource.objects.bulk_create(
        [
            Resource(
                type=Resource.Type.choices[0][0],
                title=f"Submission {n}",
                language="en",
                publication_date=today,
                status=Resource.Status.SUBMITTED,
            )
            for n in range(5 * scale)
        ]
    )
    AssistanceRequest.objects.bulk_create(
        [
            AssistanceRequest(
                organisation=rng.choice(organisations),
                title=f"Request {n}",
                issue_area=area,
                kind=Kind.ADVOCACY,
                country=rng.choice(countries),
                description="Help",
                status=rng.choice(AssistanceRequest.OPEN_STATUSES),
                due_date=today + timedelta(days=rng.randint(-30, 30)),
            )
            for n in range(10 * scale)
        ]
    )
    TaskProgress.objects.bulk_create(
        [
            TaskProgress(name="Import", status=rng.choice(["done", "failed"]))
            for _ in range(10 * scale)
        ]
    )
    Site.objects.bulk_create(
        [
            Site(
                name=f"Site {n}",
                organisation=rng.choice(organisations),
                country=rng.choice(countries),
            )
            for n in range(2 * scale)
        ]
    )
    ReportingForm.objects.create(
        code="monthly", names={"en": "Monthly"}, first_period=f"{today.year - 1}-01"
    )


def secretariat_user() -> User:
    user = User.objects.create_user(email="bench-secretariat@example.org", password=None)
    user.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT)[0])
    return user


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, url: str, runs: int) -> dict[str, Any]:
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return {
        "queries": query_count,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "bytes": len(response.content),
    }


def main() -> int:
    rng = random.Random(ARGS.seed)
    started = time.perf_counter()
    prepare_database()
    organisations = build_members(ARGS.members, rng)
    build_work(organisations, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    officer = secretariat_user()
    client = Client()
    client.force_login(officer)

    engine = connection.vendor
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load}")
    print(
        f"members: {ARGS.members}, built in {built:.0f} s; database: {engine}; "
        f"Python {platform.python_version()}; {ARGS.runs} timed requests per page, "
        "as the secretariat"
    )
    queues = ", ".join(f"{q.queue} {q.count}" for q in work_queues(user=officer) if q.count)
    print(f"the secretariat's queues: {queues}")
    print()
    header = f"{'page':<12} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>5}"
    print(header)
    print("-" * len(header))
    results = {}
    for label, url in PAGES:
        result = measure(client, url, ARGS.runs)
        results[label] = result
        print(
            f"{label:<12} {result['queries']:>7} {result['p50'] * 1000:>8.1f} "
            f"{result['p95'] * 1000:>8.1f} {result['bytes'] / 1024:>5.0f}"
        )
    ratio = results["start page"]["p95"] / results["directory"]["p95"]
    verdict = "ok" if ratio <= ARGS.limit else "OVER"
    print()
    print(f"p95 start page / directory: {ratio:.2f} (limit {ARGS.limit:.1f}x) {verdict}")
    return 0 if ratio <= ARGS.limit else 1


if __name__ == "__main__":
    try:
        code = main()
    finally:
        connection.close()
        shutil.rmtree(os.environ["HRNET_VAR_DIR"], ignore_errors=True)
    sys.exit(code)
