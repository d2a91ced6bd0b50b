"""The case pages: who sees what (the permission matrix, break-glass before and after),
refusals that keep what was typed, files refused by type, escaped narratives, and that no
answer may be cached."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.rights.models import Case, CaseFile, CaseResponse
from hrnet.rights.tests.factories import (
    CaseFactory,
    ViolationTypeFactory,
    admin_of,
    documenter_of,
    shared_with,
    use_test_keys,
)

pytestmark = pytest.mark.django_db

NARRATIVE = "Detained at the bus station and made to pay to be released."


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    use_test_keys(settings)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def world(geography: None, make_user: Any) -> dict[str, Any]:
    home = OrganisationFactory.create()
    elsewhere = OrganisationFactory.create()
    violation = ViolationTypeFactory.create(code="police-extortion")
    case = CaseFactory.create(organisation=home, narrative=NARRATIVE, violation_types=[violation])
    reviewer = make_user(Role.SECRETARIAT, email="reviewer@example.org")
    shared_with(case, reviewer)
    return {
        "case": case,
        "home": home,
        "violation": violation,
        "documenter": documenter_of(home),
        "other_documenter": documenter_of(elsewhere),
        "reviewer": reviewer,
        "other_secretariat": make_user(Role.SECRETARIAT),
        "member": make_user(Role.MEMBER),
        "admin": make_user(is_superuser=True, is_staff=True),
        "org_admin": admin_of(home, email="orgadmin@example.org"),
    }


def as_user(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def detail_url(case: Case) -> str:
    return reverse("rights:case_detail", args=[case.reference])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("documenter", 200),
        ("other_documenter", 404),
        ("reviewer", 200),
        ("other_secretariat", 404),
        ("member", 404),
        ("admin", 404),
    ],
)
def test_who_reads_a_case(world: dict[str, Any], who: str, expected: int) -> None:
    response = as_user(world[who]).get(detail_url(world["case"]))

    assert response.status_code == expected
    assert "no-store" in response["Cache-Control"]
    if expected == 200:
        assert NARRATIVE in response.content.decode()
    else:
        assert NARRATIVE not in response.content.decode()
        assert "Bălți" not in response.content.decode()


def test_an_unknown_reference_answers_as_a_forbidden_one(world: dict[str, Any]) -> None:
    client = as_user(world["other_documenter"])

    forbidden = client.get(detail_url(world["case"]))
    unknown = client.get(reverse("rights:case_detail", args=["X-999999"]))

    assert forbidden.status_code == unknown.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world: dict[str, Any]) -> None:
    client = as_user(None)

    for url in (
        reverse("rights:case_list"),
        reverse("rights:case_new"),
        detail_url(world["case"]),
        reverse("rights:case_break_glass", args=[world["case"].reference]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "status", "sees_case"),
    [
        ("documenter", 200, True),
        ("other_documenter", 200, False),
        ("reviewer", 200, True),
        ("other_secretariat", 200, False),
        ("member", 403, False),
        ("admin", 200, False),
    ],
)
def test_the_list_shows_only_readable_cases_without_narrative(
    world: dict[str, Any], who: str, status: int, sees_case: bool
) -> None:
    response = as_user(world[who]).get(reverse("rights:case_list"))

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert (world["case"].reference in content) is sees_case
    assert NARRATIVE not in content
    if sees_case:
        assert "Violation police-extortion" in content


def test_the_list_filters_by_status_and_country(world: dict[str, Any]) -> None:
    closed = CaseFactory.create(organisation=world["home"], status=Case.Status.CLOSED)
    georgian = CaseFactory.create(organisation=world["home"], country=country("GE"))
    client = as_user(world["documenter"])

    by_status = client.get(reverse("rights:case_list"), {"status": "closed"}).content.decode()
    by_country = client.get(
        reverse("rights:case_list"), {"country": georgian.country_id}
    ).content.decode()

    assert closed.reference in by_status
    assert world["case"].reference not in by_status
    assert georgian.reference in by_country
    assert world["case"].reference not in by_country


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("documenter", 200),
        ("other_documenter", 200),
        ("reviewer", 403),
        ("other_secretariat", 403),
        ("member", 403),
        ("admin", 403),
    ],
)
def test_only_documenters_record_cases(world: dict[str, Any], who: str, expected: int) -> None:
    assert as_user(world[who]).get(reverse("rights:case_new")).status_code == expected


def test_reading_a_case_is_audited_without_its_text(world: dict[str, Any]) -> None:
    case = world["case"]
    before = AuditEntry.objects.filter(object_id=str(case.pk)).count()

    as_user(world["reviewer"]).get(detail_url(case))

    entries = AuditEntry.objects.filter(object_id=str(case.pk))
    assert entries.count() == before + 1
    assert NARRATIVE not in str(list(entries.values("changes", "object_repr")))


def test_break_glass_opens_the_case_for_the_admin_with_a_reason(world: dict[str, Any]) -> None:
    # given: an administrator who does not see the case
    case = world["case"]
    client = as_user(world["admin"])
    assert client.get(detail_url(case)).status_code == 404
    url = reverse("rights:case_break_glass", args=[case.reference])
    assert client.get(url).status_code == 200

    # when: they state a reason
    response = client.post(url, {"reason": "A court asked for the case within the hour."})

    # then: the case opens, the organisation is told, the access is audited
    assert response.status_code == 302
    assert response["Location"] == detail_url(case)
    page = client.get(detail_url(case))
    assert page.status_code == 200
    assert NARRATIVE in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert any("orgadmin@example.org" in message.to for message in mail.outbox)
    assert AuditEntry.objects.filter(
        actor=world["admin"], object_id=str(case.pk), action__contains="break"
    ).exists()
    # and: the list shows it to them now, but they still cannot change it
    assert case.reference in client.get(reverse("rights:case_list")).content.decode()
    assert client.get(reverse("rights:case_edit", args=[case.reference])).status_code == 403


def test_break_glass_needs_a_reason(world: dict[str, Any]) -> None:
    client = as_user(world["admin"])
    url = reverse("rights:case_break_glass", args=[world["case"].reference])

    response = client.post(url, {"reason": ""})

    assert response.status_code == 400
    assert client.get(detail_url(world["case"])).status_code == 404


@pytest.mark.parametrize("who", ["documenter", "reviewer", "other_secretariat", "member"])
def test_only_administrators_find_the_break_glass_form(world: dict[str, Any], who: str) -> None:
    url = reverse("rights:case_break_glass", args=[world["case"].reference])
    client = as_user(world[who])

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "I would like to read it please."}).status_code == 404


def case_data(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "organisation": world["home"].pk,
        "date_from": "2024-05-02",
        "country": country("MD").pk,
        "locality": "Chișinău",
        "age_group": "25-34",
        "gender": "woman",
        "key_populations": ["pwid"],
        "violation_types": [world["violation"].pk],
        "perpetrator_types": ["police"],
        "narrative": "Stopped by two officers who took her methadone dose.",
        "person_description": "A woman on opioid agonist therapy.",
        "consent_to_record": "on",
        "consent_to_share": "on",
        "consent_date": "2024-05-03",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_documenter_records_a_case(world: dict[str, Any]) -> None:
    client = as_user(world["documenter"])

    response = client.post(reverse("rights:case_new"), case_data(world))

    assert response.status_code == 302
    case = Case.objects.exclude(pk=world["case"].pk).get()
    assert response["Location"] == detail_url(case)
    assert case.organisation == world["home"]
    assert case.narrative == "Stopped by two officers who took her methadone dose."
    assert list(case.violation_types.all()) == [world["violation"]]
    assert case.consent_date == date(2024, 5, 3)
    assert "no-store" in response["Cache-Control"]


def test_a_case_without_consent_is_refused_and_keeps_what_was_typed(
    world: dict[str, Any],
) -> None:
    client = as_user(world["documenter"])

    response = client.post(reverse("rights:case_new"), case_data(world, consent_to_record=None))

    assert response.status_code == 400
    content = response.content.decode()
    assert "consent" in content
    assert "Stopped by two officers who took her methadone dose." in content
    assert "A woman on opioid agonist therapy." in content
    assert "Chișinău" in content
    assert not Case.objects.exclude(pk=world["case"].pk).exists()


def test_a_forbidden_file_type_is_refused_with_a_message(world: dict[str, Any]) -> None:
    client = as_user(world["documenter"])
    program = SimpleUploadedFile(
        "photo.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png"
    )

    response = client.post(reverse("rights:case_new"), {**case_data(world), "evidence": program})

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_evidence_error"' in content or "errorlist" in content
    assert "Stopped by two officers who took her methadone dose." in content
    assert not Case.objects.exclude(pk=world["case"].pk).exists()
    assert not CaseFile.objects.exists()

    # and: on the case page too
    response = client.post(
        reverse("rights:case_file_add", args=[world["case"].reference]),
        {"evidence": SimpleUploadedFile("notes.html", b"<html><script>x</script></html>")},
    )
    assert response.status_code == 400
    assert "The file was not added." in response.content.decode()
    assert not CaseFile.objects.exists()


def test_an_evidence_file_is_listed_by_name_and_downloaded_as_an_attachment(
    world: dict[str, Any],
) -> None:
    case = world["case"]
    client = as_user(world["documenter"])
    client.post(
        reverse("rights:case_file_add", args=[case.reference]),
        {"evidence": SimpleUploadedFile("bruises.png", png_bytes(), content_type="image/png")},
    )
    case_file = CaseFile.objects.get(case=case)

    page = client.get(detail_url(case)).content.decode()
    download = client.get(reverse("rights:case_file", args=[case.reference, case_file.pk]))

    assert "bruises.png" in page
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert download.content == png_bytes()
    # Nobody else gets it
    for who in ("other_documenter", "other_secretariat", "member", "admin"):
        denied = as_user(world[who]).get(
            reverse("rights:case_file", args=[case.reference, case_file.pk])
        )
        assert denied.status_code == 404, who


def test_a_script_in_the_narrative_is_shown_escaped(world: dict[str, Any]) -> None:
    client = as_user(world["documenter"])
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(
        reverse("rights:case_new"), case_data(world, narrative=script, person_description=script)
    )
    case = Case.objects.exclude(pk=world["case"].pk).get()

    content = client.get(detail_url(case)).content.decode()

    assert script not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert "<img src=x" not in content


def test_a_response_is_added_by_htmx_and_shown_in_the_fragment(world: dict[str, Any]) -> None:
    case = world["case"]
    client = as_user(world["documenter"])

    response = client.post(
        reverse("rights:case_response_add", args=[case.reference]),
        {"action": "legal_aid", "responder": "Paralegal", "date": "2024-05-04", "outcome": "Freed"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="responses"' in content
    assert "Legal aid" in content
    assert "<html" not in content
    assert CaseResponse.objects.get(case=case).outcome == "Freed"


@pytest.mark.parametrize("who", ["reviewer", "admin", "other_documenter"])
def test_readers_who_do_not_handle_the_case_cannot_change_it(
    world: dict[str, Any], who: str
) -> None:
    case = world["case"]
    client = as_user(world[who])
    if who == "admin":
        client.post(
            reverse("rights:case_break_glass", args=[case.reference]),
            {"reason": "A court asked for the case within the hour."},
        )

    responses = [
        client.post(
            reverse("rights:case_response_add", args=[case.reference]),
            {"action": "legal_aid", "date": "2024-05-04"},
        ),
        client.post(reverse("rights:case_close", args=[case.reference]), {"reason": "Done"}),
        client.post(
            reverse("rights:case_share", args=[case.reference]),
            {"reviewer": world["other_secretariat"].pk},
        ),
    ]

    expected = 404 if who == "other_documenter" else 403
    assert [response.status_code for response in responses] == [expected] * 3
    assert not CaseResponse.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert not case.shares.filter(reviewer=world["other_secretariat"]).exists()


def test_a_documenter_shares_with_a_named_reviewer_who_then_reads_it(
    world: dict[str, Any],
) -> None:
    case = world["case"]
    newcomer = world["other_secretariat"]
    assert as_user(newcomer).get(detail_url(case)).status_code == 404

    response = as_user(world["documenter"]).post(
        reverse("rights:case_share", args=[case.reference]), {"reviewer": newcomer.pk}
    )

    assert response.status_code == 302
    assert as_user(newcomer).get(detail_url(case)).status_code == 200


def test_a_member_cannot_be_named_a_reviewer(world: dict[str, Any]) -> None:
    case = world["case"]

    response = as_user(world["documenter"]).post(
        reverse("rights:case_share", args=[case.reference]), {"reviewer": world["member"].pk}
    )

    assert response.status_code == 400
    assert not case.shares.filter(reviewer=world["member"]).exists()


def test_a_documenter_closes_a_case_with_a_reason(world: dict[str, Any]) -> None:
    case = world["case"]
    client = as_user(world["documenter"])

    refused = client.post(reverse("rights:case_close", args=[case.reference]), {"reason": ""})
    closed = client.post(
        reverse("rights:case_close", args=[case.reference]),
        {"reason": "The person no longer wants support."},
    )

    assert refused.status_code == 400
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closure_reason == "The person no longer wants support."


def test_a_documenter_edits_a_case(world: dict[str, Any]) -> None:
    case = world["case"]
    client = as_user(world["documenter"])
    url = reverse("rights:case_edit", args=[case.reference])
    assert NARRATIVE in client.get(url).content.decode()

    response = client.post(url, case_data(world, narrative="Released after two days."))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.narrative == "Released after two days."
    assert as_user(world["other_documenter"]).get(url).status_code == 404


def test_a_documenter_of_one_organisation_sees_no_label_for_its_hidden_field(
    world: dict[str, Any],
) -> None:
    html = as_user(world["documenter"]).get(reverse("rights:case_new")).content.decode()

    assert 'type="hidden" name="organisation"' in html
    assert 'for="id_organisation"' not in html
    assert "Organisation:" not in html


def _recorded(days_ago: int, **fields: Any) -> Case:
    from datetime import timedelta

    from django.utils import timezone

    case = CaseFactory.create(**fields)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return case


def test_a_status_queue_lists_the_longest_waiting_first_and_is_paged(
    world: dict[str, Any], monkeypatch: Any
) -> None:
    from hrnet.rights.views import cases as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    home = world["home"]
    # The newest incident was recorded first: the queue goes by how long a case waits.
    first = _recorded(30, organisation=home, status="unreviewed", date_from=date(2025, 5, 1))
    second = _recorded(20, organisation=home, status="unreviewed", date_from=date(2023, 1, 1))
    third = _recorded(10, organisation=home, status="unreviewed", date_from=date(2024, 1, 1))
    hidden = _recorded(40, status="unreviewed")  # another organisation's: need to know
    client = as_user(world["documenter"])
    url = reverse("rights:case_list")

    page_one = client.get(url, {"status": "unreviewed"})
    page_two = client.get(url, {"status": "unreviewed", "page": "2"})

    assert [case.reference for case in page_one.context["cases"]] == [
        first.reference,
        second.reference,
    ]
    assert [case.reference for case in page_two.context["cases"]] == [third.reference]
    assert "status=unreviewed&amp;page=2" in page_one.content.decode()
    assert hidden.reference not in page_one.content.decode() + page_two.content.decode()
    assert "no-store" in page_one["Cache-Control"]
    # Each page's reads are audited, as before.
    assert AuditEntry.objects.filter(action="rights.case.list").count() == 2


def test_the_whole_list_shows_the_newest_incidents_first_unless_asked(
    world: dict[str, Any],
) -> None:
    home = world["home"]
    older = _recorded(1, organisation=home, date_from=date(2020, 1, 1))
    newer = _recorded(30, organisation=home, date_from=date(2025, 1, 1))
    client = as_user(world["documenter"])
    url = reverse("rights:case_list")

    everything = [case.reference for case in client.get(url).context["cases"]]
    waiting = [case.reference for case in client.get(url, {"sort": "oldest"}).context["cases"]]
    open_newest = client.get(url, {"status": "open", "sort": "newest"})

    assert everything == [newer.reference, world["case"].reference, older.reference]
    assert waiting == [newer.reference, older.reference, world["case"].reference]
    references = [case.reference for case in open_newest.context["cases"]]
    assert references.index(newer.reference) < references.index(older.reference)
    assert 'value="newest" selected' in open_newest.content.decode()
