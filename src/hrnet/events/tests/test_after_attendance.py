"""Attendance: one-click check-in on the organisers' list, and the import of a video
call's participant list (Zoom, Teams, plain CSV) with a preview that writes nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.imports import get_importer
from hrnet.core.models import AuditEntry
from hrnet.events.imports import AttendanceImporter, parse_minutes
from hrnet.events.models import Attendance, Registration
from hrnet.events.services.attendance import (
    attendance_check_in,
    attendance_import,
    attendance_import_preview,
    attendance_import_token,
)
from hrnet.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def organiser(make_user):
    return make_user(Role.MEMBER)


@pytest.fixture
def event(organiser):
    return EventFactory.create(organisers=[organiser])


def _register(event, email, name="", **fields):
    user = UserFactory.create(email=email, full_name=name or email.split("@")[0].title())
    return RegistrationFactory.create(event=event, user=user, **fields)


ZOOM = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Naloxone webinar,03/12/2025 10:00:00 AM,03/12/2025 11:05:00 AM,host@example.org,65,4

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Aigerim Sadykova,Aigerim@Example.org,03/12/2025 10:01:00 AM,03/12/2025 10:30:00 AM,29,Yes,Y
Aigerim Sadykova,aigerim@example.org,03/12/2025 10:35:00 AM,03/12/2025 11:00:00 AM,25,Yes,Y
Stranger,stranger@elsewhere.net,03/12/2025 10:02:00 AM,03/12/2025 10:40:00 AM,38,Yes,Y
Phone caller,,03/12/2025 10:05:00 AM,03/12/2025 10:20:00 AM,15,Yes,
Broken,not-an-email,03/12/2025 10:05:00 AM,03/12/2025 10:20:00 AM,15,Yes,
Ivan Petrov,IVAN@example.org,03/12/2025 10:00:00 AM,03/12/2025 11:00:00 AM,sixty,No,
Olena,olena@example.org,03/12/2025 10:00:00 AM,03/12/2025 11:00:00 AM,60,No,
"""

TEAMS = (
    "1. Summary\n"
    "Meeting title\tNaloxone webinar\n"
    "Attended participants\t2\n"
    "\n"
    "2. Participants\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
    "Aigerim Sadykova\t3/12/25, 10:01:00 AM\t3/12/25, 11:00:00 AM\t54m 10s\taigerim@example.org\t"
    "aigerim@example.org\tAttendee\n"
    "Olena\t3/12/25, 10:00:00 AM\t3/12/25, 11:00:00 AM\t1h 0m 0s\tolena@example.org\t\tAttendee\n"
    "\n"
    "3. In-Meeting Activities\n"
    "Name\tJoin Time\tLeave Time\tDuration\tEmail\tParticipant ID (UPN)\tRole\n"
    "Aigerim Sadykova\t3/12/25, 10:01:00 AM\t3/12/25, 11:00:00 AM\t54m 10s\taigerim@example.org\t"
    "aigerim@example.org\tAttendee\n"
)


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("45", 45), ("45.6", 46), ("1h 5m 30s", 66), ("45m 12s", 45), ("1:05:30", 66), ("", None)],
)
def test_durations(value, minutes):
    assert parse_minutes(value) == minutes


def test_registered_as_a_framework_importer():
    assert get_importer("events.attendance") is AttendanceImporter


# --- check-in -------------------------------------------------------------------------------


def test_check_in_and_undo_with_htmx(client, event, organiser):
    registration = _register(event, "aigerim@example.org", "Aigerim Sadykova")
    _register(event, "waiting@example.org", status=Registration.Status.WAITING)
    session = event.sessions.get()
    client.force_login(organiser)
    url = reverse("events:after_check_in_toggle", args=[event.pk, session.pk, registration.pk])

    page = client.get(reverse("events:after_check_in", args=[event.pk]))
    assert "Aigerim Sadykova" in page.content.decode()
    assert "waiting@example.org" not in page.content.decode()
    assert "0 of 1 confirmed participants are checked in." in page.content.decode()

    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Undo" in body
    assert 'hx-swap-oob="true"' in body
    assert "1 of 1 confirmed participants are checked in." in body
    attendance = Attendance.objects.get()
    assert attendance.source == Attendance.Source.CHECK_IN
    assert attendance.recorded_by == organiser

    client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")  # a double click
    assert Attendance.objects.count() == 1

    response = client.post(url, {"present": "0"})  # without htmx: back to the list
    assert response.status_code == 302
    assert not Attendance.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="events.attendance.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["events.attendance.check_in", "events.attendance.undo"]


