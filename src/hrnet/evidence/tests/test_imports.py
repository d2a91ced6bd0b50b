import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from hrnet.evidence.imports.values import ValuesImporter
from hrnet.evidence.models import COMPUTED_SOURCE, DataValue

pytestmark = pytest.mark.usefixtures("catalogue")


def run(text: str, **kwargs):
    partial = kwargs.pop("partial", False)
    return ValuesImporter(**kwargs).run(text.encode(), fmt="csv", partial=partial)


def errors_of(report):
    return [(error.line, error.column, error.value) for error in report.errors]


def test_a_valid_file_is_imported_with_names_aliases_and_periods():
    report = run(
        "country,year,indicator,value,source,comment\n"
        "MD,2019,PWID_SIZE_ESTIMATE,27500,UNAIDS GAM,\n"
        'Republic of Moldova,2019,NS_DISTRIBUTED,"4 125 000",UNAIDS GAM,programme data\n'
        "Грузия,2019,OST_CLIENTS,not known,UNAIDS GAM,\n"
    )

    assert report.ok, report.errors
    assert report.written == 3
    moldova = DataValue.objects.get(indicator__code="NS_DISTRIBUTED")
    assert moldova.country.iso2 == "MD"
    assert moldova.value == Decimal(4125000)
    assert moldova.comment == "programme data"
    unknown = DataValue.objects.get(indicator__code="OST_CLIENTS")
    assert unknown.country.iso2 == "GE"
    assert unknown.is_unknown
    assert unknown.value is None
    # the import computed the coverage: 4,125,000 / 27,500 = 150 syringes, medium
    coverage = DataValue.objects.get(indicator__code="NSP_COVERAGE")
    assert coverage.value == Decimal(150)
    assert coverage.source == COMPUTED_SOURCE
    assert coverage.band == "medium"


def test_every_bad_row_is_reported_and_nothing_written():
    report = run(
        "country,period,indicator,value,source\n"
        "MD,2019,PWID_SIZE_ESTIMATE,27500,GAM\n"
        "Atlantis,2019,PWID_SIZE_ESTIMATE,1,GAM\n"
        "MD,2019,NO_SUCH,1,GAM\n"
        "MD,2019Q5,NS_DISTRIBUTED,1,GAM\n"
        "MD,2019,NS_DISTRIBUTED,lots,GAM\n"
        "MD,2020,NS_DISTRIBUTED,-5,GAM\n"
    )

    assert errors_of(report) == [
        (3, "country", "Atlantis"),
        (4, "indicator", "NO_SUCH"),
        (5, "period", "2019Q5"),
        (6, "value", "lots"),
        (7, "value", "-5"),
    ]
    messages = [error.message for error in report.errors]
    assert messages[0] == "Unknown country."
    assert messages[1] == "Unknown indicator code."
    assert messages[4] == "A count cannot be negative."
    assert report.written == 0
    assert DataValue.objects.count() == 0


def test_partial_import_writes_the_valid_rows():
    report = run(
        "country,year,indicator,value\nMD,2019,PWID_SIZE_ESTIMATE,27500\nXX,2019,OST_CLIENTS,1\n",
        source="national report",
        partial=True,
    )

    assert report.rejected_lines == [3]
    assert report.written == 1
    assert DataValue.objects.get().source == "national report"


def test_other_columns_are_disaggregations_and_duplicates_are_refused():
    report = run(
        "country,year,indicator,value,sex,age\n"
        "MD,2019,PWID_SIZE_ESTIMATE,20000,Male,\n"
        "MD,2019,PWID_SIZE_ESTIMATE,7500,female,<25\n"
        "MD,2019,PWID_SIZE_ESTIMATE,7600,Female,<25\n",
        source="GAM",
    )

    assert errors_of(report) == [(4, "indicator", "PWID_SIZE_ESTIMATE")]
    assert "line 3" in report.errors[0].message


def test_header_needs_a_period_and_a_source():
    report = run("country,indicator,value\nMD,OST_CLIENTS,1\n")

    assert {(error.line, error.column) for error in report.errors} == {
        (1, "period"),
        (1, "source"),
    }


def test_year_column_takes_only_years():
    report = run("country,year,indicator,value\nMD,2019Q1,OST_CLIENTS,1\n", source="GAM")

    assert errors_of(report) == [(2, "year", "2019Q1")]


