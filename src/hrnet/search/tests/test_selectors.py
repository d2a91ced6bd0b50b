"""The search as readers meet it: stemming, ranking, visibility, facets, highlighting.
Runs on whichever engine the suite runs on (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hrnet.core.reference import issue_areas_load
from hrnet.search.models import SearchEntry
from hrnet.search.selectors import NEWEST, SearchFilters, search
from hrnet.search.tests.factories import entry_create

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def library(db):
    issue_areas_load()
    return {
        "hcv_ru": entry_create(
            title="Гепатит C: доступ к лечению для людей, употребляющих наркотики",
            language="ru",
            kind="guidance",
            summary="Как организовать тестирование и лечение гепатита C в программах.",
            issue_areas=["VIRAL_HEPATITIS"],
            countries=["UA", "MD"],
            year=2025,
        ),
        "hcv_en": entry_create(
            title="Hepatitis C treatment for people who inject drugs",
            language="en",
            kind="report",
            summary="Treating hepatitis C in harm reduction programmes.",
            issue_areas=["VIRAL_HEPATITIS", "HIV"],
            countries=["UA"],
            year=2024,
        ),
        "naloxone": entry_create(
            title="Naloxone distribution by peers",
            language="en",
            kind="best_practice",
            body="Peers carried naloxone kits to people released from prison.",
            issue_areas=["ACCESS_TO_HEALTH"],
            countries=["KZ"],
            year=2023,
        ),
        "members_only": entry_create(
            title="Hepatitis C budget advocacy: internal notes",
            language="en",
            kind="policy_brief",
            visibility="members",
            year=2025,
        ),
        "scheduled": entry_create(
            title="Hepatitis C day announcement",
            language="en",
            kind="announcement",
            published_at=timezone.now() + timedelta(days=3),
        ),
    }


def _titles(results):
    return [hit.entry.title for hit in results.hits]


def test_a_russian_word_form_finds_the_title_in_another_form(library, client):
    results = search(user=None, q="гепатита")

    assert library["hcv_ru"].title in _titles(results)
    assert "<mark>Гепатит</mark> C" in results.hits[0].title


def test_an_english_query_finds_stemmed_forms_ranked_by_title_first(library):
    results = search(user=None, q="treating hepatitis")

    assert _titles(results)[0] == library["hcv_en"].title


def test_anonymous_readers_never_find_members_only_records(library, member):
    anonymous = search(user=None, q="hepatitis")
    network = search(user=member, q="hepatitis")

    assert library["members_only"].title not in _titles(anonymous)
    assert library["members_only"].title in _titles(network)
    assert anonymous.count == network.count - 1


def test_a_scheduled_record_is_found_only_once_its_time_has_come(library):
    assert library["scheduled"].title not in _titles(search(user=None, q="hepatitis"))

    SearchEntry.objects.filter(pk=library["scheduled"].pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )

    assert library["scheduled"].title in _titles(search(user=None, q="hepatitis"))


def test_facets_count_the_results_and_a_facet_narrows_them(library):
    results = search(user=None, q="C")

    assert {v.value: v.count for v in results.facets["kind"]} == {"guidance": 1, "report": 1}
    assert {v.value: v.count for v in results.facets["language"]} == {"en": 1, "ru": 1}
    assert {v.value: v.count for v in results.facets["country"]}["UA"] == 2
    assert {v.value: v.count for v in results.facets["issue_area"]}["VIRAL_HEPATITIS"] == 2
    assert {v.value for v in results.facets["year"]} == {"2024", "2025"}

    narrowed = search(user=None, q="C", filters=SearchFilters(kind="guidance"))

    assert _titles(narrowed) == [library["hcv_ru"].title]
    assert [v.value for v in narrowed.facets["kind"] if v.selected] == ["guidance"]


def test_words_from_both_languages_must_all_match(library):
    # Every word must match (AND), as on PostgreSQL's websearch syntax.
    assert search(user=None, q="hepatitis naloxone").count == 0


def test_phrases_and_excluded_words(library):
    assert _titles(search(user=None, q='"naloxone distribution"')) == [library["naloxone"].title]
    assert search(user=None, q='"distribution naloxone"').count == 0
    assert library["hcv_en"].title not in _titles(search(user=None, q="hepatitis -drugs"))


def test_the_body_is_searched_and_the_snippet_shows_the_passage(library):
    results = search(user=None, q="released prisons")

    assert _titles(results) == [library["naloxone"].title]
    assert "<mark>released</mark> from <mark>prison</mark>" in results.hits[0].snippet


def test_an_empty_query_lists_everything_visible_newest_first(library):
    results = search(user=None, q="   ")

    assert not results.searched
    assert results.sort == NEWEST
    assert results.count == 3  # not the members-only one, not the scheduled one
    published = [hit.entry.published_at for hit in results.hits]
    assert published == sorted(published, reverse=True)


def test_stop_words_only_and_very_long_queries_answer(library):
    assert search(user=None, q="the of and").count == 3
    long = search(user=None, q="hepatitis " + "x" * 5000)
    assert long.query_cut


def test_script_in_a_record_is_shown_as_text(db):
    entry_create(
        title="<script>alert('title')</script> Hepatitis",
        summary="<img src=x onerror=alert(1)> hepatitis testing",
    )

    hit = search(user=None, q="hepatitis").hits[0]

    assert "<script>" not in hit.title
    assert "&lt;script&gt;" in hit.title
    assert "<img" not in hit.snippet
    assert "<mark>hepatitis</mark>" in hit.snippet
