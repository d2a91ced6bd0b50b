"""Exporting the register: who gets which rows and columns."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hrnet.core.models import AuditEntry
from hrnet.members.models import Membership
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    PersonFactory,
    country,
    membership_type,
)

URL = reverse("members:register_export")


@pytest.fixture
def people(geography):
    """A current member, a lapsed one, a current individual and a staff member."""
    current = MembershipFactory.create(
        organisation__names={"en": "Current Org", "ru": "Текущая организация"},
        organisation__email="current@example.org",
        organisation__country=country("MD"),
    ).organisation
    lapsed = MembershipFactory.create(
        organisation__names={"en": "Lapsed Org"},
        organisation__country=country("UA"),
        status=Membership.Status.LAPSED,
        start_date=date(2010, 1, 1),
        end_date=date(2015, 12, 31),
    ).organisation
    individual = MembershipFactory.create(
        organisation=None,
        person=PersonFactory.create(full_name="Ivana Individual", email="ivana@example.org"),
        type=membership_type("individual"),
    ).person
    return {"current": current, "lapsed": lapsed, "individual": individual}


def _csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # so Excel reads Cyrillic as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _count_queries(client, *requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for params in requests:
            _csv_rows(client.get(URL, params))
    return len(queries)


def _orgadmin_of(make_user, organisation):
    user = make_user("orgadmin")
    AffiliationFactory.create(organisation=organisation, person__user=user, is_admin=True)
    return user


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("role", ["sitestaff", "documenter"])
def test_people_outside_the_network_may_not_export(client, make_user, people, role):
    client.force_login(make_user(role))

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="members.register.export").exists()


def test_a_member_gets_current_members_with_directory_columns_only(client, member, people):
    client.force_login(member)

    response = client.get(URL, {"format": "csv"})

    rows = _csv_rows(response)
    assert response["Content-Disposition"].startswith('attachment; filename="organisations-')
    assert [row["name_en"] for row in rows] == ["Current Org"]
    assert rows[0]["name_ru"] == "Текущая организация"
    assert rows[0]["country"] == "Moldova"
    assert "email" not in rows[0]
    assert "membership_status" not in rows[0]
    assert "current@example.org" not in str(rows)


def test_an_orgadmin_also_gets_their_own_organisation(client, make_user, people):
    client.force_login(_orgadmin_of(make_user, people["lapsed"]))

    rows = _csv_rows(client.get(URL, {"format": "csv"}))

    assert sorted(row["name_en"] for row in rows) == ["Current Org", "Lapsed Org"]
    assert "email" not in rows[0]


def test_the_secretariat_gets_every_record_with_contacts_and_membership(
    client, secretariat, people
):
    client.force_login(secretariat)

    rows = _csv_rows(client.get(URL, {"format": "csv"}))

    by_name = {row["name_en"]: row for row in rows}
    assert set(by_name) == {"Current Org", "Lapsed Org"}
    assert by_name["Current Org"]["email"] == "current@example.org"
    assert by_name["Current Org"]["membership_status"] == "active"
    assert by_name["Lapsed Org"]["membership_status"] == "lapsed"
    assert by_name["Lapsed Org"]["member_since"] == "2010-01-01"
    assert by_name["Lapsed Org"]["membership_end"] == "2015-12-31"


def test_people_export_differs_by_role(client, secretariat, member, people):
    staff = AffiliationFactory.create(
        organisation=people["current"], person__full_name="Staff Only", person__email="s@x.org"
    ).person

    client.force_login(member)
    for_member = _csv_rows(client.get(URL, {"records": "people", "format": "csv"}))
    client.force_login(secretariat)
    for_secretariat = _csv_rows(client.get(URL, {"records": "people", "format": "csv"}))

    assert [row["full_name"] for row in for_member] == ["Ivana Individual"]
    assert "email" not in for_member[0]
    names = {row["full_name"]: row for row in for_secretariat}
    assert names["Ivana Individual"]["email"] == "ivana@example.org"
    assert names[staff.full_name]["organisation"] == "Current Org"
    assert names[staff.full_name]["membership_status"] == ""


def test_filters_of_the_directory_narrow_the_export(client, secretariat, people):
    client.force_login(secretariat)

    by_country = _csv_rows(client.get(URL, {"format": "csv", "country": "UA"}))
    by_name = _csv_rows(client.get(URL, {"format": "csv", "q": "current ORG"}))
    by_russian_name = _csv_rows(client.get(URL, {"format": "csv", "q": "текущая"}))
    only_people = _csv_rows(client.get(URL, {"format": "csv", "type": "individual"}))
    by_type = _csv_rows(client.get(URL, {"format": "csv", "type": "network"}))

    assert [row["name_en"] for row in by_country] == ["Lapsed Org"]
    assert [row["name_en"] for row in by_name] == ["Current Org"]
    assert [row["name_en"] for row in by_russian_name] == ["Current Org"]
    assert by_type == []
    assert only_people == []  # as in the directory: "individual" lists no organisation
    entry = AuditEntry.objects.filter(action="members.register.export").first()
    assert entry is not None
    assert entry.changes == {
        "records": "organisations",
        "format": "csv",
        "filters": {"type": "network"},
        "rows": 0,
    }
    assert entry.actor == secretariat


def test_xlsx_export_opens_in_a_spreadsheet(client, secretariat, people):
    client.force_login(secretariat)

    response = client.get(URL, {"format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "name_en", "name_ru")
    assert {row[1] for row in rows[1:]} == {"Current Org", "Lapsed Org"}


def test_formulas_in_a_cell_are_defused(client, secretariat, geography):
    MembershipFactory.create(organisation__names={"en": '=HYPERLINK("http://x")'})
    client.force_login(secretariat)

    rows = _csv_rows(client.get(URL, {"format": "csv"}))

    assert rows[0]["name_en"].startswith("'=")


def test_unknown_formats_are_refused(client, secretariat, people):
    client.force_login(secretariat)

    assert client.get(URL, {"format": "pdf"}).status_code == 400
    assert client.get(URL, {"records": "cases"}).status_code == 400


def test_an_export_reads_a_fixed_number_of_queries(client, secretariat, geography):
    client.force_login(secretariat)
    requests = [{"format": "csv", "records": "people"}, {"format": "csv"}]
    for _ in range(3):
        AffiliationFactory.create(organisation=MembershipFactory.create().organisation)
    few = _count_queries(client, *requests)

    for _ in range(10):
        AffiliationFactory.create(organisation=MembershipFactory.create().organisation)

    assert _count_queries(client, *requests) == few
