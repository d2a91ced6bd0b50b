"""DHIS2 2.40's dataValueSets as DHIS2 itself answers them: dry runs, strategies,
deletions, attribute option combos, every period type, id schemes, and our export
imported again with nothing changed."""

import json
from decimal import Decimal
from typing import Any

import pytest

from hrnet.accounts.services import api_token_create
from hrnet.evidence.dhis2 import dhis2_period_range, period_from_dhis2
from hrnet.evidence.models import DERIVED_SOURCES, DataValue, Dhis2Mapping
from hrnet.geo.models import Country

pytestmark = pytest.mark.usefixtures("catalogue")
URL = "/api/v1/dhis2/dataValueSets"


def _auth(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"}


def _post(client, user, document, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.post(
        f"{URL}?{query}", json.dumps(document), content_type="application/json", headers=_auth(user)
    )


@pytest.fixture
def mappings(catalogue):
    kinds = Dhis2Mapping.Kind
    Dhis2Mapping.objects.create(
        kind=kinds.DATA_ELEMENT,
        dhis2_id="deNSdistrib",
        code="NS",
        indicator=catalogue["NS_DISTRIBUTED"],
    )
    Dhis2Mapping.objects.create(
        kind=kinds.ORG_UNIT,
        dhis2_id="ouMoldova01",
        code="MDA",
        country=Country.objects.get(iso2="MD"),
    )
    Dhis2Mapping.objects.create(
        kind=kinds.CATEGORY_OPTION_COMBO,
        dhis2_id="cocFemale01",
        code="F",
        disaggregation={"sex": "female"},
        disaggregation_key="sex=female",
    )
    Dhis2Mapping.objects.create(
        kind=kinds.ATTRIBUTE_OPTION_COMBO, dhis2_id="aocGlobalF1", code="GF", source="Global Fund"
    )


# A file as DHIS2 2.40 exports it: envelope, UIDs, a COC and an AOC, a weekly period.
EXPORT: dict[str, Any] = {
    "dataSet": "dsHarmReduc",
    "completeDate": "2024-07-10",
    "orgUnit": "ouMoldova01",
    "dataValues": [
        {
            "dataElement": "deNSdistrib",
            "period": "2024Q2",
            "categoryOptionCombo": "HllvX50cXC0",
            "attributeOptionCombo": "HllvX50cXC0",
            "value": "4125",
            "storedBy": "admin.md",
            "created": "2024-07-01T09:30:00.000",
            "lastUpdated": "2024-07-02T10:15:30.000",
            "followup": False,
        },
        {
            "dataElement": "deNSdistrib",
            "period": "2024Q2",
            "categoryOptionCombo": "cocFemale01",
            "attributeOptionCombo": "aocGlobalF1",
            "value": "1500",
            "storedBy": "admin.md",
            "created": "2024-07-01T09:31:00.000",
            "lastUpdated": "2024-07-01T09:31:00.000",
            "followup": True,
            "comment": "women's programme",
        },
    ],
}


def test_a_dry_run_counts_as_dhis2_would_and_writes_nothing(client, secretariat, mappings):
    # when
    answer = _post(client, secretariat, EXPORT, dryRun="true")

    # then
    assert answer.status_code == 200
    assert answer.json()["importCount"] == {"imported": 2, "updated": 0, "ignored": 0, "deleted": 0}
    assert answer.json()["status"] == "SUCCESS"
    assert not DataValue.objects.exclude(source__in=DERIVED_SOURCES).exists()


def test_strategies_deletions_and_the_export_imported_again_without_change(
    client, secretariat, mappings
):
    # given: the file imported, sources from the attribute option combos
    first = _post(client, secretariat, EXPORT)
    assert first.json()["importCount"] == {"imported": 2, "updated": 0, "ignored": 0, "deleted": 0}
    reported = DataValue.objects.exclude(source__in=DERIVED_SOURCES)
    assert set(reported.values_list("source", flat=True)) == {"DHIS2", "Global Fund"}

    # when: our export goes back in
    exported = client.get(URL, {"dataSet": "dsHarmReduc"}, headers=_auth(secretariat)).json()
    again = _post(client, secretariat, exported)

    # then: DHIS2's own fields came back out and nothing changed
    assert again.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    female = next(v for v in exported["dataValues"] if v["categoryOptionCombo"] == "cocFemale01")
    assert exported["dataSet"] == "dsHarmReduc"
    assert female["attributeOptionCombo"] == "aocGlobalF1"
    assert female["orgUnit"] == "ouMoldova01"
    assert female["storedBy"] == "admin.md"
    assert female["created"] == "2024-07-01T09:31:00.000"
    assert female["lastUpdated"] == "2024-07-01T09:31:00.000"
    assert female["followup"] is True

    # CREATE ignores what exists; UPDATE ignores what does not
    changed = json.loads(json.dumps(EXPORT))
    changed["dataValues"][0]["value"] = "5000"
    changed["dataValues"][1]["period"] = "2024Q3"
    created = _post(client, secretariat, changed, importStrategy="CREATE")
    assert created.json()["importCount"] == {
        "imported": 1,
        "updated": 0,
        "ignored": 1,
        "deleted": 0,
    }
    updated = _post(client, secretariat, changed, importStrategy="UPDATE")
    assert updated.json()["importCount"]["updated"] == 1
    total = DataValue.objects.get(source="DHIS2", period="2024Q2", disaggregation_key="")
    assert total.value == Decimal("5000")

    # "deleted": true and DELETE delete
    changed["dataValues"][0]["deleted"] = True
    deleted = _post(client, secretariat, {**changed, "dataValues": changed["dataValues"][:1]})
    assert deleted.json()["importCount"]["deleted"] == 1
    assert not DataValue.objects.filter(pk=total.pk).exists()
    gone = _post(client, secretariat, changed, importStrategy="DELETE")
    assert gone.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 1}


def test_weekly_and_unknown_combos_are_conflicts_as_dhis2_writes_them(
    client, secretariat, mappings
):
    document = json.loads(json.dumps(EXPORT))
    document["dataValues"][0]["period"] = "2024W14"
    document["dataValues"][1]["attributeOptionCombo"] = "aocUnknown1"

    answer = _post(client, secretariat, document)

    body = answer.json()
    assert answer.status_code == 409
    assert body["status"] == "ERROR"
    assert [conflict["object"] for conflict in body["conflicts"]] == ["2024W14", "aocUnknown1"]
    assert "2024-04-01 to 2024-04-07" in body["conflicts"][0]["value"]
    assert not DataValue.objects.exclude(source__in=DERIVED_SOURCES).exists()


def test_codes_filters_and_children(client, secretariat, mappings):
    from hrnet.outreach.tests.factories import SiteFactory

    site: Any = SiteFactory(country=Country.objects.get(iso2="MD"))
    document = {
        "period": "202404",
        "dataValues": [
            {"dataElement": "NS", "orgUnit": "MDA", "categoryOptionCombo": "F", "value": "7"},
            {"dataElement": "NS", "orgUnit": f"site-{site.pk}", "value": "3"},
        ],
    }
    answer = _post(client, secretariat, document, idScheme="CODE")
    assert answer.json()["importCount"]["imported"] == 2

    auth = _auth(secretariat)
    alone = client.get(URL, {"orgUnit": "ouMoldova01"}, headers=auth).json()["dataValues"]
    family = client.get(URL, {"orgUnit": "ouMoldova01", "children": "true"}, headers=auth).json()[
        "dataValues"
    ]
    by_code = client.get(
        URL, {"orgUnit": "MDA", "idScheme": "CODE", "period": "202404"}, headers=auth
    ).json()["dataValues"]
    later = client.get(URL, {"lastUpdated": "2999-01-01T00:00:00"}, headers=auth).json()

    assert {v["orgUnit"] for v in alone} == {"ouMoldova01"}
    assert {v["orgUnit"] for v in family} == {"ouMoldova01", f"site-{site.pk}"}
    assert [(v["dataElement"], v["categoryOptionCombo"]) for v in by_code] == [("NS", "F")]
    assert later["dataValues"] == []
    assert client.get(URL, {"orgUnit": "ouNowhere01"}, headers=auth).status_code == 400


@pytest.mark.parametrize(
    ("text", "kind", "first", "last"),
    [
        ("20240401", "daily", "2024-04-01", "2024-04-01"),
        ("2024W14", "weekly", "2024-04-01", "2024-04-07"),
        ("2024WedW1", "weekly", "2024-01-03", "2024-01-09"),
        ("2024ThuW1", "weekly", "2024-01-04", "2024-01-10"),
        ("2024SatW1", "weekly", "2023-12-30", "2024-01-05"),
        ("2024SunW14", "weekly", "2024-03-31", "2024-04-06"),
        ("2024BiW1", "biweekly", "2024-01-01", "2024-01-14"),
        ("202404", "monthly", "2024-04-01", "2024-04-30"),
        ("202402B", "bimonthly", "2024-03-01", "2024-04-30"),
        ("2024Q2", "quarterly", "2024-04-01", "2024-06-30"),
        ("2024S2", "sixmonthly", "2024-07-01", "2024-12-31"),
        ("2024AprilS1", "sixmonthly", "2024-04-01", "2024-09-30"),
        ("2024NovS1", "sixmonthly", "2023-11-01", "2024-04-30"),
        ("2024", "yearly", "2024-01-01", "2024-12-31"),
        ("2024April", "financial", "2024-04-01", "2025-03-31"),
        ("2024July", "financial", "2024-07-01", "2025-06-30"),
        ("2024Oct", "financial", "2024-10-01", "2025-09-30"),
        ("2024Nov", "financial", "2024-11-01", "2025-10-31"),
    ],
)
def test_every_dhis2_period_type_is_read(text, kind, first, last):
    found = dhis2_period_range(text)

    assert (found[0], found[1].isoformat(), found[2].isoformat()) == (kind, first, last)
    if kind in {"yearly", "quarterly", "monthly"}:
        assert period_from_dhis2(text)[1] in {"year", "quarter", "month"}
    else:
        with pytest.raises(ValueError, match="period"):
            period_from_dhis2(text)
