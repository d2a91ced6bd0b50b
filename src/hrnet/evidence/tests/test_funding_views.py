import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.evidence.models import ExchangeRate, FundingRecord, NeedEstimate
from hrnet.evidence.services.funding import FundingIn, exchange_rate_set, funding_record_create
from hrnet.evidence.tests.test_analysis import moldova  # noqa: F401  # fixture
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def a_record():
    return funding_record_create(
        data=FundingIn(
            country=country("UA"),
            year=2023,
            source="pepfar",
            programme_area="ost",
            amount=Decimal(5000),
        ),
        actor=None,
    )


def record_post(**fields):
    data = {
        "country": country("UA").pk,
        "year": "2023",
        "source": "global_fund",
        "programme_area": "nsp",
        "amount": "1000",
        "currency": "USD",
        "reference": "",
        "comment": "",
    }
    data.update(fields)
    return data


@pytest.mark.usefixtures("moldova")
def test_anonymous_reads_the_region_country_and_scenario_pages(client: Client):
    region = client.get("/en/evidence/funding/?year=2024")
    country_page = client.get("/en/evidence/funding/MD/")
    scenario = client.get("/en/evidence/funding/md/scenario/?source=global_fund&from_year=2025")

    assert region.status_code == 200
    assert "Moldova" in region.content.decode()
    assert "71.4" in region.content.decode()  # Moldova's donor dependency in 2024
    content = country_page.content.decode()
    assert country_page.status_code == 200
    assert "Share of funding by source" in content
    assert "200.00" in content  # cost per person reached in 2024
    text = scenario.content.decode()
    assert scenario.status_code == 200
    assert "Nobody replaces the withdrawn funds." in text
    assert "<td>2.0</td>" in text  # coverage 2025 without the Global Fund
    assert "Add a funding record" not in region.content.decode()


@pytest.mark.usefixtures("moldova")
def test_region_page_of_a_subregion_and_in_russian(client: Client):
    response = client.get(
        f"/ru/evidence/funding/?year=2024&subregion={country('GE').subregion.code}"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Грузия" in content
    assert "Молдова" not in content


@pytest.mark.usefixtures("moldova")
def test_scenario_page_explains_a_year_it_cannot_project(client: Client):
    response = client.get("/en/evidence/funding/MD/scenario/?source=global_fund&from_year=2024")

    assert response.status_code == 200
    assert "PWID_REACHED" in response.content.decode()


def test_unknown_country_is_404(client: Client):
    assert client.get("/en/evidence/funding/XX/").status_code == 404


def _streamed_text(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_records_list_and_csv_export_are_public(client: Client, a_record):
    page = client.get("/en/evidence/funding/records/?country=UA")
    export = client.get("/en/evidence/funding/records/export.csv?source=pepfar")

    assert page.status_code == 200
    assert "Opioid agonist therapy" in page.content.decode()
    assert "Edit" not in page.content.decode()
    assert export["Content-Type"].startswith("text/csv")
    lines = _streamed_text(export).splitlines()
    assert lines[0] == (
        "country,year,source,programme_area,amount,currency,amount_usd,reference,comment"
    )
    assert lines[1].startswith("UA,2023,pepfar,ost,5000.00,USD,5000.00")


def test_the_records_csv_quotes_formulas_in_reference_and_comment(client: Client, a_record):
    FundingRecord.objects.filter(pk=a_record.pk).update(
        reference='=HYPERLINK("http://x")', comment="+1 555"
    )

    export = client.get("/en/evidence/funding/records/export.csv")

    rows = list(csv.reader(io.StringIO(_streamed_text(export))))
    assert rows[1][-2:] == ['\'=HYPERLINK("http://x")', "'+1 555"]
    assert rows[1][4] == "5000.00"


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), (Role.MEMBER, 403), (Role.SECRETARIAT, 200)]
)
def test_only_the_secretariat_opens_the_editors(client: Client, make_user, role, status, a_record):
    if role:
        client.force_login(make_user(role))
    urls = [
        "/en/evidence/funding/records/add/",
        f"/en/evidence/funding/records/{a_record.pk}/edit/",
        "/en/evidence/funding/import/funding/",
        "/en/evidence/funding/import/rates/",
    ]

    assert [client.get(url).status_code for url in urls] == [status] * len(urls)


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_others_cannot_write(client: Client, make_user, role, a_record):
    if role:
        client.force_login(make_user(role))

    responses = [
        client.post("/en/evidence/funding/records/add/", record_post()),
        client.post(f"/en/evidence/funding/records/{a_record.pk}/delete/"),
        client.post(
            "/en/evidence/funding/rates/",
            {"currency": "EUR", "year": "2023", "usd_per_unit": "1.1"},
        ),
        client.post(
            "/en/evidence/funding/needs/",
            {"country": country("UA").pk, "year": "2023", "amount": "1", "currency": "USD"},
        ),
    ]

    assert all(response.status_code in {302, 403} for response in responses)
    assert FundingRecord.objects.count() == 1
    assert not ExchangeRate.objects.exists()
    assert not NeedEstimate.objects.exists()


def test_secretariat_adds_edits_and_deletes_a_record(client: Client, secretariat):
    client.force_login(secretariat)
    exchange_rate_set(currency="UAH", year=2023, usd_per_unit=Decimal("0.027"), actor=None)

    added = client.post(
        "/en/evidence/funding/records/add/", record_post(amount="100000", currency="UAH")
    )
    record = FundingRecord.objects.get()
    edited = client.post(
        f"/en/evidence/funding/records/{record.pk}/edit/", record_post(amount="2000")
    )
    record.refresh_from_db()
    amount_after_edit = record.amount_usd
    deleted = client.post(f"/en/evidence/funding/records/{record.pk}/delete/")

    assert added.status_code == 302
    assert edited.status_code == 302
    assert amount_after_edit == Decimal("2000.00")
    assert deleted.status_code == 302
    assert not FundingRecord.objects.exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "evidence.funding.create",
        "evidence.funding.update",
        "evidence.funding.delete",
    }


def test_a_missing_rate_shows_on_the_currency_field(client: Client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        "/en/evidence/funding/records/add/", record_post(currency="KZT", year="2023")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "No exchange rate of KZT to US dollars is stored for 2023" in content
    assert not FundingRecord.objects.exists()


def test_secretariat_sets_a_rate_and_a_need(client: Client, secretariat):
    client.force_login(secretariat)

    rate = client.post(
        "/en/evidence/funding/rates/",
        {"currency": "eur", "year": "2023", "usd_per_unit": "1.08", "source": "ECB"},
    )
    need = client.post(
        "/en/evidence/funding/needs/",
        {
            "country": country("UA").pk,
            "year": "2023",
            "programme_area": "",
            "amount": "1000",
            "currency": "EUR",
        },
    )

    assert rate.status_code == 302
    assert need.status_code == 302
    assert NeedEstimate.objects.get().amount_usd == Decimal("1080.00")


def test_import_runs_as_a_job_and_reports_bad_rows(
    client: Client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    upload = (
        b"country,year,source,programme_area,amount\n"
        b"UA,2023,global_fund,nsp,100\n"
        b"Narnia,2023,global_fund,nsp,100\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/en/evidence/funding/import/funding/",
            {"file": SimpleUploadedFile("funding.csv", upload, content_type="text/csv")},
        )
    response = client.get(started["Location"])

    content = response.content.decode()
    assert response.status_code == 200
    assert "Narnia" in content
    assert "Nothing was written" in content
    assert not FundingRecord.objects.exists()
