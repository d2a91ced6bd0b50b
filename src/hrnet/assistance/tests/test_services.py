"""The workflow, its refusals, suggestions, reminders with a frozen now, reports."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hrnet.assistance import selectors, services
from hrnet.assistance.models import AssistanceRequest, Expert, Kind
from hrnet.assistance.tests.factories import AssistanceRequestFactory, ExpertFactory, issue_area
from hrnet.geo.models import Country

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(people, **overrides):
    values = {
        "actor": people["requester"],
        "organisation": people["organisation"],
        "title": "Shadow report",
        "issue_area": issue_area(),
        "kind": Kind.ADVOCACY,
        "country": Country.objects.get(iso2="MD"),
        "description": "Help us write it.",
    }
    values.update(overrides)
    return services.request_create(**values)


def test_a_request_without_topic_or_country_is_refused(people):
    with pytest.raises(ValidationError) as caught:
        _file(people, issue_area=None, country=None)
    errors = caught.value.message_dict
    assert "topic" in errors["issue_area"][0]
    assert "country" in errors["country"][0]
    assert not AssistanceRequest.objects.exists()


def test_a_request_for_someone_elses_organisation_is_refused(people):
    with pytest.raises(ValidationError) as caught:
        _file(people, actor=people["member"])
    assert "organisation" in caught.value.message_dict


def test_attachments_are_judged_by_their_bytes(people):
    with pytest.raises(ValidationError) as caught:
        _file(people, files=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00program")])
    assert "Windows program" in caught.value.message_dict["attachments"][0]
    created = _file(people, files=[SimpleUploadedFile("brief.pdf", PDF)])
    assert created.attachments.get().original_name == "brief.pdf"


def test_the_whole_workflow_with_emails(people, secretariat):
    request = _file(people)
    services.request_triage(request=request, actor=secretariat)
    services.request_assign(request=request, actor=secretariat, experts=[people["expert_obj"]])
    assert "назначен" in mail.outbox[-1].subject.lower() or mail.outbox[-1].to == [
        people["requester"].email
    ]
    assert mail.outbox[-1].extra_headers["Content-Language"] == "ru"
    services.worklog_add(
        request=request, actor=people["expert"], date=timezone.localdate(), days="2"
    )
    assert request.status == AssistanceRequest.Status.IN_PROGRESS
    with pytest.raises(ValidationError, match="at least one deliverable"):
        services.request_deliver(request=request, actor=people["expert"])
    services.deliverable_add(
        request=request,
        actor=people["expert"],
        title="Draft",
        upload=SimpleUploadedFile("d.pdf", PDF),
    )
    services.request_deliver(request=request, actor=people["expert"])
    assert request.status == AssistanceRequest.Status.DELIVERED
    services.request_rate(request=request, actor=people["requester"], rating=5, comment="Great")
    with pytest.raises(ValidationError, match="rated already"):
        services.request_rate(request=request, actor=people["requester"], rating=4)
    services.request_close(request=request, actor=secretariat)
    statuses = list(request.status_changes.values_list("to_status", flat=True))
    assert statuses == ["submitted", "triaged", "assigned", "in_progress", "delivered", "closed"]
    assert len(mail.outbox) == 2  # assigned, delivered


def test_an_expert_not_assigned_cannot_log_work(people, assigned):
    other = Expert.objects.get(user=people["other_expert"])
    with pytest.raises(ValidationError, match="Only an expert assigned"):
        services.worklog_add(
            request=assigned, actor=other.user, date=timezone.localdate(), days=Decimal(1)
        )


@pytest.mark.parametrize("days", ["0", "-1", "31.5", "abc"])
def test_days_out_of_range_are_refused(people, assigned, days):
    with pytest.raises(ValidationError):
        services.worklog_add(
            request=assigned, actor=people["expert"], date=timezone.localdate(), days=days
        )


def test_decline_needs_a_reason_and_tells_the_requester(people, assigned, secretariat):
    with pytest.raises(ValidationError) as caught:
        services.request_decline(request=assigned, actor=secretariat, reason="  ")
    assert "reason" in caught.value.message_dict
    services.request_decline(request=assigned, actor=secretariat, reason="Out of scope")
    assert "Out of scope" in mail.outbox[-1].body


def test_invalid_transitions_are_refused(people, assigned, secretariat):
    with pytest.raises(ValidationError, match="cannot become"):
        services.request_close(request=assigned, actor=secretariat)
    with pytest.raises(ValidationError, match="cannot become"):
        services.request_triage(request=assigned, actor=secretariat)


def test_decline_view_without_reason_shows_the_message(client, people, assigned, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("assistance:request_decline", args=[assigned.pk]), {"reason": ""}, follow=True
    )
    assert "Say why" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == "assigned"


def test_suggestions_rank_by_topic_kind_language_country(people, secretariat):
    hiv = issue_area("hiv")
    moldova = Country.objects.get(iso2="MD")
    request = AssistanceRequestFactory.create(
        organisation=people["organisation"], filed_by=people["requester"], issue_area=hiv,
        kind=Kind.LEGAL, country=moldova, language="ru",
    )  # fmt: skip
    best = ExpertFactory.create(
        issue_areas=[hiv], kinds=[Kind.LEGAL], languages=["ru"], countries=[moldova]
    )
    topic_only = ExpertFactory.create(issue_areas=[hiv], kinds=[], languages=["en"])
    ExpertFactory.create(issue_areas=[hiv], kinds=[Kind.LEGAL], availability="unavailable")
    limited = ExpertFactory.create(
        issue_areas=[hiv],
        kinds=[Kind.LEGAL],
        languages=["ru"],
        countries=[moldova],
        availability="limited",
    )
    ranked = selectors.expert_suggestions(user=secretariat, request=request)
    names = [s.expert for s in ranked]
    assert names[:3] == [best, limited, topic_only]
    assert all(s.expert.availability != "unavailable" for s in ranked)
    assert any("speaks: ru" in reason for reason in ranked[0].reasons)
    assert selectors.expert_suggestions(user=people["requester"], request=request) == []


def test_due_reminders_once_before_and_once_overdue(people, assigned):
    assigned.due_date = datetime.date(2030, 5, 10)
    assigned.save()
    early = datetime.datetime(2030, 5, 1, 9, tzinfo=datetime.UTC)
    assert services.due_reminders_send(now=early).due == 0
    soon = datetime.datetime(2030, 5, 8, 9, tzinfo=datetime.UTC)
    assert services.due_reminders_send(now=soon).due == 1
    assert services.due_reminders_send(now=soon).due == 0
    assert mail.outbox[-1].to == [people["expert"].email]
    late = datetime.datetime(2030, 5, 11, 9, tzinfo=datetime.UTC)
    assert services.due_reminders_send(now=late).overdue == 1
    assert services.due_reminders_send(now=late).overdue == 0
    assert len(mail.outbox) == 2


def test_report_numbers_and_exports_parse(client, people, assigned, secretariat):
    services.worklog_add(
        request=assigned, actor=people["expert"], date=timezone.localdate(), days="2.5"
    )
    services.deliverable_add(
        request=assigned,
        actor=people["expert"],
        title="Report",
        upload=SimpleUploadedFile("r.pdf", PDF),
    )
    services.request_deliver(request=assigned, actor=people["expert"])
    services.request_rate(request=assigned, actor=people["requester"], rating=4)
    AssistanceRequestFactory.create(
        organisation=people["organisation"], country=Country.objects.get(iso2="UA")
    )
    report = selectors.assistance_report(user=secretariat)
    assert (report.total, report.delivered, report.days, report.mean_rating) == (
        2,
        1,
        Decimal("2.5"),
        4,
    )
    assert report.median_days_to_delivery is not None
    rows = {row.label: row for row in report.tables["country"]}
    assert rows["Moldova"].delivered == 1
    assert rows["Moldova"].days == Decimal("2.5")
    assert selectors.assistance_report(user=people["requester"]).total == 0

    client.force_login(secretariat)
    response = client.get(reverse("assistance:reports"), {"format": "csv", "table": "country"})
    body = b"".join(response.streaming_content)
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert parsed[0][0] == "Country"
    assert next(row for row in parsed if row[0] == "Moldova")[:4] == ["Moldova", "1", "1", "2.5"]
    xlsx = client.get(reverse("assistance:reports"), {"format": "xlsx"}).content
    assert set(load_workbook(io.BytesIO(xlsx)).sheetnames) >= {
        "country",
        "subregion",
        "kind",
        "issue_area",
        "expert",
        "summary",
    }
    listing = client.get(reverse("assistance:request_export"), {"format": "csv"}).content
    lines = list(csv.DictReader(io.StringIO(listing.decode("utf-8-sig"))))
    assert {line["status"] for line in lines} == {"delivered", "submitted"}
    assert next(line for line in lines if line["status"] == "delivered")["days"] == "2.5"
    xlsx_list = client.get(reverse("assistance:request_export"), {"format": "xlsx"}).content
    assert load_workbook(io.BytesIO(xlsx_list))["requests"].max_row == 3
    assert "Moldova" in client.get(reverse("assistance:reports")).content.decode()


def test_tick_command_runs(people, assigned):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("assistance_tick", stdout=out)
    assert "Due reminders sent" in out.getvalue()