def test_check_in_search_by_name_or_email(client, event, organiser):
    _register(event, "aigerim@example.org", "Aigerim Sadykova")
    _register(event, "ivan@example.org", "Ivan Petrov")
    client.force_login(organiser)
    url = reverse("events:after_check_in", args=[event.pk])

    by_name = client.get(url, {"q": "sadyk"}, HTTP_HX_REQUEST="true").content.decode()
    by_email = client.get(url, {"q": "IVAN@"}, HTTP_HX_REQUEST="true").content.decode()

    assert "Aigerim" in by_name
    assert "Ivan" not in by_name
    assert "Ivan" in by_email
    assert "Aigerim" not in by_email
    assert "<html" not in by_name  # a fragment for htmx


def test_only_confirmed_can_be_checked_in(event, organiser):
    registration = _register(event, "w@example.org", status=Registration.Status.WAITING)
    with pytest.raises(Exception, match="confirmed"):
        attendance_check_in(
            registration=registration, session=event.sessions.get(), actor=organiser
        )


def test_sessions_of_a_training_are_separate(client, organiser):
    training = EventFactory.create(organisers=[organiser], sessions=3)
    registration = _register(training, "a@example.org")
    first, second, _third = training.sessions.all()
    client.force_login(organiser)

    client.post(
        reverse("events:after_check_in_toggle", args=[training.pk, second.pk, registration.pk]),
        {"present": "1"},
    )
    page = client.get(reverse("events:after_check_in", args=[training.pk]), {"session": first.pk})

    assert Attendance.objects.get().session == second
    assert "0 of 1 confirmed" in page.content.decode()


# --- import ---------------------------------------------------------------------------------


def test_zoom_preview_reports_everything_and_writes_nothing(event, organiser):
    aigerim = _register(event, "aigerim@example.org")
    olena = _register(event, "olena@example.org")
    _register(event, "ivan@example.org")

    preview = attendance_import_preview(
        session=event.sessions.get(), data=ZOOM.encode(), actor=organiser
    )

    assert {p.registration for p in preview.matched} == {aigerim, olena}
    minutes = {p.email: p.minutes for p in preview.matched}
    assert minutes == {"aigerim@example.org": 54, "olena@example.org": 60}  # 29 + 25
    assert [p.email for p in preview.unknown] == ["stranger@elsewhere.net"]
    assert [(e.line, e.column) for e in preview.errors] == [
        (8, "email"),  # no address
        (9, "email"),  # not an address
        (10, "minutes"),  # "sixty"
    ]
    assert not Attendance.objects.exists()


def test_teams_report_in_utf16_reads_the_participants_section_only(event, organiser):
    _register(event, "aigerim@example.org")
    _register(event, "olena@example.org")

    preview = attendance_import_preview(
        session=event.sessions.get(), data=TEAMS.encode("utf-16"), actor=organiser
    )

    assert not preview.errors
    assert {p.email: p.minutes for p in preview.matched} == {
        "aigerim@example.org": 54,
        "olena@example.org": 60,
    }


def test_plain_email_column(event, organiser):
    _register(event, "a@example.org")

    preview = attendance_import_preview(
        session=event.sessions.get(), data=b"email\nA@example.org\nb@example.org\n", actor=organiser
    )

    assert [p.email for p in preview.matched] == ["a@example.org"]
    assert [p.email for p in preview.unknown] == ["b@example.org"]
    assert preview.matched[0].minutes is None


def test_a_file_without_an_email_column_is_refused(event, organiser):
    preview = attendance_import_preview(
        session=event.sessions.get(), data=b"name,minutes\nAigerim,40\n", actor=organiser
    )

    assert preview.unreadable
    assert "email" in preview.errors[0].message


