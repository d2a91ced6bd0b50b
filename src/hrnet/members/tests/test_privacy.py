"""A person's copy of their data, and erasure on request."""

import json
from datetime import date

import pytest
from django.db.models import Count
from django.forms.models import model_to_dict
from django.urls import reverse

from hrnet.accounts.models import ApiToken
from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry
from hrnet.members.models import Application, Membership, Person, Vote
from hrnet.members.selectors.counts import member_counts
from hrnet.members.selectors.dashboard import dashboard_get
from hrnet.members.services.privacy import person_data_export, person_erase
from hrnet.members.tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    MembershipFactory,
    PersonFactory,
    membership_type,
)

NAME = "Olena Kovalenko"
EMAIL = "olena.k@example.org"


@pytest.fixture
def olena(geography, make_user):
    """A person with an account, a staff link, an own membership, an application, a vote
    and some history."""
    user = make_user("member", email=EMAIL, full_name=NAME)
    person = PersonFactory.create(
        full_name=NAME,
        email=EMAIL,
        city="Odesa",
        expertise="Peer outreach",
        languages=["uk", "ru"],
        is_public=True,
        user=user,
    )
    AffiliationFactory.create(person=person, role="director", start_date=date(2019, 1, 1))
    MembershipFactory.create(organisation=None, person=person, type=membership_type("individual"))
    ApplicationFactory.create(
        kind="individual",
        organisation=None,
        person=person,
        contact_name=NAME,
        contact_email=EMAIL,
        motivation="I run a needle exchange in Odesa.",
        applicant_user=user,
    )
    Vote.objects.create(
        application=ApplicationFactory.create(), reviewer=user, choice="approve", comment="Good fit"
    )
    log_action(actor=user, action="members.person.update", obj=person, changes={"city": "Odesa"})
    return person


def test_the_export_holds_everything_stored_about_the_person(olena, secretariat):
    data = person_data_export(person=olena, actor=secretariat)

    assert data["profile"]["full_name"] == NAME
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["languages"] == ["uk", "ru"]
    assert data["account"]["email"] == EMAIL
    assert data["account"]["roles"] == ["member"]
    assert [link["role"] for link in data["affiliations"]] == ["director"]
    assert data["memberships"][0]["status"] == "active"
    assert data["applications"][0]["motivation"] == "I run a needle exchange in Odesa."
    assert data["votes_cast"] == [
        {
            "application_id": data["votes_cast"][0]["application_id"],
            "vote": "approve",
            "comment": "Good fit",
            "time": data["votes_cast"][0]["time"],
        }
    ]
    assert "members.person.update" in [entry["action"] for entry in data["audit_log"]]
    json.dumps(data)  # ready for a JSON file
    assert AuditEntry.objects.filter(
        action="members.person_data.export", object_id=str(olena.pk)
    ).exists()


def test_the_person_downloads_their_own_data_as_json(client, olena):
    client.force_login(olena.user)

    redirect = client.get(reverse("members:person_data_export_mine"))
    response = client.get(redirect["Location"])

    assert redirect["Location"] == reverse("members:person_data_export", args=[olena.pk])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["profile"]["full_name"] == NAME


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("other_member", 403), ("orgadmin", 403), ("secretariat", 200)],
)
def test_who_may_download_a_persons_data(client, make_user, secretariat, olena, who, status):
    users = {
        "other_member": make_user("member"),
        "orgadmin": make_user("orgadmin"),
        "secretariat": secretariat,
    }
    if who in users:
        client.force_login(users[who])

    response = client.get(reverse("members:person_data_export", args=[olena.pk]))

    assert response.status_code == status


def _rows_mentioning(person, text):
    """Every stored value about the person that still contains `text`."""
    text = text.lower()
    person.refresh_from_db()
    values = [model_to_dict(person)]
    if person.user_id:
        values.append(model_to_dict(person.user, exclude=["groups", "user_permissions"]))
    values += [model_to_dict(a) for a in Application.objects.filter(person=person)]
    entries = AuditEntry.objects.filter(object_id=str(person.pk)) | AuditEntry.objects.filter(
        actor=person.user
    )
    values += [model_to_dict(e) for e in entries]
    return [value for value in values if text in json.dumps(value, default=str).lower()]


