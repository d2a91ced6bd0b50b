"""Applications: publishing the principles, submitting (and refusing bad input), the
secretariat's decisions, answers to requests for information; emails and audit entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from hrnet.core.models import AuditEntry, IssueArea
from hrnet.core.selectors import network_get
from hrnet.members.models import Application, Membership, Organisation, Person, PrinciplesVersion
from hrnet.members.services import applications as services
from hrnet.members.tests.factories import (
    ApplicationFactory,
    PersonFactory,
    PrinciplesVersionFactory,
)

pytestmark = pytest.mark.usefixtures("geography")


# --- helpers shared by the applications tests (imported by the other test files) --------


def issue_areas() -> list[IssueArea]:
    return [
        IssueArea.objects.get_or_create(code=code, defaults={"names": names})[0]
        for code, names in (
            ("hiv", {"en": "HIV", "ru": "ВИЧ"}),
            ("drug-policy", {"en": "Drug policy", "ru": "Наркополитика"}),
        )
    ]


def organisation_details(**overrides: Any) -> dict[str, Any]:
    return {
        "name_en": "Harm Reduction Moldova",
        "name_ru": "Снижение вреда Молдова",
        "name_original": "Reducerea Riscurilor Moldova",
        "organisation_kind": "community_led",
        "is_community_led": True,
        "country": "MD",
        "city": "Chișinău",
        "website": "https://hr.example.org",
        "email": "office@hr.example.org",
        "issue_areas": ["hiv"],
        "description": "Outreach and naloxone in Chișinău.",
        "is_public": True,
        "contact_name": "Olena Contact",
        "contact_email": "Olena@Example.org",
        "motivation": "We share the network's values.",
        **overrides,
    }


def individual_details(**overrides: Any) -> dict[str, Any]:
    return {
        "full_name": "Aigul  Researcher",
        "email": "aigul@example.org",
        "country": "Kazakhstan",
        "city": "Almaty",
        "expertise": "Research on OST",
        "languages": "Russian, kk, English",
        "issue_areas": ["hiv", "drug-policy"],
        "is_public": False,
        "motivation": "To work with peers.",
        **overrides,
    }


def submit(
    kind: str = "organisation",
    *,
    details: dict[str, Any] | None = None,
    accepted: bool = True,
    number: int | None = 1,
    language: str = "ru",
    applicant_user: Any = None,
) -> Application:
    if details is None:
        details = organisation_details() if kind == "organisation" else individual_details()
    return services.application_submit(
        kind=kind,
        details=details,
        principles_number=number,
        principles_accepted=accepted,
        language=language,
        applicant_user=applicant_user,
    )


def actions() -> set[str]:
    """The audited actions, leaving out loading the geography."""
    return set(
        AuditEntry.objects.exclude(action__startswith="geo.").values_list("action", flat=True)
    )


def nothing_written() -> bool:
    return not (
        Application.objects.exists()
        or Organisation.all_objects.exists()
        or Person.all_objects.exists()
        or AuditEntry.objects.filter(action__startswith="application.").exists()
    )


@pytest.fixture
def principles(db: None) -> PrinciplesVersion:
    issue_areas()
    return PrinciplesVersionFactory.create(number=1)


# --- the principles -------------------------------------------------------------------


def test_publishing_numbers_the_next_version_and_audits_it(secretariat, principles):
    version = services.principles_version_publish(
        texts={"en": " Be kind. ", "ru": "Будьте добры."}, actor=secretariat
    )

    assert version.number == 2
    assert version.texts == {"en": "Be kind.", "ru": "Будьте добры."}
    assert version.published_at is not None
    assert version.created_by == secretariat
    entry = AuditEntry.objects.get(action="members.principles.publish")
    assert entry.actor == secretariat
    assert entry.changes == {"number": 2, "languages": ["en", "ru"]}


def test_the_first_version_is_number_one(secretariat, db):
    assert services.principles_version_publish(texts={"en": "Text"}, actor=secretariat).number == 1


def test_publishing_needs_the_default_language_and_a_change(secretariat, principles):
    with pytest.raises(ValidationError) as missing:
        services.principles_version_publish(texts={"en": "  ", "ru": "Текст"}, actor=secretariat)
    assert "text_en" in missing.value.message_dict

    with pytest.raises(ValidationError, match="same as version 1"):
        services.principles_version_publish(texts=principles.texts, actor=secretariat)

    with pytest.raises(ValidationError, match="“xx” is not a language"):
        services.principles_version_publish(texts={"en": "A", "xx": "B"}, actor=secretariat)
    assert PrinciplesVersion.objects.count() == 1


# --- submitting -----------------------------------------------------------------------


def test_an_organisation_applies_and_gets_a_confirmation_in_its_language(
    principles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(language="ru")

    organisation = Organisation.objects.get(applications=application)
    assert application.kind == "organisation"
    assert application.status == "submitted"
    assert application.language == "ru"
    assert application.principles_version == principles
    assert application.principles_accepted_at is not None
    assert len(application.access_token) >= 40
    assert application.contact_email == "olena@example.org"
    assert application.applicant_user is None
    assert organisation.names == {"en": "Harm Reduction Moldova", "ru": "Снижение вреда Молдова"}
    assert organisation.kind == "community_led"
    assert organisation.country.iso2 == "MD"
    assert organisation.descriptions == {"ru": "Outreach and naloxone in Chișinău."}
    assert [a.code for a in organisation.issue_areas.all()] == ["hiv"]
    assert organisation.is_public is True  # its choice, listed once it is a member
    assert not Membership.objects.exists()
    assert actions() == {
        "members.organisation.create",
        "members.application.submit",
    }
    [message] = mail.outbox
    assert message.to == ["olena@example.org"]
    assert message.extra_headers["Content-Language"] == "ru"
    assert f"/ru/members/applications/status/{application.access_token}/" in message.body
    with translation.override("ru"):
        assert gettext("Keep this link private: anyone who has it can see your application.") in (
            message.body
        )


def test_an_individual_applies_signed_in_and_is_linked_to_their_account(
    principles, make_user, django_capture_on_commit_callbacks
):
    member = make_user(email="Aigul@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        application = submit("individual", language="en", applicant_user=member)

    person = Person.objects.get(applications=application)
    assert application.applicant_user == member
    assert application.contact_name == "Aigul Researcher"
    assert person.full_name == "Aigul Researcher"
    assert person.user == member
    assert person.country.iso2 == "KZ"  # typed as a name
    assert person.languages == ["ru", "kk", "en"]
    assert person.is_public is False
    assert mail.outbox[0].to == ["aigul@example.org"]
    assert "/en/members/applications/status/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="members.application.submit")
    assert entry.actor == member
    assert entry.changes["principles_version"] == 1


def test_someone_signed_in_applying_for_another_person_is_not_linked_to_them(
    principles, secretariat
):
    application = submit("individual", applicant_user=secretariat)

    assert application.applicant_user == secretariat
    assert Person.objects.get(applications=application).user is None


@pytest.mark.parametrize(
    ("kind", "details", "field", "message"),
    [
        (
            "organisation",
            organisation_details(name_en="", name_ru="", name_original=""),
            "name_ru",
            "Give the organisation's name in at least one language.",
        ),
        (
            "organisation",
            organisation_details(country="Atlantis"),
            "country",
            "Unknown country “Atlantis”",
        ),
        ("organisation", organisation_details(country=""), "country", "Choose your country."),
        ("organisation", organisation_details(contact_email=""), "contact_email", "blank"),
        (
            "organisation",
            organisation_details(organisation_kind="club"),
            "organisation_kind",
            "Choose the type of organisation.",
        ),
        (
            "organisation",
            organisation_details(issue_areas=["hiv", "astrology"]),
            "issue_areas",
            "Unknown issue area “astrology”",
        ),
        ("organisation", organisation_details(website="not a site"), "website", "valid URL"),
        ("individual", individual_details(full_name=" "), "full_name", "blank"),
        ("individual", individual_details(email="nope"), "email", "valid email"),
        (
            "individual",
            individual_details(languages="Russian, Klingon"),
            "languages",
            "Unknown language “Klingon”",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field_and_nothing_written(
    principles, kind, details, field, message
):
    with pytest.raises(ValidationError) as refused:
        submit(kind, details=details)

    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert nothing_written()
    assert mail.outbox == []


def test_every_problem_is_reported_at_once(principles):
    with pytest.raises(ValidationError) as refused:
        submit(details=organisation_details(country="Atlantis", contact_name=""), accepted=False)

    assert set(refused.value.message_dict) == {"country", "contact_name", "accept_principles"}


def test_the_principles_must_be_accepted(principles):
    with pytest.raises(ValidationError) as refused:
        submit(accepted=False)

    assert refused.value.message_dict["accept_principles"] == [
        "Please read the principles and tick the box to accept them."
    ]
    assert nothing_written()


def test_no_application_before_the_principles_are_published(db):
    issue_areas()
    PrinciplesVersionFactory.create(published_at=None)

    with pytest.raises(ValidationError) as refused:
        submit(number=None)

    assert "has not published its principles" in refused.value.message_dict["accept_principles"][0]
    assert nothing_written()


def test_a_version_change_while_filling_in_asks_to_accept_again(principles):
    PrinciplesVersionFactory.create(number=2)

    with pytest.raises(ValidationError) as refused:
        submit(number=1)

    assert "changed to version 2" in refused.value.message_dict["accept_principles"][0]
    assert nothing_written()
    assert submit(number=2).principles_version_id == PrinciplesVersion.objects.get(number=2).pk


def test_an_unknown_kind_is_refused(principles):
    with pytest.raises(ValidationError) as refused:
        submit("club")

    assert "kind" in refused.value.message_dict
    assert nothing_written()


def test_languages_are_resolved_from_names_and_codes():
    assert services.languages_resolve("Русский; english, KA, ru") == ["ru", "en", "ka"]
    assert services.languages_resolve(["uk", "Қазақ", "казахский", "Грузинский"]) == [
        "uk",
        "kk",
        "ka",
    ]
    assert services.languages_resolve("") == []


# --- decisions ------------------------------------------------------------------------


def _decide(application: Application, decision: str, actor: Any, reason: str = "") -> Application:
    return services.application_decide(
        application=application, decision=decision, reason=reason, actor=actor
    )


def subject_in(language: str, step: str) -> str:
    """The subject of the email of `step` as the applicant reads it."""
    with translation.override(language):
        subject = render_to_string(
            f"members/email/application_{step}_subject.txt", {"network": network_get()}
        )
    return " ".join(subject.split())


def _mail_to(address: str, text: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address] and text in m.subject]


def test_approval_makes_the_applicant_a_member_and_emails_them(
    principles, secretariat, django_capture_on_commit_callbacks
):
    application = submit(language="ru")
    mail.outbox.clear()
    PrinciplesVersionFactory.create(number=2)  # accepted was 1: the membership records 1

    with django_capture_on_commit_callbacks(execute=True):
        _decide(application, "approve", secretariat)

    application.refresh_from_db()
    assert application.status == "approved"
    assert application.decided_by == secretariat
    assert application.decided_at is not None
    membership = Membership.objects.get(organisation=application.organisation)
    assert membership.status == "active"
    assert membership.principles_version == principles
    entry = AuditEntry.objects.get(action="members.application.approve")
    assert entry.actor == secretariat
    assert entry.changes["status"] == {"old": "submitted", "new": "approved"}
    [approved] = _mail_to("olena@example.org", subject_in("ru", "approved"))
    assert approved.extra_headers["Content-Language"] == "ru"
    assert f"/ru/members/applications/status/{application.access_token}/" in approved.body


def test_approval_invites_the_contact_to_manage_the_organisation(
    principles, secretariat, django_capture_on_commit_callbacks
):
    application = submit(language="ru")

    with django_capture_on_commit_callbacks(execute=True):
        _decide(application, "approve", secretariat)

    contact = Person.objects.get(email="olena@example.org")
    assert contact.affiliations.get().is_admin
    assert any(m.to == ["olena@example.org"] and "invit" in m.body.lower() for m in mail.outbox)


def test_rejection_needs_a_reason_which_the_applicant_reads(
    principles, secretariat, django_capture_on_commit_callbacks
):
    application = submit(language="en")
    mail.outbox.clear()

    with pytest.raises(ValidationError) as refused:
        _decide(application, "reject", secretariat, reason="  ")
    assert "reason" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        _decide(application, "reject", secretariat, reason="Not in the region.")

    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.decision_reason == "Not in the region."
    assert not Membership.objects.exists()
    [message] = mail.outbox
    assert message.subject == subject_in("en", "rejected")
    assert "Not in the region." in message.body
    entry = AuditEntry.objects.get(action="members.application.reject")
    assert entry.changes["reason"] == "Not in the region."


def test_a_request_for_information_is_emailed_and_the_answer_returns_it_to_the_queue(
    principles, secretariat, django_capture_on_commit_callbacks
):
    application = submit(language="en")
    mail.outbox.clear()

    with pytest.raises(ValidationError) as refused:
        _decide(application, "request_info", secretariat)
    assert "reason" in refused.value.message_dict

    with django_capture_on_commit_callbacks(execute=True):
        _decide(application, "request_info", secretariat, reason="Your registration number?")

    application.refresh_from_db()
    assert application.status == "info_requested"
    assert application.info_request == "Your registration number?"
    [message] = mail.outbox
    assert "Your registration number?" in message.body

    with pytest.raises(ValidationError):
        services.application_answer(application=application, answer="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_answer(application=application, answer="It is 12345.")

    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.motivation.startswith("We share the network's values.\n\n--- ")
    assert application.motivation.endswith("> Your registration number?\nIt is 12345.")
    assert len(mail.outbox) == 1  # the answer is audited, not emailed
    assert AuditEntry.objects.get(action="members.application.answer").changes["status"] == {
        "old": "info_requested",
        "new": "submitted",
    }
    with pytest.raises(ValidationError, match="No information was asked for"):
        services.application_answer(application=application, answer="Again")


@pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
@pytest.mark.parametrize("decision", ["approve", "reject", "request_info"])
def test_only_open_applications_can_be_decided(principles, secretariat, status, decision):
    application = ApplicationFactory.create(status=status)

    with pytest.raises(ValidationError, match="no longer open"):
        _decide(application, decision, secretariat, reason="Because")

    application.refresh_from_db()
    assert application.status == status
    assert not Membership.objects.exists()
    assert actions() == set()


def test_a_decision_is_made_on_the_saved_status_not_a_stale_copy(principles, secretariat):
    application = ApplicationFactory.create()
    stale = Application.objects.get(pk=application.pk)
    _decide(application, "reject", secretariat, reason="Spam")

    with pytest.raises(ValidationError, match="no longer open"):
        _decide(stale, "approve", secretariat)
    assert not Membership.objects.exists()


def test_an_unknown_decision_is_refused(principles, secretariat):
    with pytest.raises(ValidationError) as refused:
        _decide(ApplicationFactory.create(), "maybe", secretariat)

    assert "decision" in refused.value.message_dict


def test_an_individual_is_approved_with_an_individual_membership(principles, secretariat):
    application = ApplicationFactory.create(
        kind="individual", organisation=None, person=PersonFactory.create()
    )

    _decide(application, "approve", secretariat)

    membership = Membership.objects.get(person=application.person)
    assert membership.type.kind == "individual"
    assert membership.status == "active"


def test_an_applicant_deleted_meanwhile_cannot_be_approved(principles, secretariat):
    application = ApplicationFactory.create()
    Organisation.objects.filter(pk=application.organisation_id).update(
        deleted_at="2025-01-01T00:00Z"
    )
    application.refresh_from_db()

    with pytest.raises(ValidationError, match="was deleted"):
        _decide(application, "approve", secretariat)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_mail_server_that_is_down_does_not_undo_the_application(
    principles, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(message: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(services, "_email_send", broken)

    with django_capture_on_commit_callbacks(execute=True):
        application = submit()

    assert Application.objects.filter(pk=application.pk).exists()


def test_an_applicant_whose_data_was_erased_is_not_written_to(
    principles, secretariat, django_capture_on_commit_callbacks
):
    application = ApplicationFactory.create(contact_email="")

    with django_capture_on_commit_callbacks(execute=True):
        _decide(application, "reject", secretariat, reason="Withdrawn by erasure")

    application.refresh_from_db()
    assert application.status == "rejected"
    assert mail.outbox == []


def test_a_flood_of_applications_from_one_address_is_refused(rf, settings):
    settings.HRNET_APPLICATIONS_PER_HOUR = 2
    PrinciplesVersionFactory.create(number=1)

    def send(n: int, ip: str) -> Application:
        request = rf.post("/", REMOTE_ADDR=ip)
        request.user = AnonymousUser()
        return services.application_submit(
            kind="individual",
            details=individual_details(
                email=f"person{n}@example.org", full_name=f"P {n}", issue_areas=[]
            ),
            principles_number=1,
            principles_accepted=True,
            language="en",
            request=request,
        )

    send(1, "198.51.100.1")
    send(2, "198.51.100.1")
    with pytest.raises(ValidationError, match="Too many applications"):
        send(3, "198.51.100.1")
    send(4, "198.51.100.2")  # another address is not affected

    assert Application.objects.count() == 3
