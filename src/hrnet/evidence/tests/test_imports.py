import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from hrnet.evidence.imports import ValuesImporter
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
    value = DataValue.objects.get()
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
