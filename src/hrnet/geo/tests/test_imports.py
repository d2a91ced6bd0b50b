"""The import framework, exercised through the geography importers."""

import io

from openpyxl import Workbook

from hrnet.core.models import AuditEntry
from hrnet.geo.imports import CountryAliasImporter, GeographyImporter
from hrnet.geo.models import Country, CountryAlias, SubRegion

HEADER = (
    "subregion_code,subregion_name_en,subregion_name_ru,"
    "country_iso2,country_iso3,country_name_en,country_name_ru\n"
)


def test_geography_import_creates_subregions_and_countries(db):
    data = (
        HEADER + "EAST,East Africa,Восточная Африка,KE,KEN,Kenya,Кения\n"
        "EAST,East Africa,Восточная Африка,TZ,TZA,Tanzania,Танзания\n"
    ).encode()

    report = GeographyImporter().run(data, fmt="csv")

    assert report.ok
    assert report.written == 2
    assert SubRegion.objects.get().names == {"en": "East Africa", "ru": "Восточная Африка"}
    assert list(Country.objects.values_list("iso2", flat=True)) == ["KE", "TZ"]


def test_malformed_file_reports_every_bad_row_with_line_and_writes_nothing(db):
    data = (
        HEADER
        + "EAST,East Africa,Восточная Африка,KE,KEN,Kenya,Кения\n"  # line 2: fine
        + "EAST,East Africa,Восточная Африка,K1,KEN2,,Кения\n"  # line 3: three problems
        + "\n"  # blank lines are skipped but still counted
        + "EAST,East Africa,Восточная Африка,KE,KEX,Kenya again,\n"  # line 5: duplicate KE
    ).encode()

    report = GeographyImporter().run(data, fmt="csv")

    assert report.rejected_lines == [3, 5]
    assert {(e.line, e.column) for e in report.errors} == {
        (3, "country_iso2"),
        (3, "country_iso3"),
        (3, "country_name_en"),
        (5, "country_iso2"),
    }
    assert "line 2" in next(e.message for e in report.errors if e.line == 5)
    assert report.written == 0
    assert not Country.objects.exists()
    assert not SubRegion.objects.exists()


def test_partial_import_writes_the_valid_rows_and_reports_the_rest(db):
    data = (
        HEADER + "EAST,East Africa,,KE,KEN,Kenya,\nEAST,East Africa,,TZ,TOOLONG,Tanzania,\n"
    ).encode()

    report = GeographyImporter().run(data, fmt="csv", partial=True)

    assert report.written == 1
    assert report.rejected_lines == [3]
    assert list(Country.objects.values_list("iso2", flat=True)) == ["KE"]


def test_missing_and_unknown_columns_are_reported_on_line_one(db):
    data = b"subregion_code,country_iso2,colour\nEAST,KE,red\n"

    report = GeographyImporter().run(data, fmt="csv")

    problems = {(e.line, e.column) for e in report.errors}
    assert (1, "country_iso3") in problems
    assert (1, "colour") in problems
    assert (1, "country_name_en") in problems
    assert not Country.objects.exists()


def test_semicolon_csv_in_windows_1251_is_read(db):
    text = HEADER.replace(",", ";") + "EAST;Восток;Восток;KE;KEN;Kenya;Кения\n"

    report = GeographyImporter().run(text.encode("cp1251"), fmt="csv")

    assert report.ok, report.errors
    assert Country.objects.get().names["ru"] == "Кения"


def test_xlsx_rows_are_reported_with_their_spreadsheet_row_number(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["EAST", "East Africa", "", "KE", "KEN", "Kenya", ""])
    sheet.append(["EAST", "East Africa", "", "", "TZA", "Tanzania", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = GeographyImporter().run(buffer.getvalue(), fmt="xlsx")

    assert report.rejected_lines == [3]
    assert report.errors[0].column == "country_iso2"
    assert not Country.objects.exists()


def test_unreadable_xlsx_is_reported_not_raised(db):
    report = GeographyImporter().run(b"not a workbook", fmt="xlsx")

    assert not report.ok
    assert "XLSX" in report.errors[0].message


def test_alias_import_resolves_countries_and_rejects_conflicts(geography):
    data = (
        b"country,alias\n"
        b"Moldova,Moldavian Republic\n"  # line 2: fine
        b"Narnia,Somewhere\n"  # line 3: unknown country
        b"UA,Czech Republic\n"  # line 4: alias already names Czechia
    )

    report = CountryAliasImporter().run(data, fmt="csv")

    assert report.rejected_lines == [3, 4]
    assert "Narnia" in report.errors[0].message
    assert not CountryAlias.objects.filter(name="Moldavian Republic").exists()


def test_successful_import_is_audited(geography):
    data = b"country,alias\nMD,Moldavian Republic\n"

    report = CountryAliasImporter().run(data, fmt="csv")

    assert report.written == 1
    assert CountryAlias.objects.get(name="Moldavian Republic").country.iso2 == "MD"
    assert AuditEntry.objects.filter(action="geo.alias.import").exists()
