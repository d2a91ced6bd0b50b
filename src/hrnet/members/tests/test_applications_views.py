"""Pages of applications: the public form (errors keep what was typed), the applicant's
status page, the secretariat's queue and decisions, and the principles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from hrnet.core.models import AuditEntry
from hrnet.members.models import Application, Membership, Organisation, PrinciplesVersion, Vote
from hrnet.members.tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    PersonFactory,
    PrinciplesVersionFactory,
    country,
)
from hrnet.members.tests.test_applications_services import (
    individual_details,
    issue_areas,
    nothing_written,
    organisation_details,
)

pytestmark = pytest.mark.usefixtures("geography")

APPLY = "/en/members/apply/"
QUEUE = "/en/members/applications/"


@pytest.fixture
def principles(db: None) -> PrinciplesVersion:
    issue_areas()
    return PrinciplesVersionFactory.create(number=1)


def form_data(kind: str = "organisation", **overrides: Any) -> dict[str, Any]:
    details = organisation_details() if kind == "organisation" else individual_details()
    data = {**details, "kind": kind, "principles_version": "1", "accept_principles": "on"}
    data.update(overrides)
    for flag in ("is_public", "is_community_led", "accept_principles"):
        if data.get(flag) in (False, None):
            data.pop(flag, None)  # an unticked box is not sent
        elif data.get(flag) is True:
            data[flag] = "on"
    return data


def status_url(application: Application, language: str = "en") -> str:
    return f"/{language}/members/applications/status/{application.access_token}/"


# --- the application form -------------------------------------------------------------


def test_the_form_shows_the_principles_and_the_versioned_acceptance(client, principles):
    response = client.get(APPLY)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Principles v1" in content
    assert '<label for="id_accept_principles">I accept the principles (version 1)' in content
    assert '<label for="id_name_en">Name (English)' in content
    assert '<label for="id_name_ru">Name (Russian)' in content
    assert '<option value="MD">Moldova</option>' in content
    assert 'name="issue_areas" value="hiv"' in content
    assert 'href="?kind=individual"' in content


def test_the_individual_form_is_chosen_without_javascript(client, principles):
    response = client.get(APPLY + "?kind=individual")

    content = response.content.decode()
    assert '<label for="id_full_name">Full name' in content
    assert 'name="kind" value="individual"' in content
    assert "id_name_en" not in content


def test_htmx_switches_the_kind_with_the_form_alone(client, principles):
    response = client.get(APPLY + "?kind=individual", HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.startswith('<div id="application-form">')
    assert "<html" not in content
    assert "id_full_name" in content


def test_an_organisation_applies_in_russian(client, principles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/members/apply/", form_data())

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == status_url(application, "ru")
    assert application.language == "ru"
    organisation = Organisation.objects.get(applications=application)
    assert organisation.names["ru"] == "Снижение вреда Молдова"
    assert organisation.is_community_led
    assert application.principles_version == principles
    assert mail.outbox[0].to == ["olena@example.org"]
    page = client.get(response["Location"])
    assert "Снижение вреда Молдова" in page.content.decode()


def test_a_signed_in_individual_applies_and_sees_it_in_their_list(client, principles, member):
    client.force_login(member)
    page = client.get(APPLY + "?kind=individual").content.decode()
    assert f'value="{member.email}"' in page  # filled in from the account

    response = client.post(APPLY, form_data("individual"))

    application = Application.objects.get()
    assert response["Location"] == status_url(application)
    assert application.applicant_user == member
    listing = client.get("/en/members/applications/mine/").content.decode()
    assert status_url(application) in listing
    assert "Aigul Researcher" in listing


def test_bad_input_shows_a_message_per_field_keeps_what_was_typed_and_writes_nothing(
    client, principles
):
    data = form_data(name_en="", name_ru="", name_original="", contact_email="")
    data.pop("accept_principles")
    data["city"] = "Bălți <b>"

    response = client.post(APPLY, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the organisation" not in content  # the form's own checks come first
    assert "This field is required." in content  # contact email
    assert "Please read the principles and tick the box to accept them." in content
    assert 'value="Bălți &lt;b&gt;"' in content
    assert 'value="Olena Contact"' in content
    assert "We share the network&#x27;s values." in content
    assert '<option value="MD" selected>' in content
    assert re.search(r'value="hiv" id="id_issue_areas_\d" checked', content)
    assert nothing_written()
    assert mail.outbox == []


def test_the_services_checks_show_on_their_fields(client, principles):
    response = client.post(APPLY, form_data(name_en="", name_ru="", name_original=""))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the organisation&#x27;s name in at least one language." in content
    assert nothing_written()


def test_an_unknown_country_is_refused_by_name(client, principles):
    response = client.post(APPLY, form_data("individual", country="Atlantis"))

    content = response.content.decode()
    assert "Unknown country “Atlantis”" in content
    assert 'value="Aigul  Researcher"' in content
    assert nothing_written()


def test_no_application_while_no_principles_are_published(client, db):
    issue_areas()

    page = client.get(APPLY).content.decode()
    response = client.post(APPLY, form_data(principles_version=""))

    assert "has not published its principles yet" in page
    content = response.content.decode()
    assert "has not published its principles yet, so it cannot take applications" in content
    assert 'value="Harm Reduction Moldova"' in content
    assert nothing_written()


def test_principles_changed_while_filling_in_must_be_accepted_again(client, principles):
    PrinciplesVersionFactory.create(number=2)

    response = client.post(APPLY, form_data(principles_version="1"))

    content = response.content.decode()
    assert "The principles changed to version 2" in content
    assert 'name="principles_version" value="2"' in content
    assert not re.search(r'name="accept_principles"[^>]*checked', content)
    assert nothing_written()

    again = client.post(APPLY, form_data(principles_version="2"))
    assert again.status_code == 302
    assert Application.objects.get().principles_version.number == 2


# --- the applicant's status page ------------------------------------------------------


def test_the_status_page_needs_the_secret_link_only(client, principles):
    application = ApplicationFactory.create(
        status="rejected", decision_reason="Outside the region."
    )

    response = client.get(status_url(application))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Rejected" in content
    assert "Outside the region." in content
    assert '<meta name="robots" content="noindex">' in content
    assert client.get("/en/members/applications/status/wrong-token/").status_code == 404


def test_the_applicant_answers_a_request_for_information(client, principles):
    application = ApplicationFactory.create(
        status="info_requested", info_request="Your registration number?", motivation="Hi."
    )

    page = client.get(status_url(application)).content.decode()
    empty = client.post(status_url(application), {"answer": " "})
    response = client.post(status_url(application), {"answer": "12345"})

    assert "Your registration number?" in page
    assert '<label for="id_answer">Your answer' in page
    assert "This field is required." in empty.content.decode()
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.motivation.endswith("> Your registration number?\n12345")
    assert AuditEntry.objects.filter(action="members.application.answer", actor=None).count() == 1
    after = client.get(status_url(application)).content.decode()
    assert 'id="id_answer"' not in after
    assert client.post(status_url(application), {"answer": "again"}).status_code == 302
    application.refresh_from_db()
    assert "again" not in application.motivation


def test_an_applicant_who_opens_the_review_page_is_sent_to_their_own(client, principles, member):
    application = ApplicationFactory.create(applicant_user=member)
    client.force_login(member)

    response = client.get(f"/en/members/applications/{application.pk}/")

    assert response.status_code == 302
    assert response["Location"] == status_url(application)


# --- the review queue -----------------------------------------------------------------


def _application(iso2: str, kind: str = "organisation", **fields: Any) -> Application:
    if kind == "organisation":
        return ApplicationFactory.create(
            organisation=OrganisationFactory.create(country=country(iso2)), **fields
        )
    return ApplicationFactory.create(
        kind="individual",
        organisation=None,
        person=PersonFactory.create(country=country(iso2)),
        **fields,
    )


def _rows(content: str) -> list[str]:
    return re.findall(r'<a href="/en/members/applications/(\d+)/">', content)


def test_the_queue_lists_open_applications_oldest_first(client, secretariat, principles):
    first = _application("MD")
    second = _application("KZ", "individual")
    _application("GE", status="approved")
    client.force_login(secretariat)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert _rows(response.content.decode()) == [str(first.pk), str(second.pk)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=individual", ["kz"]),
        ("?country=MD", ["md"]),
        ("?country=kz&kind=organisation", []),
        ("?status=approved", ["ge"]),
        ("?status=", ["md", "kz", "ge"]),
        ("?status=info_requested", ["ua"]),
    ],
)
def test_the_queue_filters(client, secretariat, principles, query, expected):
    made = {
        "md": _application("MD"),
        "kz": _application("KZ", "individual"),
        "ge": _application("GE", status="approved"),
        "ua": _application("UA", status="info_requested"),
    }
    client.force_login(secretariat)

    rows = _rows(client.get(QUEUE + query).content.decode())

    wanted = [str(made[key].pk) for key in expected]
    if query == "?status=":
        wanted.append(str(made["ua"].pk))
    assert sorted(rows) == sorted(wanted)


def test_the_queue_makes_the_same_queries_for_few_and_many(
    client, secretariat, principles, django_assert_max_num_queries
):
    client.force_login(secretariat)
    for iso2 in ("MD", "KZ", "GE"):
        _application(iso2)
    client.get(QUEUE)  # warm caches (content types, session)

    with django_assert_max_num_queries(10) as few:
        client.get(QUEUE)
    for _n in range(20):
        _application("UA", "individual")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert len(_rows(response.content.decode())) == 23


def test_the_detail_shows_everything_submitted(client, secretariat, principles):
    application = ApplicationFactory.create(
        organisation=OrganisationFactory.create(
            names={"en": "Hope", "ru": "Надежда"},
            name_original="Speranța",
            website="https://hope.example.org",
            descriptions={"ru": "Аутрич"},
            is_public=True,
        ),
        motivation="Line one\nLine two",
        contact_name="Olena",
        contact_email="olena@example.org",
    )
    assert application.organisation is not None
    application.organisation.issue_areas.set(issue_areas()[:1])
    client.force_login(secretariat)

    content = client.get(f"/en/members/applications/{application.pk}/").content.decode()

    for text in ("Надежда", "Speranța", "https://hope.example.org", "Аутрич", "HIV", "Line two"):
        assert text in content
    assert "olena@example.org" in content
    assert "Principles, version 1" in content
    assert f'action="/en/members/applications/{application.pk}/decide/"' in content


def test_the_detail_shows_possible_duplicates_with_a_way_to_merge(client, secretariat, principles):
    existing = OrganisationFactory.create(
        names={"en": "Hope"}, name_key="hope", email="office@hope.example.org"
    )
    other = OrganisationFactory.create(names={"en": "Elsewhere"}, name_key="elsewhere")
    applicant = OrganisationFactory.create(
        names={"en": "HOPE!"}, name_key="hope", email="new@hope.example.org"
    )
    application = ApplicationFactory.create(organisation=applicant)
    client.force_login(secretariat)

    content = client.get(f"/en/members/applications/{application.pk}/").content.decode()

    assert "Possibly already in the register" in content
    assert f"?kind=organisation&amp;keep={existing.pk}&amp;merge={applicant.pk}" in content
    assert f"keep={other.pk}&amp;" not in content


def test_the_secretariat_approves_from_the_detail_page(client, secretariat, principles):
    application = ApplicationFactory.create()
    client.force_login(secretariat)

    response = client.post(
        f"/en/members/applications/{application.pk}/decide/", {"decision": "approve"}
    )

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    application.refresh_from_db()
    assert application.status == "approved"
    assert Membership.objects.filter(organisation=application.organisation).exists()


def test_a_rejection_without_reason_shows_the_error_in_its_form(client, secretariat, principles):
    application = ApplicationFactory.create()
    client.force_login(secretariat)

    response = client.post(
        f"/en/members/applications/{application.pk}/decide/", {"decision": "reject", "reason": ""}
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "Give the reason for the rejection; the applicant will see it." in content
    application.refresh_from_db()
    assert application.status == "submitted"


def test_deciding_a_closed_application_says_why(client, secretariat, principles):
    application = ApplicationFactory.create(status="approved")
    client.force_login(secretariat)

    response = client.post(
        f"/en/members/applications/{application.pk}/decide/",
        {"decision": "reject", "reason": "x"},
        follow=True,
    )

    assert "no longer open" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "approved"


def test_the_committee_votes_through_the_pages(client, make_user, settings, principles):
    settings.HRNET_COMMITTEE_VOTE = True
    settings.HRNET_COMMITTEE_QUORUM = 2
    first, second = make_user("secretariat"), make_user("secretariat")
    application = ApplicationFactory.create()
    base = f"/en/members/applications/{application.pk}/"
    client.force_login(first)

    page = client.get(base).content.decode()
    assert 'value="approve"' not in page.split("Decide")[-1]  # no direct approval
    client.post(base + "vote/start/")
    client.post(base + "vote/", {"choice": "reject", "comment": "Unsure"})
    client.post(base + "vote/", {"choice": "approve", "comment": "After the call"})
    page = client.get(base).content.decode()
    assert "Change your vote" in page
    assert "After the call" in page
    client.force_login(second)
    response = client.post(base + "vote/", {"choice": "approve"}, follow=True)

    assert "The committee approved the application." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "approved"
    assert Vote.objects.filter(application=application).count() == 2


def test_a_vote_without_a_choice_is_shown_again(client, secretariat, settings, principles):
    settings.HRNET_COMMITTEE_VOTE = True
    application = ApplicationFactory.create(status="in_vote")
    client.force_login(secretariat)

    response = client.post(f"/en/members/applications/{application.pk}/vote/", {"comment": "Hm"})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Vote.objects.exists()


# --- the principles -------------------------------------------------------------------


def test_the_public_reads_the_current_principles_and_past_versions(client, principles):
    PrinciplesVersionFactory.create(number=2)

    current = client.get("/ru/members/principles/").content.decode()
    old = client.get("/en/members/principles/1/")

    assert "Принципы, версия 2" in current
    assert old.status_code == 200
    assert "Principles v1" in old.content.decode()
    assert client.get("/en/members/principles/9/").status_code == 404


def test_the_secretariat_publishes_a_new_version_from_the_current_text(
    client, secretariat, principles
):
    client.force_login(secretariat)

    form = client.get("/en/members/principles/versions/new/").content.decode()
    response = client.post(
        "/en/members/principles/versions/new/",
        {"text_en": "Version two", "text_ru": "Версия два"},
    )

    assert "Principles v1</textarea>" in form
    assert response.status_code == 302
    assert response["Location"] == "/en/members/principles/versions/"
    assert PrinciplesVersion.objects.get(number=2).texts == {
        "en": "Version two",
        "ru": "Версия два",
    }
    listing = client.get(response["Location"]).content.decode()
    assert 'href="/en/members/principles/2/"' in listing


def test_publishing_without_the_english_text_keeps_the_russian(client, secretariat, principles):
    client.force_login(secretariat)

    response = client.post(
        "/en/members/principles/versions/new/", {"text_en": "", "text_ru": "Только русский"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in content
    assert "Только русский</textarea>" in content
    assert PrinciplesVersion.objects.count() == 1


def test_applicant_withdraws_an_open_application_from_the_status_page(client):
    application = ApplicationFactory.create(status="submitted")
    url = reverse("members:application_withdraw", args=[application.access_token])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert "Your application was withdrawn." in first.content.decode()
    assert "no longer open" in second.content.decode()
    assert AuditEntry.objects.filter(action="members.application.withdraw").count() == 1