def _register_history(secretariat):
    """What erasure keeps: the people per country, the memberships and the members who
    joined each year (an erased person no longer counts as a current member)."""
    people = dict(Person.objects.values_list("country__iso2").annotate(n=Count("id")).order_by())
    joined = [(bar.year, bar.value) for bar in dashboard_get(user=secretariat).growth.bars]
    return people, joined, Membership.objects.count()


def test_erasure_removes_name_and_email_everywhere_and_keeps_the_history(olena, secretariat):
    # given
    before = _register_history(secretariat)
    assert member_counts(user=secretariat).individuals == 1
    assert _rows_mentioning(olena, NAME)

    # when
    person_erase(person=olena, actor=secretariat, reason="Request by email of 3 March")

    # then
    assert _rows_mentioning(olena, NAME) == []
    assert _rows_mentioning(olena, EMAIL) == []
    assert _rows_mentioning(olena, "Odesa") == []
    olena.refresh_from_db()
    assert olena.full_name == f"Erased person #{olena.pk}"
    assert (olena.email, olena.city, olena.expertise, olena.languages) == ("", "", "", [])
    assert not olena.is_public
    assert olena.erased_at is not None
    assert not olena.user.is_active
    assert not olena.user.has_usable_password()
    assert olena.affiliations.count() == 1
    assert olena.memberships.count() == 1
    assert _register_history(secretariat) == before
    assert member_counts(user=secretariat).individuals == 0
    entry = AuditEntry.objects.get(action="members.person.erase")
    assert entry.changes["reason"] == "Request by email of 3 March"
    assert entry.actor == secretariat


def test_erasure_revokes_api_tokens_and_blanks_applications(olena, secretariat):
    ApiToken.objects.create(user=olena.user, name="phone", prefix="abc", key_hash="x" * 64)
    application = Application.objects.get(person=olena)
    old_token = application.access_token

    person_erase(person=olena, actor=secretariat, reason="Asked in person")

    application.refresh_from_db()
    assert (application.contact_email, application.motivation) == ("", "")
    assert application.access_token != old_token
    assert ApiToken.objects.get(user=olena.user).revoked_at is not None


def test_erasure_needs_a_reason_and_happens_once(olena, secretariat):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        person_erase(person=olena, actor=secretariat, reason="  ")
    person_erase(person=olena, actor=secretariat, reason="Request")
    with pytest.raises(ValidationError):
        person_erase(person=olena, actor=secretariat, reason="Again")


def test_the_confirmation_page_erases_only_once_confirmed(client, secretariat, olena):
    client.force_login(secretariat)
    url = reverse("members:person_erase", args=[olena.pk])

    page = client.get(url)
    unconfirmed = client.post(url, {"reason": "Request by phone"})

    assert page.status_code == 200
    assert "1 membership" in page.content.decode()
    assert unconfirmed.status_code == 200
    assert "Request by phone" in unconfirmed.content.decode()  # what was typed stays
    olena.refresh_from_db()
    assert olena.erased_at is None

    done = client.post(url, {"reason": "Request by phone", "confirm": "on"})

    assert done.status_code == 302
    olena.refresh_from_db()
    assert olena.erased_at is not None


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("member", 403), ("orgadmin", 403)])
def test_only_the_secretariat_may_erase(client, make_user, olena, role, status):
    if role:
        client.force_login(make_user(role))

    response = client.post(
        reverse("members:person_erase", args=[olena.pk]), {"reason": "x", "confirm": "on"}
    )

    assert response.status_code == status
    olena.refresh_from_db()
    assert olena.erased_at is None


def test_the_person_themself_may_not_erase_through_the_secretariat_page(client, olena):
    client.force_login(olena.user)

    response = client.get(reverse("members:person_erase", args=[olena.pk]))

    assert response.status_code == 403
