import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hrnet.evidence.dhis2 import dhis2_export, period_from_dhis2
from hrnet.evidence.imports.dhis2 import Dhis2Importer, Dhis2MappingImporter
from hrnet.evidence.models import DERIVED_SOURCES, DataValue, Dhis2Mapping

pytestmark = pytest.mark.usefixtures("catalogue")


def errors_of(report):
    return [(error.line, error.column, error.value) for error in report.errors]


@pytest.fixture
def mappings(catalogue):
    from hrnet.geo.models import Country

    Dhis2Mapping.objects.create(
        kind=Dhis2Mapping.Kind.DATA_ELEMENT,
        dhis2_id="deNSdistrib",
        indicator=catalogue["NS_DISTRIBUTED"],
    )
    Dhis2Mapping.objects.create(
        kind=Dhis2Mapping.Kind.ORG_UNIT,
        dhis2_id="ouMoldova01",
        country=Country.objects.get(iso2="MD"),
    )
    Dhis2Mapping.objects.create(
        kind=Dhis2Mapping.Kind.CATEGORY_OPTION_COMBO,
        dhis2_id="cocFemale01",
        disaggregation={"sex": "female"},
        disaggregation_key="sex=female",
    )


DATA_VALUE_SET: dict[str, Any] = {
    "dataSet": "dsHarmReduc",
    "period": "2019",
    "dataValues": [
        {
            "dataElement": "deNSdistrib",
            "orgUnit": "ouMoldova01",
            "value": "4125000",
            "categoryOptionCombo": "HllvX50cXC0",
            "attributeOptionCombo": "HllvX50cXC0",
        },
        {
            "dataElement": "deNSdistrib",
            "orgUnit": "ouMoldova01",
            "value": "1500000",
            "categoryOptionCombo": "cocFemale01",
            "attributeOptionCombo": "HllvX50cXC0",
            "comment": "women's programme",
        },
        {
            "dataElement": "PWID_SIZE_ESTIMATE",
            "orgUnit": "ouMoldova01",
            "value": "27500",
            "categoryOptionCombo": "HllvX50cXC0",
            "attributeOptionCombo": "HllvX50cXC0",
        },
        {
            "dataElement": "OST_CLIENTS",
            "period": "2019Q3",
            "orgUnit": "GE",
            "value": "12.5",
            "categoryOptionCombo": "HllvX50cXC0",
            "attributeOptionCombo": "HllvX50cXC0",
        },
        {
            "dataElement": "OST_CLIENTS",
            "period": "201907",
            "orgUnit": "GE",
            "value": "4",
            "categoryOptionCombo": "HllvX50cXC0",
            "attributeOptionCombo": "HllvX50cXC0",
        },
    ],
}


def _key(item):
    return (
        item["dataElement"],
        item["period"],
        item["orgUnit"],
        item["categoryOptionCombo"],
        item.get("attributeOptionCombo", "HllvX50cXC0"),
        Decimal(item["value"]),
        item.get("comment", ""),
    )


def test_a_data_value_set_round_trips(mappings, secretariat):
    # given a DHIS2 document with set-level period, mapped and unmapped identifiers
    report = Dhis2Importer(actor=secretariat).run(json.dumps(DATA_VALUE_SET).encode())
    assert report.ok, report.errors
    assert report.written == 5

    # when it is exported again
    exported = dhis2_export(user=secretariat)

    # then the same data values come back (the roll-ups and computed values stay home)
    expected = [{"period": "2019", **item} for item in DATA_VALUE_SET["dataValues"]]
    assert sorted(map(_key, exported["dataValues"])) == sorted(map(_key, expected))


