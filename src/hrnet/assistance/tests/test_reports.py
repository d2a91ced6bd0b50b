"""The assistance report: satisfaction and days to delivery by country, sub-region, kind,
topic and expert, for a period and a country; refusals in words; CSV and XLSX."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hrnet.assistance import selectors
from hrnet.assistance.tests.factories import AssistanceRequestFactory, ExpertFactory, issue_area
from hrnet.members.tests.factories import country


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T10:00:00+00:00")


def _request(iso2: str, submitted: str, delivered: str | None = None, **fields: Any) -> Any:
    return AssistanceRequestFactory.create(
        country=country(iso2),
        created_at=_at(submitted),
        status="delivered" if delivered else "submitted",
        delivered_at=_at(delivered) if delivered else None,
        **fields,
    )


@pytest.fixture
def delivered(geography: None) -> dict[str, Any]:
    """Three delivered requests in early 2025 and one waiting since 2024:
    Anna: Moldova advocacy (10 days, rated 5) and Ukraine (6 days, rated 4);
    Boris: Moldova legal (4 days, rated 3) and the same Ukraine request."""
    anna = ExpertFactory.create(user__full_name="Anna Expert")
    boris = ExpertFactory.create(user__full_name="Boris Expert")
    _request("MD", "2025-01-10", "2025-01-20", rating=5, experts=[anna])
    _request(
        "MD", "2025-02-01", "2025-02-05", rating=3, kind="legal",
        issue_area=issue_area("ost"), experts=[boris],
    )  # fmt: skip
    _request("UA", "2025-03-01", "2025-03-07", rating=4, experts=[anna, boris])
    _request("GE", "2024-12-01")
    return {"anna": anna, "boris": boris}


def _rows(report: selectors.Report, table: str) -> dict[str, selectors.Row]:
    return {row.label: row for row in report.tables[table]}


@pytest.mark.usefixtures("delivered")
def test_satisfaction_and_days_to_delivery_by_each_dimension(secretariat):
    report = selectors.assistance_report(user=secretariat)

    assert report.total == 4
    experts = _rows(report, "expert")
    assert (experts["Anna Expert"].requests, experts["Anna Expert"].mean_rating) == (2, 4.5)
    assert experts["Anna Expert"].mean_days_to_delivery == 8.0  # (10 + 6) / 2
    assert (
        experts["Boris Expert"].mean_rating,
        experts["Boris Expert"].median_days_to_delivery,
    ) == (
        3.5,
        5.0,
    )
    assert experts["No expert assigned"].requests == 1
    assert experts["No expert assigned"].mean_rating is None
    countries = _rows(report, "country")
    assert (countries["Moldova"].mean_rating, countries["Moldova"].mean_days_to_delivery) == (
        4.0,
        7.0,
    )
    kinds = _rows(report, "kind")
    assert (kinds["Legal"].mean_rating, kinds["Legal"].mean_days_to_delivery) == (3.0, 4.0)
    assert _rows(report, "issue_area")["OST"].ratings == [3]
    cis = _rows(report, "subregion")[country("MD").subregion.name]
    assert (cis.requests, cis.mean_rating) == (3, 4.0)  # Moldova and Ukraine


@pytest.mark.usefixtures("delivered")
def test_the_page_honours_the_period_and_the_country(client, secretariat):
    client.force_login(secretariat)

    response = client.get(
        reverse("assistance:reports"), {"from": "2025-01-01", "to": "2025-02-28", "country": "md"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert report.total == 2
    assert report.mean_rating == 4.0
    assert {row.label for row in report.tables["country"]} == {"Moldova"}
    assert 'id="table-expert"' in body
    assert "Anna Expert" in body
    assert "Ukraine" not in body.split('id="table-country"')[1]
    assert "from=2025-01-01" in body  # the downloads keep the filters


@pytest.mark.usefixtures("delivered")
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"from": "2025-13-01"}, "“2025-13-01” is not a date"),
        ({"to": "last week"}, "“last week” is not a date"),
        ({"country": "XX"}, "No country has the code “XX”"),
        (
            {"from": "2025-03-01", "to": "2025-01-01"},
            "The period ends (2025-01-01) before it starts",
        ),
    ],
)
def test_bad_filters_are_refused_in_words_not_ignored(client, secretariat, query, words):
    client.force_login(secretariat)

    page = client.get(reverse("assistance:reports"), query)
    download = client.get(reverse("assistance:reports"), {**query, "format": "csv"})

    assert page.status_code == 200
    assert words in page.content.decode()
    assert page.context["report"] is None
    assert download.status_code == 400
    assert words in download.content.decode()


@pytest.mark.usefixtures("delivered")
def test_csv_and_xlsx_carry_the_filtered_tables(client, secretariat):
    client.force_login(secretariat)
    url = reverse("assistance:reports")

    response = client.get(url, {"format": "csv", "table": "expert", "from": "2025-01-01"})
    xlsx = client.get(url, {"format": "xlsx", "country": "MD"})

    parsed = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert parsed[0] == [
        "Expert", "Requests", "Delivered", "Days logged", "Mean days from submission to delivery",
        "Median days from submission to delivery", "Ratings", "Mean rating (1 to 5)",
    ]  # fmt: skip
    assert ["Anna Expert", "2", "2", "0.0", "8.0", "8.0", "2", "4.5"] in parsed
    assert not any(row[0] == "No expert assigned" for row in parsed)  # 2024's request
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(values_only=True)}
    assert summary["Country"] == "MD"
    assert summary["Requests"] == 2
    assert summary["Mean rating (1 to 5)"] == 4
    assert [row[0] for row in book["kind"].iter_rows(values_only=True)][1:] == [
        "Advocacy",
        "Legal",
    ]


@pytest.mark.usefixtures("delivered")
def test_report_in_russian(client, secretariat):
    client.force_login(secretariat)
    with translation.override("ru"):
        url = reverse("assistance:reports")

    response = client.get(url, {"country": "ZZ"})
    body = response.content.decode()

    assert response.status_code == 200
    assert "Нет страны с кодом «ZZ»" in body
    page = client.get(url).content.decode()
    assert "Эксперт не назначен" in page
    assert "Период считается по дню подачи запроса" in page
    assert "Медиана дней до выполнения" in page
    assert "Средняя оценка (от 1 до 5)" in page
    assert "Поданы с" in page


def test_people_without_the_report_right_are_refused(client, make_user):
    client.force_login(make_user())

    assert client.get(reverse("assistance:reports"), {"country": "MD"}).status_code in (403, 404)
