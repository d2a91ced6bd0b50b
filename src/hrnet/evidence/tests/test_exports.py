import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hrnet.evidence.imports.values import ValuesImporter
from hrnet.evidence.models import DERIVED_SOURCES, DataValue
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def values(catalogue):
    def item(code, amount, iso2="MD", **extra):
        return ValueIn(
            indicator=catalogue[code],
            country=country(iso2),
            period="2019",
            period_kind="year",
            source="UNAIDS GAM",
            value=None if amount is None else Decimal(amount),
            **extra,
        )

    catalogue["OST_CLIENTS"].is_public = False
    catalogue["OST_CLIENTS"].save()
    data_values_write(
        values=[
            item("NS_DISTRIBUTED", "4125000.5"),
            item("PWID_SIZE_ESTIMATE", 27500),
            item("PWID_SIZE_ESTIMATE", None, iso2="GE"),
            item("PWID_SIZE_ESTIMATE", 9000, disaggregation={"sex": "female"}, comment="=1+1"),
            item("OST_CLIENTS", 500),
        ],
        actor=None,
    )


def _body(response) -> bytes:
    # CSV is streamed, XLSX and DHIS2 are sent whole.
    return b"".join(response.streaming_content) if response.streaming else response.content


def _reported():
    return {
        (
            v.indicator.code,
            v.country.iso2,
            v.period,
            v.disaggregation_key,
            v.source,
            v.value,
            v.comment,
        )
        for v in DataValue.objects.exclude(source__in=DERIVED_SOURCES)
    }


@pytest.mark.usefixtures("values")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_again(client, secretariat, fmt):
    client.force_login(secretariat)
    before = _reported()

    response = client.get(reverse("evidence:values_export"), {"format": fmt})
    content = _body(response)  # a stream is read from the database as it is sent
    DataValue.objects.all().delete()
    report = ValuesImporter().run(content, fmt=fmt)

    assert response.status_code == 200
    assert report.ok, report.errors
    assert _reported() == before


@pytest.mark.usefixtures("values")
def test_the_export_holds_only_what_the_visitor_may_see_and_no_derived_values(client):
    response = client.get(reverse("evidence:values_export"), {"format": "csv", "country": "MD"})

    text = _body(response).decode("utf-8-sig")
    assert text.splitlines()[0] == "country,site,period,indicator,value,source,comment,sex"
    assert "NS_DISTRIBUTED" in text
    assert "OST_CLIENTS" not in text  # not public
    assert "NSP_COVERAGE" not in text  # computed
    assert "GE" not in text


@pytest.mark.usefixtures("values")
def test_xlsx_export_keeps_numbers_as_numbers_and_formulas_as_text(client):
    response = client.get(reverse("evidence:values_export"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_comment = {row[6]: row for row in rows[1:]}
    assert by_comment["=1+1"][4] == 9000
    assert response["Content-Disposition"] == 'attachment; filename="values.xlsx"'


@pytest.mark.usefixtures("values")
def test_dhis2_export_and_a_bad_period(client):
    response = client.get(
        reverse("evidence:values_export"), {"format": "dhis2", "indicator": "NS_DISTRIBUTED"}
    )
    bad = client.get(reverse("evidence:values_export"), {"period": "someday"})

    assert json.loads(response.content)["dataValues"][0]["value"] == "4125000.5"
    assert bad.status_code == 400
    assert client.get(reverse("evidence:values_export")).status_code == 200


@pytest.mark.usefixtures("values")
def test_formulas_in_source_and_comment_are_quoted_and_still_import_again(client, secretariat):
    DataValue.objects.filter(comment="=1+1").update(source="@SUM(A1)", comment="-cmd|calc")
    client.force_login(secretariat)
    before = _reported()

    content = _body(client.get(reverse("evidence:values_export"), {"format": "csv"}))
    DataValue.objects.all().delete()
    report = ValuesImporter().run(content, fmt="csv")

    assert "'@SUM(A1),'-cmd|calc" in content.decode("utf-8-sig")
    assert "4125000.5" in content.decode("utf-8-sig")  # numbers are not quoted
    assert report.ok, report.errors
    assert _reported() == before


@pytest.mark.usefixtures("values")
def test_anonymous_exports_are_limited_per_address_and_an_hour(client, secretariat, settings):
    settings.HRNET_EXPORTS_PER_HOUR = 2
    url = reverse("evidence:values_export")

    answers = [client.get(url, {"format": "csv"}).status_code for _ in range(3)]
    refused = client.get(url, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(secretariat)
    signed_in = client.get(url, {"format": "csv"})

    assert answers == [200, 200, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert signed_in.status_code == 200


@pytest.mark.usefixtures("values")
def test_the_429_page_says_what_to_do_in_russian(client, settings):
    settings.HRNET_EXPORTS_PER_HOUR = 1
    client.get("/ru/evidence/imports/export/", {"format": "csv"})

    refused = client.get("/ru/evidence/imports/export/", {"format": "csv"})

    assert refused.status_code == 429
    assert "Слишком много загрузок" in refused.content.decode()


@pytest.mark.usefixtures("values")
def test_a_large_xlsx_is_refused_to_anonymous_readers_with_a_way_out(client, secretariat, settings):
    settings.HRNET_ANONYMOUS_XLSX_MAX_ROWS = 2
    url = reverse("evidence:values_export")

    refused = client.get(url, {"format": "xlsx"})
    narrower = client.get(url, {"format": "xlsx", "indicator": "NS_DISTRIBUTED"})
    as_csv = client.get(url, {"format": "csv"})
    client.force_login(secretariat)
    signed_in = client.get(url, {"format": "xlsx"})

    assert refused.status_code == 400
    assert "Download CSV instead" in refused.content.decode()
    assert narrower.status_code == 200
    assert as_csv.status_code == 200
    assert signed_in.status_code == 200