def test_import_maps_identifiers_to_indicators_places_and_disaggregations(mappings):
    report = Dhis2Importer(source="national HMIS").run(json.dumps(DATA_VALUE_SET).encode())

    assert report.ok
    female = DataValue.objects.get(
        indicator__code="NS_DISTRIBUTED", disaggregation_key="sex=female"
    )
    assert (female.country.iso2, female.period, female.value) == ("MD", "2019", Decimal(1500000))
    assert female.source == "national HMIS"
    assert female.comment == "women's programme"
    month = DataValue.objects.get(indicator__code="OST_CLIENTS", period="2019-07")
    assert month.period_kind == "month"
    # the NSP coverage was computed from the imported values: 4,125,000 / 27,500 = 150
    coverage = DataValue.objects.get(indicator__code="NSP_COVERAGE", disaggregation_key="")
    assert coverage.value == Decimal(150)


def test_every_bad_data_value_is_reported_by_position_and_key_and_nothing_written():
    document = {
        "dataValues": [
            {"dataElement": "OST_CLIENTS", "period": "2019", "orgUnit": "MD", "value": "10"},
            {"dataElement": "NOPE", "period": "2019", "orgUnit": "MD", "value": "10"},
            {"dataElement": "OST_CLIENTS", "period": "2019W1", "orgUnit": "MD", "value": "10"},
            {"dataElement": "OST_CLIENTS", "period": "2019", "orgUnit": "ouUnknown1", "value": "1"},
            {"dataElement": "OST_CLIENTS", "period": "2018", "orgUnit": "MD", "value": "ten"},
            {"dataElement": "OST_CLIENTS", "period": "2017", "orgUnit": "MD", "value": "-1"},
            {
                "dataElement": "OST_CLIENTS",
                "period": "2016",
                "orgUnit": "MD",
                "value": "1",
                "categoryOptionCombo": "cocUnknown1",
            },
            {
                "dataElement": "OST_CLIENTS",
                "period": "2015",
                "orgUnit": "MD",
                "value": "1",
                "attributeOptionCombo": "aocPartner1",
            },
        ]
    }

    report = Dhis2Importer().run(json.dumps(document).encode())

    assert errors_of(report) == [
        (2, "dataElement", "NOPE"),
        (3, "period", "2019W1"),
        (4, "orgUnit", "ouUnknown1"),
        (5, "value", "ten"),
        (6, "value", "-1"),
        (7, "categoryOptionCombo", "cocUnknown1"),
        (8, "attributeOptionCombo", "aocPartner1"),
    ]
    assert report.errors[1].message.startswith("2019W1 is a weekly period")
    assert DataValue.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", ("2019", "year")),
        ("2019Q1", ("2019Q1", "quarter")),
        ("201901", ("2019-01", "month")),
    ],
)
def test_supported_dhis2_periods(text, expected):
    assert period_from_dhis2(text) == expected


@pytest.mark.parametrize(
    "text", ["2019W1", "2019BiW1", "2019S1", "2019April", "2019AprilS1", "20190101", "2019NovQ1"]
)
def test_other_dhis2_period_types_are_not_supported(text):
    with pytest.raises(ValueError, match="values are kept by year, quarter or month"):
        period_from_dhis2(text)


def test_partial_import_writes_the_valid_data_values():
    document = {
        "orgUnit": "MD",
        "dataValues": [
            {"dataElement": "OST_CLIENTS", "period": "2019", "value": "10"},
            {"dataElement": "OST_CLIENTS", "period": "2019BiW2", "value": "10"},
        ],
    }

    report = Dhis2Importer().run(json.dumps(document).encode(), partial=True)

    assert report.rejected_lines == [2]
    assert report.written == 1
    assert DataValue.objects.exclude(source__in=DERIVED_SOURCES).get().source == "DHIS2"


def test_not_a_data_value_set_is_one_error():
    report = Dhis2Importer().run(b'{"rows": []}')

    assert errors_of(report) == [(0, "", "")]
    assert "dataValues" in report.errors[0].message


