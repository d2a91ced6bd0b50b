"""Importing an existing register from CSV or XLSX."""

import csv
import io
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from hrnet.core.models import AuditEntry, TaskProgress
from hrnet.core.reference import issue_areas_load
from hrnet.members.imports import OrganisationImporter, PersonImporter, imported_membership
from hrnet.members.models import Affiliation, Membership, MembershipType, Organisation, Person
from hrnet.members.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
    membership_type,
)

ORGANISATION_HEADER = [
    "name_en", "name_ru", "type", "community_led", "country", "city", "website", "email",
    "issue_areas", "description_en", "public", "member_since",
]  # fmt: skip
TYPES = ["ngo", "Community-led organisation of people who use drugs", "Service provider",
         "research", "Public body", "network"]  # fmt: skip
COUNTRIES = ["MD", "Ukraine", "Грузия", "KAZ", "Kyrgyzstan", "RU", "Republic of Moldova"]


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _xlsx(header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _organisation_row(i):
    return [
        f"Harm Reduction Centre {i}",
        f"Центр снижения вреда {i}",
        TYPES[i % len(TYPES)],
        ["yes", "no", "да", "нет", "1", "0"][i % 6],
        COUNTRIES[i % len(COUNTRIES)],
        f"City {i % 40}",
        f"www.centre{i}.example.org" if i % 3 else "",
        f"centre{i}@example.org",
        "HIV; viral_hepatitis" if i % 2 else "",
        f"A centre number {i}",
        "yes" if i % 4 else "no",
        f"{2005 + i % 20}-03-01" if i % 5 else "",
    ]


@pytest.fixture
def register(geography):
    issue_areas_load()


@pytest.fixture
def register_file(register):
    """650 rows: 3 bad ones, one duplicate within the file, one of the register."""
    OrganisationFactory.create(
        names={"en": "Already Here"}, name_key="already here", country=country("UA")
    )
    rows = [_organisation_row(i) for i in range(650)]
    rows[99][4] = "Narnia"  # line 101: unknown country
    rows[199][2] = "spaceship"  # line 201: unknown type
    rows[299][7] = "not-an-email"  # line 301: bad email
    rows[399][7] = rows[9][7]  # line 401: same email as line 11
    rows[499][0], rows[499][4] = "Already  here!", "Ukraine"  # line 501: in the register
    return _csv(ORGANISATION_HEADER, rows)


def test_done_when_a_650_row_register_with_5_bad_rows_is_refused_line_by_line(
    register_file, secretariat
):
    started = time.monotonic()
    report = OrganisationImporter(actor=secretariat).run(register_file, fmt="csv")
    elapsed = time.monotonic() - started

    assert report.rows == 650
    assert report.rejected_lines == [101, 201, 301, 401, 501]
    reasons = {error.line: (error.column, error.message) for error in report.errors}
    assert reasons[101][0] == "country"
    assert "Unknown country “Narnia”" in reasons[101][1]
    assert reasons[201][0] == "type"
    assert "Unknown value" in reasons[201][1]
    assert reasons[301][0] == "email"
    assert reasons[401] == ("email", "Same email address as line 11.")
    assert reasons[501][0] == "name_en"
    assert "Already Here" in reasons[501][1]
    assert report.written == 0
    assert Organisation.objects.count() == 1  # only the one already there
    assert not AuditEntry.objects.filter(action="members.register.import").exists()
    assert elapsed < 5


def test_done_when_a_partial_import_writes_the_645_valid_rows(register_file, secretariat):
    started = time.monotonic()
    report = OrganisationImporter(actor=secretariat).run(register_file, fmt="csv", partial=True)
    elapsed = time.monotonic() - started

    assert report.written == 645
    assert report.rejected_lines == [101, 201, 301, 401, 501]
    assert Organisation.objects.count() == 646
    assert Membership.objects.filter(organisation__isnull=False).count() == 645
    entry = AuditEntry.objects.get(action="members.register.import")
    assert entry.changes == {
        "importer": "members.organisations",
        "organisations": 645,
        "memberships": 645,
    }
    assert elapsed < 5


def test_imported_values_are_read_as_a_person_would_mean_them(register, secretariat):
    data = _csv(ORGANISATION_HEADER, [_organisation_row(1), _organisation_row(2)])

    report = OrganisationImporter(actor=secretariat).run(data, fmt="csv")

    assert report.ok, report.errors
    one = Organisation.objects.get(name_key="harm reduction centre 1")
    assert one.names == {"en": "Harm Reduction Centre 1", "ru": "Центр снижения вреда 1"}
    assert one.kind == Organisation.Kind.COMMUNITY_LED
    assert one.is_community_led
    assert one.country.iso2 == "UA"
    assert one.website == "https://www.centre1.example.org"
    assert set(one.issue_areas.values_list("code", flat=True)) == {"HIV", "VIRAL_HEPATITIS"}
    assert one.is_public
    membership = one.memberships.get()
    assert membership.start_date == date(2006, 3, 1)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.end_date >= timezone.localdate()
    two = Organisation.objects.get(name_key="harm reduction centre 2")
    assert two.kind == Organisation.Kind.SERVICE_PROVIDER  # by its label
    assert two.country.iso2 == "GE"  # "Грузия"


def test_column_names_are_matched_loosely_with_synonyms(register):
    data = _csv(
        ["Name", "Тип", "Страна", "E-mail", "Status", "Joined", "subregion"],
        [["Alliance", "NGO", "Молдова", "info@alliance.example.org", "lapsed", "2010", "x"]],
    )

    report = OrganisationImporter().run(data, fmt="csv")

    assert report.ok, report.errors
    organisation = Organisation.objects.get()
    assert organisation.email == "info@alliance.example.org"
    membership = organisation.memberships.get()
    assert membership.status == Membership.Status.LAPSED
    assert not membership.status_override  # the dates give "lapsed" by themselves


def test_bad_columns_are_reported_on_line_one_and_nothing_is_read(register):
    data = _csv(["name", "name_en", "colour", "city"], [["A", "B", "red", "X"]])

    report = OrganisationImporter().run(data, fmt="csv")

    problems = {(e.line, e.column): e.message for e in report.errors}
    assert "both give the name_en" in problems[(1, "name_en")]
    assert "Unknown column “colour”" in problems[(1, "colour")]
    assert (1, "type") in problems
    assert (1, "country") in problems
    assert not Organisation.objects.exists()


def test_xlsx_register_imports_with_dates_and_numbers_as_cells(register, secretariat):
    rows = [_organisation_row(i) for i in range(3)]
    rows[1][11] = date(2010, 5, 17)  # a real date cell
    rows[2][3] = 1  # a number cell
    data = _xlsx(ORGANISATION_HEADER, rows)

    report = OrganisationImporter(actor=secretariat).run(data, fmt="xlsx")

    assert report.ok, report.errors
    assert report.written == 3
    second = Organisation.objects.get(name_key="harm reduction centre 1")
    assert second.memberships.get().start_date == date(2010, 5, 17)
    assert Organisation.objects.get(name_key="harm reduction centre 2").is_community_led


def test_upload_page_runs_the_import_and_shows_the_report(
    client, secretariat, register, django_capture_on_commit_callbacks
):
    rows = [_organisation_row(i) for i in range(4)]
    rows[2][4] = "Atlantis"
    upload = SimpleUploadedFile("register.xlsx", _xlsx(ORGANISATION_HEADER, rows))
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:register_import"),
            {"records": "organisations", "file": upload, "partial": "on"},
        )
    response = client.get(response["Location"])

    job = TaskProgress.objects.get()
    assert job.status == TaskProgress.Status.DONE
    content = response.content.decode()
    assert "Rows read: 4. Rows written: 3." in content
    assert "Atlantis" in content
    assert Organisation.objects.count() == 3