def test_xlsx_import():
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["country", "period", "indicator", "value", "source"])
    sheet.append(["UA", 201903, "OST_CLIENTS", 16000, "programme data"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = ValuesImporter().run(buffer.getvalue(), fmt="xlsx")

    assert report.ok, report.errors
    value = DataValue.objects.get(source="programme data")
    assert (value.period, value.period_kind, value.value) == ("2019-03", "month", 16000)


def test_import_values_command(tmp_path, capsys):
    path = tmp_path / "values.csv"
    path.write_text("country,year,indicator,value\nMD,2019,OST_CLIENTS,1000\n", encoding="utf-8")

    call_command("import_values", str(path), "--source", "national report")

    value = DataValue.objects.get()
    assert value.source == "national report"
    assert value.import_job is not None
    assert "Rows written: 1." in capsys.readouterr().out


def test_import_values_command_reports_bad_rows(tmp_path, capsys):
    path = tmp_path / "values.csv"
    path.write_text("country,year,indicator,value\nMD,19,OST_CLIENTS,1000\n", encoding="utf-8")

    with pytest.raises(CommandError, match="1 rows rejected"):
        call_command("import_values", str(path), "--source", "GAM")

    assert "line 2, column year" in capsys.readouterr().err
    assert DataValue.objects.count() == 0


def test_the_computed_source_is_reserved():
    report = run("country,year,indicator,value,source\nMD,2019,NSP_COVERAGE,120,Computed\n")

    assert errors_of(report) == [(2, "source", "Computed")]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_two_bad_rows_imports_nothing_and_names_both():
    data = _xlsx(
        [
            ["country", "year", "indicator", "value", "source"],
            ["MD", 2021, "PWID_SIZE_ESTIMATE", 27500, "UNAIDS GAM"],
            ["Narnia", 2021, "OST_CLIENTS", 100, "UNAIDS GAM"],
            ["GE", 2021, "OST_CLIENTS", "many", "UNAIDS GAM"],
        ]
    )

    report = ValuesImporter().run(data, fmt="xlsx")

    assert errors_of(report) == [(3, "country", "Narnia"), (4, "value", "many")]
    assert [error.message for error in report.errors] == ["Unknown country.", "Not a number."]
    assert DataValue.objects.count() == 0


def test_reserved_sources_are_refused_but_ready_made_computed_values_are_not():
    report = run(
        "country,year,indicator,value,source\n"
        "MD,2019,NSP_COVERAGE,180,UNAIDS GAM\n"
        "MD,2020,NSP_COVERAGE,180,computed\n"
        "MD,2020,NS_DISTRIBUTED,100,Aggregated\n",
        partial=True,
    )

    assert errors_of(report) == [(3, "source", "computed"), (4, "source", "Aggregated")]
    assert "reserved" in report.errors[1].message
    value = DataValue.objects.get()
    assert (value.indicator.code, value.source, value.band) == (
        "NSP_COVERAGE",
        "UNAIDS GAM",
        "medium",
    )


@pytest.fixture
def sex_and_age(catalogue):
    from hrnet.evidence.models import Category, CategorySet

    sex = Category.objects.create(
        code="sex", options=[{"code": "male"}, {"code": "female"}, {"code": "other"}]
    )
    age = Category.objects.create(code="age", options=[{"code": "<25"}, {"code": "25+"}])
    category_set = CategorySet.objects.create(code="sex_age")
    category_set.categories.set([sex, age])
    catalogue["OST_CLIENTS"].category_set = category_set
    catalogue["OST_CLIENTS"].save()
    return category_set


def test_disaggregations_are_checked_against_the_indicators_categories(sex_and_age):
    report = run(
        "country,year,indicator,value,sex,age,setting\n"
        "MD,2019,OST_CLIENTS,100,Female,<25,\n"
        "MD,2019,OST_CLIENTS,100,female,18-24,\n"
        "MD,2019,OST_CLIENTS,100,,,prison\n"
        "MD,2019,PWID_SIZE_ESTIMATE,100,,,prison\n",
        source="GAM",
    )

    assert errors_of(report) == [(3, "age", "18-24"), (4, "setting", "prison")]
    assert "<25" in report.errors[0].message
    assert "25+" in report.errors[0].message
    assert "setting" in report.errors[1].message
    assert DataValue.objects.count() == 0


def test_site_values_name_the_site_by_name_or_id(catalogue):
    from hrnet.members.tests.factories import country
    from hrnet.outreach.tests.factories import SiteFactory

    chisinau = SiteFactory.create(name="Drop-in Chisinau", country=country("MD"))
    tbilisi = SiteFactory.create(name="Tbilisi van", country=country("GE"))

    report = run(
        "country,period,site,indicator,value\n"
        "MD,201901,drop-in chisinau,NS_DISTRIBUTED,1200\n"
        f"GE,201901,{tbilisi.pk},NS_DISTRIBUTED,800\n"
        f"MD,201902,{tbilisi.pk},NS_DISTRIBUTED,800\n"
        "MD,201902,Nowhere,NS_DISTRIBUTED,800\n",
        source="programme data",
        partial=True,
    )

    assert errors_of(report) == [(4, "site", str(tbilisi.pk)), (5, "site", "Nowhere")]
    assert report.errors[0].message == "The site is in another country than MD."
    values = {value.site: value.value for value in DataValue.objects.filter(site__isnull=False)}
    assert values == {chisinau: Decimal(1200), tbilisi: Decimal(800)}