def test_confirm_imports_the_known_and_reimport_does_not_duplicate(event, organiser):
    _register(event, "aigerim@example.org")
    olena = _register(event, "olena@example.org")
    session = event.sessions.get()
    attendance_check_in(registration=olena, session=session, actor=organiser)
    preview = attendance_import_preview(session=session, data=ZOOM.encode(), actor=organiser)
    token = attendance_import_token(session=session, preview=preview)

    result = attendance_import(session=session, token=token, actor=organiser)

    assert result.matched == 2
    assert result.unknown == ["stranger@elsewhere.net"]
    rows = {
        a.registration.email: a for a in Attendance.objects.select_related("registration__user")
    }
    assert set(rows) == {"aigerim@example.org", "olena@example.org"}
    assert rows["aigerim@example.org"].minutes == 54
    assert rows["aigerim@example.org"].source == Attendance.Source.IMPORT
    assert rows["olena@example.org"].minutes == 60  # the check-in gets the call's minutes

    again = attendance_import(session=session, token=token, actor=organiser)
    assert again.written == 0
    assert Attendance.objects.count() == 2

    shorter = attendance_import_preview(
        session=session, data=b"email,minutes\naigerim@example.org,10\n", actor=organiser
    )
    attendance_import(
        session=session,
        token=attendance_import_token(session=session, preview=shorter),
        actor=organiser,
    )
    assert Attendance.objects.get(registration__user__email="aigerim@example.org").minutes == 54


def test_tampered_or_foreign_token_is_refused(event, organiser):
    from django.core.exceptions import ValidationError

    _register(event, "a@example.org")
    session = event.sessions.get()
    other = EventFactory.create(organisers=[organiser]).sessions.get()
    preview = attendance_import_preview(
        session=session, data=b"email\na@example.org\n", actor=organiser
    )
    token = attendance_import_token(session=session, preview=preview)

    with pytest.raises(ValidationError):
        attendance_import(session=session, token=token[:-2] + "xx", actor=organiser)
    with pytest.raises(ValidationError):
        attendance_import(session=other, token=token, actor=organiser)
    assert not Attendance.objects.exists()


def test_the_import_page_previews_then_confirms(client, event, organiser):
    _register(event, "aigerim@example.org", "Aigerim Sadykova")
    _register(event, "olena@example.org")
    session = event.sessions.get()
    client.force_login(organiser)
    url = reverse("events:after_attendance_import", args=[event.pk])

    assert client.get(url).status_code == 200
    preview = client.post(
        url,
        {"session": session.pk, "file": SimpleUploadedFile("participants.csv", ZOOM.encode())},
    )
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "stranger@elsewhere.net" in body
    assert "2 participants matched" in body
    assert "1 unknown email address" in body
    assert "3 rows with problems" in body
    assert not Attendance.objects.exists()

    found = re.search(r'name="token" value="([^"]+)"', body)
    assert found
    token = found.group(1)
    done = client.post(url, {"session": session.pk, "token": token})

    assert done.status_code == 200
    assert "stranger@elsewhere.net" in done.content.decode()
    assert Attendance.objects.count() == 2
    entry = AuditEntry.objects.get(action="events.attendance.import")
    assert entry.changes["unknown"] == 1


def test_the_command_line_run_imports_the_known(event, organiser):
    _register(event, "aigerim@example.org")
    importer = AttendanceImporter(actor=organiser, session=event.sessions.get())

    report = importer.run(ZOOM.encode(), fmt="csv")

    assert report.written == 1
    assert {e.value for e in report.errors if e.column == "email"} >= {"stranger@elsewhere.net"}
    assert AttendanceImporter(actor=organiser).run(b"email\n", fmt="csv").errors


def test_check_in_page_queries_do_not_grow_with_participants(client, event, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    url = reverse("events:after_check_in", args=[event.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    for number in range(2):
        _register(event, f"first{number}@example.org")
    few = queries()
    for number in range(8):
        _register(event, f"more{number}@example.org")
    assert queries() == few
