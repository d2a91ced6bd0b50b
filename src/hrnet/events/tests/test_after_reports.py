"""Reports: registrations and attendance by country, sub-region, organisation type and
gender, satisfaction per event, and their CSV/XLSX exports, on a small known dataset."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hrnet.accounts.roles import Role
from hrnet.events.models import Attendance, Feedback, Registration
from hrnet.events.selectors.reports import report_across_events, report_for_event
from hrnet.events.tests.factories import EventFactory, RegistrationFactory
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.usefixtures("geography")


def _rows(breakdown):
    return {row.label: (row.registered, row.attended) for row in breakdown.rows}


@pytest.fixture
def organiser(make_user):
    return make_user(Role.MEMBER)


@pytest.fixture
def dataset(organiser):
    """One past webinar of the organiser: 4 confirmed (3 attended), 1 cancelled, 2 answers."""
    start = timezone.now() - timedelta(days=10)
    event = EventFactory.create(organisers=[organiser], starts_at=start)
    session = event.sessions.get()
    moldova, kazakhstan = Country.objects.get(iso2="MD"), Country.objects.get(iso2="KZ")
    ngo = OrganisationFactory.create(kind=Organisation.Kind.NGO)
    community = OrganisationFactory.create(kind=Organisation.Kind.COMMUNITY_LED)
    people = [
        (moldova, ngo, Registration.Gender.WOMAN, True, (5, 4)),
        (moldova, community, Registration.Gender.MAN, True, (3, 5)),
        (kazakhstan, community, Registration.Gender.WOMAN, True, None),
        (None, None, Registration.Gender.UNSAID, False, None),
    ]
    for country, organisation, gender, attended, answers in people:
        registration = RegistrationFactory.create(
            event=event, country=country, organisation=organisation, gender=gender
        )
        if attended:
            Attendance.objects.create(
                registration=registration, session=session, source="check_in", minutes=50
            )
        if answers:
            Feedback.objects.create(
                registration=registration, overall=answers[0], usefulness=answers[1]
            )
    RegistrationFactory.create(event=event, country=moldova, status=Registration.Status.CANCELLED)
    return event


def test_numbers_of_one_event(dataset, organiser):
    report = report_for_event(user=organiser, event=dataset)

    by_country = _rows(report.table("country"))
    assert by_country["Moldova"] == (2, 2)
    assert by_country["Kazakhstan"] == (1, 1)
    assert by_country["Not given"] == (1, 0)
    assert report.table("country").registered == 4
    assert report.table("country").attended == 3
    subregions = _rows(report.table("subregion"))
    assert sum(n for n, _a in subregions.values()) == 4
    assert _rows(report.table("organisation_type")) == {
        "Community-led organisation of people who use drugs": (2, 2),
        "NGO": (1, 1),
        "No member organisation given": (1, 0),
    }
    assert _rows(report.table("gender")) == {
        "Woman": (2, 2),
        "Man": (1, 1),
        "Prefer not to say": (1, 0),
    }
    [satisfaction] = report.satisfaction
    assert (satisfaction.registered, satisfaction.attended, satisfaction.responses) == (4, 3, 2)
    assert satisfaction.overall == 4
    assert satisfaction.usefulness == 4.5


def test_across_events_in_a_date_range_and_only_ones_own(dataset, organiser, secretariat):
    someone_elses = EventFactory.create(starts_at=timezone.now() - timedelta(days=5))
    RegistrationFactory.create(event=someone_elses)
    today = timezone.localdate()

    mine = report_across_events(user=organiser)
    everything = report_across_events(user=secretariat, start=today - timedelta(days=30))
    older = report_across_events(user=secretariat, end=today - timedelta(days=20))

    assert mine.events == [dataset]
    assert set(everything.events) >= {dataset, someone_elses}
    assert everything.table("gender").registered == 5
    assert dataset not in older.events


def test_query_count_does_not_grow_with_rows(organiser, secretariat):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            report_across_events(user=secretariat)
        return len(context)

    def add_events(count):
        for _ in range(count):
            event = EventFactory.create(organisers=[organiser])
            for _ in range(3):
                RegistrationFactory.create(
                    event=event, country=Country.objects.order_by("?").first()
                )

    add_events(2)
    queries()  # the first call also reads the user's roles
    few = queries()
    add_events(6)
    assert queries() == few


def test_report_pages_and_their_exports(client, dataset, organiser):
    client.force_login(organiser)
    page = client.get(reverse("events:after_report_event", args=[dataset.pk]))
    assert page.status_code == 200
    assert "Moldova" in page.content.decode()

    response = client.get(
        reverse("events:after_report_event", args=[dataset.pk]),
        {"format": "csv", "table": "country"},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1:] == ["confirmed registrations", "attended", "attended, %"]
    assert ["Moldova", "2", "2", "100"] in rows
    assert rows[-1][:3] == ["Total", "4", "3"]

    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("events:after_report_event", args=[dataset.pk]), {"format": "xlsx"}
            ).content
        )
    )
    assert len(workbook.sheetnames) == 5
    satisfaction = list(workbook.worksheets[-1].iter_rows(values_only=True))
    assert satisfaction[1][2:] == (4, 3, 2, 4, 4.5)

    bad = client.get(reverse("events:after_report_event", args=[dataset.pk]), {"format": "pdf"})
    assert bad.status_code == 400


def test_across_events_page_with_dates(client, dataset, secretariat):
    client.force_login(secretariat)
    today = timezone.localdate()
    url = reverse("events:after_reports")

    page = client.get(url, {"start": str(today - timedelta(days=30)), "end": str(today)})
    assert page.status_code == 200
    assert dataset.title in page.content.decode()

    export = client.get(
        url, {"start": str(today - timedelta(days=30)), "format": "csv", "table": "satisfaction"}
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[1][0] == dataset.title

    wrong = client.get(url, {"start": str(today), "end": str(today - timedelta(days=3))})
    assert "must not be before" in wrong.content.decode()


def test_participant_list_exports(client, dataset, organiser):
    client.force_login(organiser)
    url = reverse("events:after_participants_export", args=[dataset.pk])

    response = client.get(url, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 5  # the cancelled one too, with its status
    assert {row["status"] for row in rows} == {"Confirmed", "Cancelled"}
    assert sum(row["sessions attended (of 1)"] == "1" for row in rows) == 3
    assert all("@" in row["email"] for row in rows)

    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert workbook.active.max_row == 6


def test_formulas_in_names_are_neutralised(client, organiser):
    from hrnet.accounts.tests.factories import UserFactory

    event = EventFactory.create(organisers=[organiser])
    RegistrationFactory.create(event=event, user=UserFactory(full_name="=HYPERLINK(1)"))
    client.force_login(organiser)

    response = client.get(
        reverse("events:after_participants_export", args=[event.pk]), {"format": "csv"}
    )

    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")
