"""Search time over 100,000 resources of generated English and Russian text: p50 and p95
of the whole search (ranked page, highlighted snippets, total and five facet counts) for a
fixed query set, beside the bare full-text query on the same index (the 20 best ids of a
MATCH / @@, nothing else) measured in the same run.

    uv run python bench/search_bench.py [--entries 100000] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrnet_bench \\
        uv run python bench/search_bench.py

Uses DATABASE_URL when set (a throwaway database: its name must contain "bench", and
everything in it is deleted), else a temporary SQLite file. Entries are written with
bulk_create and indexed in batches by the same code as the application
(`search.engines.index_write`). See bench/RESULTS.md for runs and targets.
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
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--entries", type=int, default=100_000)
parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
parser.add_argument("--seed", type=int, default=11)
ARGS = parser.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrnet.settings")
os.environ["HRNET_VAR_DIR"] = tempfile.mkdtemp(prefix="hrnet-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(os.environ['HRNET_VAR_DIR']) / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from hrnet.core.models import IssueArea  # noqa: E402
from hrnet.core.reference import issue_areas_load  # noqa: E402
from hrnet.geo.models import Country  # noqa: E402
from hrnet.geo.reference import geography_load  # noqa: E402
from hrnet.search import engines  # noqa: E402
from hrnet.search.models import SearchEntry  # noqa: E402
from hrnet.search.query import query_parse  # noqa: E402
from hrnet.search.selectors import SearchFilters, search  # noqa: E402

EN_TERMS = """
harm reduction programme needle syringe exchange opioid substitution therapy methadone
buprenorphine naloxone overdose prevention hepatitis treatment testing HIV prevention antiretroviral
community outreach workers peer support people who inject drugs prisons
police human rights stigma discrimination funding Global Fund transition domestic
financing budget advocacy monitoring evaluation coverage targets services women gender
violence young people chemsex stimulants new psychoactive substances drug policy
decriminalisation criminal justice legal aid health insurance clinics
"""
RU_TERMS = """
снижение вреда программа обмен шприцев игл опиоидная заместительная
терапия метадон бупренорфин налоксон передозировка профилактика гепатит лечение
тестирование ВИЧ антиретровирусная аутрич работники равные консультанты люди
употребляющие наркотики тюрьмы полиция права человека стигма дискриминация
финансирование Глобальный фонд переход государственное бюджет адвокация мониторинг
оценка охват услуги женщины гендерное насилие молодежь стимуляторы
новые психоактивные вещества наркополитика декриминализация правосудие юридическая помощь
страхование клиники
"""
# Inflected forms so that stemming matters.
RU_FORMS = ["", "а", "у", "ом", "ы", "ов", "ам", "ами", "ах", "е"]
EN_FORMS = ["", "s", "ing", "ed"]
KINDS = ["guidance", "report", "overview", "best_practice", "case_study", "training",
         "methodology", "policy_brief", "dataset"]  # fmt: skip
QUERIES: list[tuple[str, SearchFilters]] = [
    ("naloxone", SearchFilters()),
    ("hepatitis treatment", SearchFilters()),
    ('"opioid substitution"', SearchFilters()),
    ("methadone -prisons", SearchFilters()),
    ("decriminalisation legal aid", SearchFilters()),
    ("chemsex", SearchFilters(kind="report")),
    ("гепатита", SearchFilters()),
    ("лечение гепатита", SearchFilters()),
    ("налоксона передозировки", SearchFilters()),
    ('"снижение вреда"', SearchFilters(language="ru")),
    ("финансированием", SearchFilters(country="UA")),
    ("стимуляторы молодежь", SearchFilters(issue_area="HIV")),
]


def prepare_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" and "bench" not in name:
        sys.exit(f"Refusing to wipe {name!r}: use a database whose name contains 'bench'.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    geography_load()
    issue_areas_load()


class Vocabulary:
    """Words drawn as in real text (Zipf's law): the domain terms spread over the ranks of
    a few thousand made-up filler words, so a query term matches a realistic share of the
    documents (from a fraction of a percent to a few percent), not all of them."""

    def __init__(self, terms: str, syllables: list[str], forms: list[str], rng: random.Random):
        fillers = {
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(4000)
        }
        words = sorted(fillers)
        rng.shuffle(words)
        for rank, term in zip(range(15, 15 * 200, 15), terms.split(), strict=False):
            words.insert(rank, term)
        self.words = words
        self.forms = forms
        self.cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(words))))

    def sentence(self, rng: random.Random, n: int) -> str:
        chosen = rng.choices(self.words, cum_weights=self.cumulative, k=n)
        return " ".join(word + rng.choice(self.forms) for word in chosen)


def build(total: int, rng: random.Random) -> float:
    started = time.perf_counter()
    content_type = ContentType.objects.get_for_model(SearchEntry)
    areas = list(IssueArea.objects.all())
    countries = list(Country.objects.all())
    area_link = SearchEntry.issue_areas.through
    country_link = SearchEntry.countries.through
    now = datetime.now(UTC)
    english_words = Vocabulary(EN_TERMS, ["ta", "re", "mo", "lin", "ver", "sa", "ko", "pri"],
                               EN_FORMS, rng)  # fmt: skip
    russian_words = Vocabulary(RU_TERMS, ["ка", "ро", "ми", "ва", "ст", "пре", "ло", "ну"],
                               RU_FORMS, rng)  # fmt: skip
    batch = 2_000
    for start in range(0, total, batch):
        entries = []
        for i in range(start, min(total, start + batch)):
            russian = i % 2 == 1
            vocabulary = russian_words if russian else english_words
            published = now - timedelta(days=rng.randint(1, 3650))
            entries.append(
                SearchEntry(
                    content_type=content_type,
                    object_id=i + 1,
                    kind=rng.choice(KINDS),
                    language="ru" if russian else "en",
                    title=vocabulary.sentence(rng, rng.randint(5, 10)).capitalize(),
                    summary=vocabulary.sentence(rng, 30),
                    body=vocabulary.sentence(rng, 150),
                    url_name="library:resource_detail",
                    visibility="members" if i % 10 == 0 else "public",
                    published_at=published,
                    year=published.year,
                )
            )
        with transaction.atomic():
            created = SearchEntry.objects.bulk_create(entries)
            area_link.objects.bulk_create(
                area_link(searchentry_id=e.pk, issuearea_id=rng.choice(areas).pk) for e in created
            )
            country_link.objects.bulk_create(
                country_link(searchentry_id=e.pk, country_id=rng.choice(countries).pk)
                for e in created
            )
            engines.index_write([e.pk for e in created])
        print(f"\r  built {min(total, start + batch)}/{total}", end="", file=sys.stderr)
    print(file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def bare_query(q: str) -> None:
    """The baseline: the 20 best ids of the full-text index alone."""
    query = query_parse(q)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            terms = [f'"{" ".join(t)}"' for t in query.terms]
            terms += [f'-"{" ".join(t)}"' for t in query.excluded]
            cursor.execute(
                "SELECT id FROM search_searchentry, websearch_to_tsquery('russian', %s) q "
                "WHERE vector @@ q ORDER BY ts_rank(vector, q) DESC LIMIT 20",
                [" ".join(terms)],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY bm25(search_fts, 10.0, 4.0, 1.0) LIMIT 20",
                [engines.fts5(query)],
            )
        cursor.fetchall()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    rng = random.Random(ARGS.seed)
    prepare_database()
    print(f"Building {ARGS.entries} entries ({connection.vendor})…", file=sys.stderr)
    build_seconds = build(ARGS.entries, rng)
    full: list[float] = []
    bare: list[float] = []
    rows = []
    for q, filters in QUERIES:
        search(user=None, q=q, filters=filters)  # warm
        bare_query(q)
        times, bare_times = [], []
        count = 0
        for _run in range(ARGS.runs):
            started = time.perf_counter()
            count = search(user=None, q=q, filters=filters).count
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare_query(q)
            bare_times.append(time.perf_counter() - started)
        full += times
        bare += bare_times
        rows.append((q, filters, count, statistics.median(times), statistics.median(bare_times)))

    print(f"\nsearch bench · {connection.vendor} · {ARGS.entries} entries · {ARGS.runs} runs")
    print(f"machine: {platform.node()} · {platform.machine()} · {os.cpu_count()} cpus · "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"index build: {build_seconds:.1f} s ({ARGS.entries / build_seconds:.0f} entries/s)")
    print(
        f"{'query':<34} {'filter':<22} {'results':>8} {'search ms':>10} {'bare ms':>8} {'ratio':>6}"
    )
    for q, filters, count, median, bare_median in rows:
        label = ",".join(f"{k}={v}" for k, v in filters.as_params().items()) or "-"
        print(
            f"{q:<34} {label:<22} {count:>8} {median * 1000:>10.1f} {bare_median * 1000:>8.1f}"
            f" {median / bare_median:>6.1f}"
        )
    p50, p95 = percentile(full, 0.5), percentile(full, 0.95)
    b50, b95 = percentile(bare, 0.5), percentile(bare, 0.95)
    print(f"\nall queries: search p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; "
          f"bare full-text p50 {b50 * 1000:.1f} ms, p95 {b95 * 1000:.1f} ms; "
          f"ratio p50 {p50 / b50:.1f}x, p95 {p95 / b95:.1f}x")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["HRNET_VAR_DIR"], ignore_errors=True)
