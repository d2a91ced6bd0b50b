import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrnet.accounts.services import api_token_create
from hrnet.evidence.models import DERIVED_SOURCES, DataValue
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")

URL = "/api/v1/evidence/imports"
DHIS2_URL = "/api/v1/dhis2/dataValueSets"


def _auth(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"}


def _csv(text="country,year,indicator,value\nMD,2019,OST_CLIENTS,1000\n", name="values.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _reported():
    return DataValue.objects.exclude(source__in=DERIVED_SOURCES)


def test_starting_an_import_needs_credentials_and_the_secretariat(client, member):
    assert client.post(URL, {"file": _csv()}).status_code == 401
    response = client.post(URL, {"file": _csv()}, headers=_auth(member))
    assert response.status_code == 403
    assert _reported().count() == 0


def test_the_secretariat_starts_an_import_and_polls_its_report(
    client, secretariat, member, django_capture_on_commit_callbacks
):
    headers = _auth(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"file": _csv(), "source": "national report", "format": "csv"},
            headers=headers,
        )

    assert response.status_code == 202
    body = response.json()
    assert body["poll"] == f"{URL}/{body['id']}"
    poll = client.get(body["poll"], headers=headers)
    assert poll.status_code == 200
    status = poll.json()
    assert (status["status"], status["done"], status["total"]) == ("done", 1, 1)
    assert status["report"]["written"] == 1
    assert status["report"]["errors"] == []
    assert _reported().get().source == "national report"
    # another user does not see the job
    assert client.get(body["poll"], headers=_auth(member)).status_code == 404
    assert client.get(f"{URL}/not-a-uuid", headers=headers).status_code == 404


def test_a_rejected_import_reports_every_bad_row(
    client, secretariat, django_capture_on_commit_callbacks
):
    headers = _auth(secretariat)
    text = "country,year,indicator,value\nAtlantis,2019,OST_CLIENTS,1\nMD,2019,NOPE,1\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": _csv(text), "source": "GAM"}, headers=headers)
    status = client.get(response.json()["poll"], headers=headers).json()

    assert status["status"] == "failed"
    assert [(e["line"], e["column"], e["value"]) for e in status["report"]["errors"]] == [
        (2, "country", "Atlantis"),
        (3, "indicator", "NOPE"),
    ]
    assert _reported().count() == 0


def test_a_dhis2_file_and_a_bad_format(client, secretariat, django_capture_on_commit_callbacks):
    headers = _auth(secretariat)
    document = {
        "dataValues": [
            {"dataElement": "OST_CLIENTS", "period": "2020", "orgUnit": "GE", "value": "7"}
        ]
    }

    bad = client.post(URL, {"file": _csv(), "format": "pdf"}, headers=headers)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"file": SimpleUploadedFile("set.json", json.dumps(document).encode())},
            headers=headers,
        )

    assert bad.status_code == 400
    assert response.status_code == 202
    assert _reported().get().country.iso2 == "GE"


def test_session_callers_need_the_csrf_token(secretariat, settings):
    settings.HRNET_2FA_REQUIRED = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)

    assert client.post(URL, {"file": _csv()}).status_code in (401, 403)
    client.get("/en/")
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    if token is None:
        pytest.skip("the home page sets no CSRF cookie")
    response = client.post(URL, {"file": _csv(), "source": "GAM"}, headers={"X-CSRFToken": token})
    assert response.status_code == 202


@pytest.fixture
def values(catalogue):
    catalogue["OST_CLIENTS"].is_public = False
    catalogue["OST_CLIENTS"].save()
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                period=period,
                period_kind="quarter" if "Q" in period else "year",
                source="GAM",
                value=Decimal(amount),
            )
            for code, iso2, period, amount in [
                ("NS_DISTRIBUTED", "MD", "2019", 100),
                ("NS_DISTRIBUTED", "MD", "2020Q2", 20),
                ("OST_CLIENTS", "MD", "2019", 5),
                ("NS_DISTRIBUTED", "GE", "2019", 7),
            ]
        ],
        actor=None,
    )


@pytest.mark.usefixtures("values")
def test_data_value_sets_give_what_the_caller_may_see_in_dhis2_shape(client, secretariat):
    anonymous = client.get(DHIS2_URL).json()["dataValues"]
    everything = client.get(DHIS2_URL, headers=_auth(secretariat)).json()["dataValues"]
    filtered = client.get(
        DHIS2_URL, {"dataElement": "NS_DISTRIBUTED", "orgUnit": "md", "period": "2019"}
    ).json()["dataValues"]
    dated = client.get(DHIS2_URL, {"startDate": "2020-01-01", "endDate": "2020-12-31"}).json()

    assert {item["dataElement"] for item in anonymous} == {"NS_DISTRIBUTED"}
    assert {item["dataElement"] for item in everything} == {"NS_DISTRIBUTED", "OST_CLIENTS"}
    assert [(item["orgUnit"], item["period"], item["value"]) for item in filtered] == [
        ("MD", "2019", "100")
    ]
    assert [item["period"] for item in dated["dataValues"]] == ["2020Q2"]
    assert client.get(DHIS2_URL, {"period": "2019W2"}).status_code == 400


def test_posting_a_data_value_set(client, secretariat, member):
    document = {
        "period": "201905",
        "orgUnit": "UA",
        "dataValues": [
            {"dataElement": "OST_CLIENTS", "value": "16000"},
            {"dataElement": "NS_DISTRIBUTED", "value": "120000"},
        ],
    }
    body = json.dumps(document)

    assert client.post(DHIS2_URL, body, content_type="application/json").status_code == 401
    forbidden = client.post(DHIS2_URL, body, content_type="application/json", headers=_auth(member))
    assert forbidden.status_code == 403
    response = client.post(
        DHIS2_URL, body, content_type="application/json", headers=_auth(secretariat)
    )

    assert response.status_code == 200
    summary = response.json()
    assert summary["status"] == "SUCCESS"
    assert summary["importCount"] == {"imported": 2, "updated": 0, "ignored": 0, "deleted": 0}
    assert _reported().filter(period="2019-05", source="DHIS2").count() == 2


def test_a_data_value_set_with_a_conflict_writes_nothing(client, secretariat):
    document = {
        "dataValues": [
            {"dataElement": "OST_CLIENTS", "period": "2019", "orgUnit": "UA", "value": "1"},
            {"dataElement": "OST_CLIENTS", "period": "2019", "orgUnit": "Mordor", "value": "1"},
        ]
    }

    response = client.post(
        DHIS2_URL, json.dumps(document), content_type="application/json", headers=_auth(secretariat)
    )

    summary = response.json()
    assert summary["status"] == "ERROR"
    assert summary["conflicts"][0]["object"] == "Mordor"
    assert "Data value 2, orgUnit" in summary["conflicts"][0]["value"]
    assert summary["importCount"]["imported"] == 0
    assert _reported().count() == 0