def test_mapping_table_import(catalogue):
    text = (
        "kind,dhis2_id,indicator,disaggregation,country,site\n"
        "data_element,deNSdistrib,NS_DISTRIBUTED,,,\n"
        "category_option_combo,cocFemaleU25,,sex=female;age=<25,,\n"
        "org_unit,ouMoldova01,,,Moldova,\n"
        "org_unit,ouAtlantis1,,,Atlantis,\n"
        "data_element,deNope,NOPE,,,\n"
        "colour,x,,,,\n"
    )

    report = Dhis2MappingImporter().run(text.encode(), fmt="csv")

    assert errors_of(report) == [
        (5, "country", "Atlantis"),
        (6, "indicator", "NOPE"),
        (7, "kind", "colour"),
    ]
    assert Dhis2Mapping.objects.count() == 0

    report = Dhis2MappingImporter().run(text.encode(), fmt="csv", partial=True)

    assert report.written == 3
    combo = Dhis2Mapping.objects.get(dhis2_id="cocFemaleU25")
    assert combo.disaggregation == {"sex": "female", "age": "<25"}
    assert combo.disaggregation_key == "age=<25;sex=female"
    moldova = Dhis2Mapping.objects.get(dhis2_id="ouMoldova01").country
    assert moldova is not None
    assert moldova.iso2 == "MD"


def test_export_falls_back_to_our_codes_and_leaves_out_what_the_caller_may_not_see(
    catalogue, member
):
    from hrnet.evidence.services.store import ValueIn
    from hrnet.evidence.services.values import data_values_write
    from hrnet.members.tests.factories import country
    from hrnet.outreach.tests.factories import SiteFactory

    site = SiteFactory.create(country=country("MD"))
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue["NS_DISTRIBUTED"],
                country=country("MD"),
                period="2020-03",
                period_kind="month",
                source="programme data",
                value=Decimal(120),
                site=site,
                disaggregation={"sex": "male"},
            ),
            ValueIn(
                indicator=catalogue["NS_DISTRIBUTED"],
                country=country("GE"),
                period="2020",
                period_kind="year",
                source="GAM",
                value=Decimal("1000.5"),
            ),
        ],
        actor=None,
    )

    secretariat_view = dhis2_export(user=_secretariat())
    member_view = dhis2_export(user=member)

    assert {
        (v["orgUnit"], v["period"], v["categoryOptionCombo"], v["value"])
        for v in secretariat_view["dataValues"]
    } == {
        (f"site-{site.pk}", "202003", "sex=male", "120"),
        ("GE", "2020", "HllvX50cXC0", "1000.5"),
    }
    assert [v["orgUnit"] for v in member_view["dataValues"]] == ["GE"]
    # and the site's value imports again by its fallback identifier
    DataValue.objects.all().delete()
    report = Dhis2Importer().run(json.dumps(secretariat_view).encode())
    assert report.ok, report.errors
    assert DataValue.objects.filter(site=site, disaggregation_key="sex=male").exists()


def _secretariat():
    from hrnet.accounts.roles import Role
    from hrnet.accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role.SECRETARIAT])


def test_import_values_command_reads_dhis2_json(tmp_path, capsys):
    path = tmp_path / "values.json"
    path.write_text(
        json.dumps(
            {
                "dataValues": [
                    {"dataElement": "OST_CLIENTS", "period": "2019", "orgUnit": "MD", "value": "9"},
                    {
                        "dataElement": "OST_CLIENTS",
                        "period": "2019S1",
                        "orgUnit": "GE",
                        "value": "9",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="1 rows rejected"):
        call_command("import_values", str(path), "--source", "HMIS")
    assert "line 2, column period: 2019S1 is a six-monthly period" in capsys.readouterr().err
    assert DataValue.objects.count() == 0

    call_command("import_values", str(path), "--format", "dhis2", "--partial")

    assert DataValue.objects.get(source="DHIS2").country.iso2 == "MD"
    assert "Rows written: 1." in capsys.readouterr().out
