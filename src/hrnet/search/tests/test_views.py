"""The search page and /api/v1/search, as a reader and an API client meet them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from hrnet.accounts.services import api_token_create
from hrnet.core.reference import issue_areas_load
from hrnet.search.tests.factories import entry_create

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def entries(db):
    issue_areas_load()
    return [
        entry_create(
            title="Гепатит C: доступ к лечению",
            language="ru",
            kind="guidance",
            summary="Тестирование и лечение в программах снижения вреда.",
            issue_areas=["VIRAL_HEPATITIS"],
            countries=["UA"],
        ),
        entry_create(title="Гепатит C: отчёт о бюджете", language="ru", kind="report"),
        entry_create(
            title="Гепатит C в тюрьмах: заметки секретариата",
            language="ru",
            kind="report",
            visibility="members",
        ),
    ]


def _search_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("search:search")


def test_in_russian_a_word_form_finds_the_title_and_a_facet_narrows_it(client, entries):
    page = client.get(_search_url("ru"), {"q": "гепатита"}).content.decode()

    assert "<mark>Гепатит</mark> C: доступ к лечению" in page
    assert "<mark>Гепатит</mark> C: отчёт о бюджете" in page
    assert "2 результата" in page

    narrowed = client.get(_search_url("ru"), {"q": "гепатита", "kind": "guidance"})

    assert "доступ к лечению" in narrowed.content.decode()
    assert "отчёт о бюджете" not in narrowed.content.decode()


def test_anonymous_visitors_do_not_find_what_members_find(client, member, entries):
    assert (
        "заметки секретариата" not in client.get(_search_url(), {"q": "гепатит"}).content.decode()
    )

    client.force_login(member)

    assert "заметки секретариата" in client.get(_search_url(), {"q": "гепатит"}).content.decode()


def test_htmx_gets_the_results_only(client, entries):
    response = client.get(_search_url(), {"q": "гепатит"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "доступ к лечению" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "гепатит " * 400},
        {"q": '"unbalanced'},
        {"q": "NOT OR AND * ^ : ( ) -"},
        {"q": "гепатит", "year": "not-a-year", "page": "x"},
        {"q": "гепатит", "page": "999"},
        {"q": "\x00"},
    ],
)
def test_odd_queries_answer_with_a_page(client, entries, params):
    response = client.get(_search_url(), params)

    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


def test_a_long_query_is_cut_and_the_reader_is_told(client, entries):
    page = client.get(_search_url(), {"q": "гепатит " * 400}).content.decode()

    assert "only its beginning was searched" in page


def test_a_script_in_a_record_never_runs_in_the_page(client, db):
    entry_create(title="<script>alert(1)</script> naloxone", summary="<b onmouseover=x>naloxone")

    page = client.get(_search_url(), {"q": "naloxone"}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "onmouseover=x>" not in page
    assert "&lt;script&gt;" in page


def test_the_api_applies_the_same_visibility_and_filters(client, member, entries):
    anonymous = client.get("/api/v1/search", {"q": "гепатита"}).json()
    _token, key = api_token_create(user=member, name="test")
    network = client.get(
        "/api/v1/search",
        {"q": "гепатита", "lang": "ru"},
        headers={"Authorization": f"Bearer {key}"},
    ).json()

    assert anonymous["count"] == 2
    assert network["count"] == 3
    assert {f["value"]: f["count"] for f in anonymous["facets"]["kind"]} == {
        "guidance": 1,
        "report": 1,
    }
    titles = {hit["title"] for hit in anonymous["results"]}
    assert titles == {"Гепатит C: доступ к лечению", "Гепатит C: отчёт о бюджете"}
    assert all(hit["url"] == "" or hit["url"].startswith("http") for hit in anonymous["results"])
    assert client.get("/api/v1/search", {"q": "гепатита", "lang": "en"}).json()["count"] == 0


def test_the_api_refuses_a_wrong_token_rather_than_answering_as_anonymous(client, entries):
    response = client.get(
        "/api/v1/search", {"q": "гепатит"}, headers={"Authorization": "Bearer wrong"}
    )

    assert response.status_code == 401


def test_the_api_answers_an_empty_query_with_the_newest(client, entries):
    body = client.get("/api/v1/search").json()

    assert body["searched"] is False
    assert body["count"] == 2