def test_upload_page_lists_the_columns_and_refuses_other_file_types(client, secretariat, register):
    client.force_login(secretariat)

    page = client.get(reverse("members:register_import"))
    refused = client.post(
        reverse("members:register_import"),
        {"records": "people", "file": SimpleUploadedFile("people.pdf", b"%PDF")},
    )

    assert page.status_code == 200
    assert "membership_status" in page.content.decode()
    assert refused.status_code == 200
    assert "Unsupported file type" in refused.content.decode()
    assert not TaskProgress.objects.exists()


PEOPLE_HEADER = ["full_name", "email", "country", "organisation", "role", "admin", "languages",
                 "member_since"]  # fmt: skip


def test_people_are_linked_to_organisations_by_name_or_email(register, secretariat):
    member_org = OrganisationFactory.create(
        names={"en": "Hope Moldova"}, name_key="hope moldova", email="hope@example.org"
    )
    MembershipFactory.create(organisation=member_org)
    other = OrganisationFactory.create(names={"en": "Other", "ru": "Другая"}, name_key="other")
    data = _csv(
        PEOPLE_HEADER,
        [
            ["Ana Rusu", "ana@example.org", "MD", "hope@example.org", "director", "yes", "ro; ru",
             ""],
            ["Ion Rusu", "", "MD", "Другая", "", "", "", ""],
            ["Vera Solo", "vera@example.org", "UA", "", "", "", "uk", "2019-04-01"],
        ],
    )  # fmt: skip

    report = PersonImporter(actor=secretariat).run(data, fmt="csv")

    assert report.ok, report.errors
    ana = Person.objects.get(full_name="Ana Rusu")
    link = Affiliation.objects.get(person=ana)
    assert (link.organisation, link.role, link.is_admin) == (member_org, "director", True)
    assert ana.languages == ["ro", "ru"]
    # Staff of a member organisation inherit its membership ...
    assert ana.memberships.get().inherited_from.organisation == member_org
    assert Affiliation.objects.get(person__full_name="Ion Rusu").organisation == other
    # ... a person without an organisation is an individual member.
    vera = Person.objects.get(full_name="Vera Solo")
    own = vera.memberships.get()
    assert own.inherited_from is None
    assert own.type.kind == MembershipType.Kind.INDIVIDUAL
    assert own.start_date == date(2019, 4, 1)
    entry = AuditEntry.objects.get(action="members.register.import")
    assert entry.changes["people"] == 3
    assert entry.changes["affiliations"] == 2


