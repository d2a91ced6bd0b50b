"""Server time of the discussions' heaviest pages, a category of 10,000 threads (first and
a deep page) and a thread of 1,000 posts (first and last page), against the member
directory's first page on 20,000 members measured in the same run; exits 1 when a page's
p95 is more than twice the directory's.

    uv run python bench/discussions_bench.py [--threads 10000] [--posts 1000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrnet_bench_disc \
        uv run python bench/discussions_bench.py

Uses DATABASE_URL when set (a throwaway database: its name must contain "bench", and
everything in it is deleted), else a temporary SQLite file. Builds the members as
bench/start_page_bench.py does, then the discussions with bulk_create and the counters
the services keep (`Category.thread_count`, `Thread.post_count`, `last_post_at`...; no
search entries): a members-only category whose threads have one to forty posts (about
200,000 posts in all, so the post table has a forum's size), and a thread of
`--posts` posts in Markdown by 60 members, with quotes and a few attachments, and read
markers of the viewer on a third of the threads. Requests every page as a network member
through Django's test client (3 warm-up requests, then `--runs` timed ones each) and
prints p50, p95, the number of queries, the size and the ratio of each p95 to the
directory's. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import math
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
parser.add_argument("--threads", type=int, default=10_000, help="threads in the category")
parser.add_argument("--posts", type=int, default=1_000, help="posts in the long thread")
parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--limit", type=float, default=2.0, help="largest p95 ratio that passes")
parser.add_argument(
    "--explain", action="store_true", help="print the queries of each page with their plans"
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
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from hrnet.accounts.models import User  # noqa: E402
from hrnet.accounts.roles import Role  # noqa: E402
from hrnet.core.models import IssueArea  # noqa: E402
from hrnet.core.reference import issue_areas_load  # noqa: E402
from hrnet.discussions.models import (  # noqa: E402
    Attachment,
    Category,
    Post,
    Preference,
    Thread,
    ThreadRead,
)
from hrnet.discussions.selectors import POSTS_PER_PAGE, THREADS_PER_PAGE  # noqa: E402
from hrnet.geo.models import Country, normalize_name  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402
from hrnet.members.models import (  # noqa: E402
    Affiliation,
    Membership,
    MembershipType,
    Organisation,
    Person,
)

WORDS = ["Harm Reduction", "Recovery", "Community", "Health", "Rights", "Outreach", "Support"]
FORMS = ["Network", "Foundation", "Centre", "Initiative", "Association", "Alliance"]
FIRST = ["Olena", "Ivan", "Aibek", "Nino", "Dmitri", "Ana", "Arman", "Zarina", "Mihai", "Eva"]
LAST = ["Ceban", "Ivanova", "Beridze", "Karimov", "Horvat", "Nowak", "Sultanova", "Petrov"]
TOPICS = [
    "Naloxone stock-outs",
    "Methadone take-home doses",
    "Hepatitis C treatment prices",
    "Police at needle exchange points",
    "Funding after the Global Fund transition",
    "Peer outreach in prisons",
    "Снижение вреда в Казахстане",
    "Закупки налоксона",
    "Тестирование на ВИЧ в общинах",
]
PARAGRAPHS = [
    "We ran out of **naloxone** twice this winter; the regional warehouse says the next "
    "delivery is in March. Has anyone found a way to borrow from a neighbouring city?",
    "In our experience the [national guidelines](https://example.org/guidelines) allow "
    "take-home doses after three months, but clinics read them differently.",
    "Мы договорились с аптеками о скидке на шприцы; список аптек — в приложении. "
    "Если нужно, пришлю шаблон письма.",
    "A short checklist we use:\n\n- peer-led outreach every evening\n- testing on the spot\n"
    "- referral cards in Russian and Kazakh",
    "The ministry asked for data by the end of the quarter. We will send *our* figures "
    "and the methodology; happy to share both.",
]


def prepare_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        sys.exit(f"Refusing to wipe database {name!r}: its name must contain 'bench'.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    geography_load()
    issue_areas_load()


def build_members(members: int, rng: random.Random) -> list[Organisation]:
    """As bench/directory_bench.py: organisations (70 %) and individuals (30 %), half
    listed publicly, 90 % active, one to three issue areas each."""
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
        organisation = Organisation(
            names={"en": f"{country.name} {rng.choice(WORDS)} {rng.choice(FORMS)} {n}"},
            name_original="",
            kind=kind,
            is_community_led=kind == "community_led" or rng.random() < 0.15,
            country=country,
            city="City",
            email=f"office{n}@example.org",
            descriptions={"en": "A member organisation working in harm reduction."},
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


def build_writers(count: int, rng: random.Random) -> list[User]:
    """Network members who write in the discussions, each with a mention name."""
    group = Group.objects.get_or_create(name=Role.MEMBER)[0]
    users = User.objects.bulk_create(
        [
            User(
                email=f"writer{n}@example.org",
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}-{n}",
                preferred_language=rng.choice(["en", "ru"]),
            )
            for n in range(count)
        ]
    )
    users = list(User.objects.filter(email__startswith="writer").order_by("pk"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users]
    )
    Preference.objects.bulk_create(
        [Preference(user=u, handle=f"writer{n}") for n, u in enumerate(users)]
    )
    return users


def viewer(organisation: Organisation) -> User:
    """The network member who reads every page (as bench/directory_bench.py's member,
    who also manages an organisation)."""
    user = User.objects.create_user(email="bench-member@example.org", password=None)
    user.full_name = "Bench Member"
    user.save(update_fields=["full_name"])
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER)[0])
    person = Person.objects.create(
        full_name="Bench Member", name_key="bench member", country=organisation.country, user=user
    )
    Affiliation.objects.create(person=person, organisation=organisation, is_admin=True)
    Preference.objects.create(user=user, handle="bench-member")
    return user


def body(rng: random.Random, number: int, writers: list[User]) -> str:
    parts = rng.sample(PARAGRAPHS, rng.randint(1, 3))
    if number > 1 and rng.random() < 0.3:
        parts.insert(0, "> " + rng.choice(PARAGRAPHS).splitlines()[0])
    if rng.random() < 0.1:
        parts.append(f"@writer{rng.randrange(len(writers))} what do you think?")
    return "\n\n".join(parts)


def build_discussions(
    threads: int, posts: int, writers: list[User], reader: User, rng: random.Random
) -> tuple[Category, Thread]:
    """A members-only category of `threads` threads (the newest is the long one) and its
    counters as the services keep them."""
    now = timezone.now()
    category = Category.objects.create(
        slug="harm-reduction",
        names={"en": "Harm reduction practice", "ru": "Практика снижения вреда"},
        descriptions={"en": "Questions and answers.", "ru": "Вопросы и ответы."},
        visibility=Category.Visibility.MEMBERS,
    )
    rows: list[Thread] = []
    for n in range(threads):
        last = now - timedelta(minutes=10 * (threads - n) + rng.randint(0, 9))
        count = rng.randint(1, 40)
        author, last_author = rng.choice(writers), rng.choice(writers)
        rows.append(
            Thread(
                category=category,
                title=f"{rng.choice(TOPICS)} ({n})",
                author=author,
                language=rng.choice(["en", "ru"]),
                pinned=n < 2,
                last_post_at=last,
                post_count=count,
                reply_count=count - 1,
                last_author=last_author,
            )
        )
    Thread.objects.bulk_create(rows, batch_size=1000)
    ids = list(Thread.objects.filter(category=category).order_by("pk").values_list("pk", flat=True))
    # Every post the counters count, so the post table has the size the plans meet (the
    # category page reads counters only; the thread page reads one thread's posts).
    batch: list[Post] = []
    for pk, row in zip(ids[:-1], rows[:-1], strict=True):
        for number in range(1, row.post_count + 1):
            batch.append(
                Post(
                    thread_id=pk,
                    number=number,
                    author=row.last_author if number == row.post_count else rng.choice(writers),
                    body=rng.choice(PARAGRAPHS),
                    language=row.language,
                    created_at=row.last_post_at - timedelta(hours=row.post_count - number),
                )
            )
        if len(batch) >= 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    # The long thread: the newest, not pinned, `posts` posts.
    long_thread = Thread.objects.get(pk=ids[-1])
    start = now - timedelta(days=60)
    Post.objects.bulk_create(
        [
            Post(
                thread=long_thread,
                number=n,
                author=rng.choice(writers),
                body=body(rng, n, writers),
                language=rng.choice(["en", "ru"]),
                created_at=start + timedelta(minutes=80 * n),
                edited_at=start + timedelta(minutes=80 * n + 5) if rng.random() < 0.05 else None,
            )
            for n in range(1, posts + 1)
        ],
        batch_size=1000,
    )
    # A third of the replies answer an earlier post (the page shows "in reply to").
    in_thread = list(Post.objects.filter(thread=long_thread).order_by("number"))
    answering = [p for p in in_thread[1:] if rng.random() < 0.3]
    for post in answering:
        post.reply_to = in_thread[rng.randrange(post.number - 1)]
    Post.objects.bulk_update(answering, ["reply_to"], batch_size=500)
    last_post = Post.objects.get(thread=long_thread, number=posts)
    Thread.objects.filter(pk=long_thread.pk).update(
        title="Naloxone stock-outs: one long thread",
        pinned=False,
        post_count=posts,
        reply_count=posts - 1,
        last_post_at=last_post.created_at,
        last_author=last_post.author,
    )
    # A few attachments in the long thread (rows only: the page lists them).
    for post in Post.objects.filter(thread=long_thread, number__in=range(5, posts + 1, 50)):
        attachment = Attachment(
            post=post,
            name="pharmacies.pdf",
            content_type="application/pdf",
            size=2048,
            sha256="0" * 64,
        )
        attachment.file.save("pharmacies.pdf", ContentFile(b"%PDF-1.4 bench"), save=False)
        attachment.save()
    totals = Thread.objects.filter(category=category)
    Category.objects.filter(pk=category.pk).update(
        thread_count=totals.count(),
        post_count=sum(totals.values_list("post_count", flat=True)),
        last_post_at=totals.order_by("-last_post_at").values_list("last_post_at", flat=True)[0],
    )
    # The viewer has opened a third of the threads, some of them to the end.
    ThreadRead.objects.bulk_create(
        [
            ThreadRead(user=reader, thread_id=pk, last_read_number=1)
            for pk in ids[:-1]
            if rng.random() < 0.33
        ],
        batch_size=2000,
    )
    category.refresh_from_db()
    long_thread.refresh_from_db()
    return category, long_thread


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, url: str, runs: int) -> dict[str, Any]:
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    reset_queries()
    spent: list[float] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - start)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
        response = client.get(url)
    captured = list(queries.captured_queries)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return {
        "queries": len(captured),
        "captured": captured,
        "sql_ms": sum(spent) * 1000,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "bytes": len(response.content),
    }


def explain(captured: list[dict[str, Any]]) -> None:
    """Each query of one request with its time and plan, slowest first."""
    for query in sorted(captured, key=lambda q: -float(q["time"]))[:8]:
        sql = query["sql"]
        print(f"  {float(query['time']) * 1000:7.2f} ms  {sql[:300]}")
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("      ", " ".join(str(v) for v in row))


def main() -> int:
    rng = random.Random(ARGS.seed)
    started = time.perf_counter()
    prepare_database()
    organisations = build_members(ARGS.members, rng)
    writers = build_writers(60, rng)
    reader = viewer(organisations[0])
    category, long_thread = build_discussions(ARGS.threads, ARGS.posts, writers, reader, rng)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
        cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(reader)

    category_url = f"/en/discussions/c/{category.slug}/"
    thread_url = f"/en/discussions/t/{long_thread.pk}/"
    deep = max(1, math.ceil(category.thread_count / THREADS_PER_PAGE) - 1)
    last = max(1, math.ceil(long_thread.post_count / POSTS_PER_PAGE))
    pages = (
        ("directory", "/en/members/directory/"),
        ("category p1", category_url),
        (f"category p{deep}", f"{category_url}?page={deep}"),
        ("thread p1", thread_url),
        (f"thread p{last}", f"{thread_url}?page={last}"),
    )

    engine = connection.vendor
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load}")
    print(
        f"members: {ARGS.members}; category: {category.thread_count} threads, "
        f"{category.post_count} posts counted, {Post.objects.count()} stored; "
        f"long thread: {long_thread.post_count} posts; "
        f"built in {built:.0f} s; database: {engine}; Python {platform.python_version()}; "
        f"{ARGS.runs} timed requests per page, as a network member"
    )
    print()
    header = (
        f"{'page':<16} {'queries':>7} {'SQL ms':>7} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>5} "
        f"{'p95/dir':>8}"
    )
    print(header)
    print("-" * len(header))
    results: dict[str, dict[str, Any]] = {}
    worst = 0.0
    for label, url in pages:
        result = measure(client, url, ARGS.runs)
        results[label] = result
        ratio = result["p95"] / results["directory"]["p95"]
        if label != "directory":
            worst = max(worst, ratio)
        print(
            f"{label:<16} {result['queries']:>7} {result['sql_ms']:>7.1f} "
            f"{result['p50'] * 1000:>8.1f} {result['p95'] * 1000:>8.1f} "
            f"{result['bytes'] / 1024:>5.0f} {ratio:>7.2f}x"
        )
    verdict = "ok" if worst <= ARGS.limit else "OVER"
    print()
    print(f"worst p95 / directory p95: {worst:.2f} (limit {ARGS.limit:.1f}x) {verdict}")
    if ARGS.explain:
        for label, result in results.items():
            print(f"\n{label}: {result['queries']} queries")
            explain(result["captured"])
    return 0 if worst <= ARGS.limit else 1


if __name__ == "__main__":
    try:
        code = main()
    finally:
        connection.close()
        shutil.rmtree(os.environ["HRNET_VAR_DIR"], ignore_errors=True)
    sys.exit(code)
