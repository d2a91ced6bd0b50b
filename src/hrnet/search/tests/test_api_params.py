"""Search API parameters that cannot mean anything answer 400 in words, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hrnet.search.selectors import SearchFilters, search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"lang": "xx"}, "lang", "Write a language code: en, ru."),
        ({"sort": "zz"}, "sort", "Sort by relevance or newest."),
        ({"year": -5558087}, "year", "Write a year between 1900 and 2200."),
        ({"year": 10**20}, "year", "Write a year between 1900 and 2200."),
    ],
)
def test_nonsense_parameters_answer_400_in_words(
    client: Client, params: dict[str, Any], field: str, words: str
) -> None:
    response = client.get("/api/v1/search", params)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [words]}


def test_unknown_lang_sort_and_a_far_page_together(client: Client) -> None:
    response = client.get("/api/v1/search", {"lang": "xx", "sort": "zz", "page": "228678"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"lang", "sort"}


def test_a_page_past_the_last_answers_the_last_page(client: Client) -> None:
    response = client.get("/api/v1/search", {"q": "hepatitis", "page": "228678"})
    assert response.status_code == 200
    assert response.json()["page"] == 1


def test_known_values_still_search(client: Client) -> None:
    response = client.get("/api/v1/search", {"lang": "ru", "sort": "newest", "year": "2024"})
    assert response.status_code == 200


def test_a_year_out_of_the_fields_range_finds_nothing_in_the_selector() -> None:
    # The page's form and the API refuse it; the selector itself copes too.
    results = search(user=None, filters=SearchFilters(year=-5558087))
    assert results.count == 0