def test_people_rows_with_unknown_organisations_and_duplicates_are_refused(register):
    PersonFactory.create(
        full_name="Existing Person", name_key="existing person", email="e@example.org"
    )
    data = _csv(
        PEOPLE_HEADER,
        [
            ["Ana Rusu", "ana@example.org", "MD", "Nowhere Org", "", "", "", ""],
            ["Existing  Person", "", "MD", "", "", "", "", ""],
            ["Someone", "E@example.org", "MD", "", "", "", "", ""],
            ["Pat Doe", "pat@example.org", "MD", "", "", "", "english", ""],
            ["Pat Doe", "pat2@example.org", "MD", "", "", "", "", ""],
        ],
    )

    report = PersonImporter().run(data, fmt="csv")

    messages = {(e.line, e.column): e.message for e in report.errors}
    assert "No organisation “Nowhere Org”" in messages[(2, "organisation")]
    assert "Existing Person" in messages[(3, "full_name")]
    assert "Existing Person" in messages[(4, "email")]
    assert (5, "languages") in messages
    assert (6, "full_name") not in messages  # line 5 was rejected, so this is no duplicate
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "override"),
    [("active", ""), ("grace", ""), ("lapsed", ""), ("suspended", "suspended"), ("left", "left")],
)
def test_a_stated_status_comes_from_the_dates_where_they_can_give_it(db, status, override):
    today = date(2025, 2, 1)  # calendar-year terms: in grace until 1 March
    kind = membership_type(MembershipType.Kind.ORGANISATIONAL, grace_days=60)

    membership = imported_membership(
        membership_type=kind,
        member_since=date(2012, 1, 1),
        membership_end=None,
        status=status,
        principles=None,
        actor=None,
        today=today,
    )

    assert membership.status == status
    assert membership.status_override == override
    expected_end = {"active": 2025, "grace": 2024, "lapsed": 2023}.get(status, 2025)
    assert membership.end_date == date(expected_end, 12, 31)


def test_the_current_term_is_computed_from_the_start_for_an_active_member(db):
    kind = membership_type(
        MembershipType.Kind.INDIVIDUAL, code="rolling", term=MembershipType.Term.ROLLING
    )

    membership = imported_membership(
        membership_type=kind,
        member_since=date(2020, 3, 10),
        membership_end=None,
        status="",
        principles=None,
        actor=None,
        today=date(2025, 6, 15),
    )

    assert (membership.end_date, membership.status) == (date(2026, 3, 9), "active")


def test_a_person_file_over_the_import_upload_uses_the_people_importer(
    client, secretariat, register, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "people.csv", _csv(PEOPLE_HEADER, [["Ana Rusu", "", "MD", "", "", "", "", ""]])
    )
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:register_import"), {"records": "people", "file": upload})

    assert Person.objects.filter(full_name="Ana Rusu").exists()
