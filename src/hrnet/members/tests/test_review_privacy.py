"""Privacy review of the member register: defects found, each proven by a test."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hrnet.accounts.models import Invitation
from hrnet.accounts.roles import Role
from hrnet.accounts.services import LoginThrottled, invitation_create, user_authenticate
from hrnet.core.models import AuditEntry
from hrnet.members.models import Membership, Organisation, Person
from hrnet.members.services.privacy import person_erase
from hrnet.members.services.profiles import affiliation_add
from hrnet.members.services.register import person_merge
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")

NAME = "Olena Kovalenko"
EMAIL = "olena.k@example.org"


def _individual_member(**fields: Any) -> Person:
    person: Person = PersonFactory.create(**fields)
    MembershipFactory.create(organisation=None, person=person, type=membership_type("individual"))
    return person


def _member_organisation() -> Organisation:
    organisation: Organisation = OrganisationFactory.create()
    MembershipFactory.create(organisation=organisation)
    return organisation


def _admin_of(organisation: Any, make_user: Any) -> Any:
    user = make_user(Role.ORGADMIN)
    AffiliationFactory.create(
        organisation=organisation, person=PersonFactory.create(user=user), is_admin=True
    )
    return user


def test_erasure_removes_the_name_from_the_log_of_staff_links(secretariat):
    organisation = _member_organisation()
    link = affiliation_add(
        organisation=organisation, actor=secretariat, full_name=NAME, email=EMAIL
    )

    person_erase(person=link.person, actor=secretariat, reason="Asked by email")

    entry = AuditEntry.objects.get(action="members.affiliation.create")
    assert NAME not in entry.object_repr


def test_a_members_people_export_names_only_organisations_they_may_see(client, member):
    applicant = OrganisationFactory.create(names={"en": "Hidden Applicant Org"})  # no membership
    person = _individual_member(full_name="Ivana Individual")
    AffiliationFactory.create(person=person, organisation=applicant)
    client.force_login(member)

    response = client.get(reverse("members:register_export"), {"records": "people"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["full_name"] for row in rows] == ["Ivana Individual"]
    assert "Hidden Applicant Org" not in body


def test_an_org_admin_cannot_learn_who_is_registered_under_an_email(client, make_user):
    organisation = _member_organisation()
    _individual_member(full_name="Secret Registered Name", email="secret@example.org")
    client.force_login(_admin_of(organisation, make_user))

    client.post(
        reverse("members:organisation_staff", args=[organisation.pk]),
        {"full_name": "Anyone", "email": "secret@example.org", "role": "staff"},
    )
    page = client.get(reverse("members:organisation_staff", args=[organisation.pk]))

    assert "Secret Registered Name" not in page.content.decode()


def test_erasure_reaches_a_duplicate_merged_into_the_person(secretariat):
    keep = _individual_member(full_name=NAME, email=EMAIL)
    duplicate = PersonFactory.create(full_name=NAME, email=EMAIL.upper())
    person_merge(keep=keep, merge=duplicate, actor=secretariat)

    person_erase(person=keep, actor=secretariat, reason="Asked by email")

    trashed = Person.all_objects.get(pk=duplicate.pk)
    assert NAME not in trashed.full_name
    assert EMAIL not in trashed.email.lower()


def test_anonymous_visitors_see_no_private_applicant_or_lapsed_people(client):
    """Sound: profiles, directory, staff list and API (kept as a regression test)."""
    organisation = OrganisationFactory.create(is_public=True, names={"en": "Public Org"})
    MembershipFactory.create(organisation=organisation)
    private = _individual_member(full_name="Private Person", is_public=False)
    AffiliationFactory.create(organisation=organisation, person=private)
    applicant = PersonFactory.create(full_name="Applicant Person", is_public=True)
    lapsed = _individual_member(full_name="Lapsed Person", is_public=True)
    Membership.objects.filter(person=lapsed).update(status=Membership.Status.LAPSED)

    pages = [
        client.get(reverse("members:directory")).content.decode(),
        client.get(reverse("members:organisation_detail", args=[organisation.pk])).content.decode(),
        client.get("/api/v1/members").content.decode(),
    ]
    for page in pages:
        for name in ("Private Person", "Applicant Person", "Lapsed Person"):
            assert name not in page
    for person in (private, applicant, lapsed):
        url = reverse("members:person_detail", args=[person.pk])
        assert client.get(url).status_code == 404
        assert client.get(f"/api/v1/members/individual/{person.pk}").status_code == 404


def test_an_org_admin_given_admin_site_access_cannot_browse_the_register_there(client, make_user):
    organisation = _member_organisation()
    _individual_member(full_name="Registered Elsewhere")
    user = _admin_of(organisation, make_user)
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get(reverse("admin:members_person_changelist")).status_code == 403
    assert client.get(reverse("admin:members_organisation_changelist")).status_code == 403
    assert "Registered Elsewhere" not in client.get(reverse("admin:index")).content.decode()


def test_the_secretariat_browses_the_register_in_the_admin(client, secretariat):
    _individual_member(full_name="Registered Elsewhere")
    client.force_login(secretariat)

    page = client.get(reverse("admin:members_person_changelist"))

    assert page.status_code == 200
    assert "Registered Elsewhere" in page.content.decode()


def _sign_in_until_throttled(request: Any, email: str) -> bool:
    for _attempt in range(50):
        try:
            user_authenticate(request=request, email=email, password="wrong")
        except LoginThrottled:  # a ValidationError too, so asked first
            return True
        except ValidationError:
            continue
    return False


def test_erasure_reaches_invitations_and_refused_sign_ins_typed_with_the_address(secretariat, rf):
    person = _individual_member(full_name=NAME, email=EMAIL)
    invitation_create(email=EMAIL, role=Role.MEMBER, invited_by=secretariat, full_name=NAME)
    request = rf.post("/login/", REMOTE_ADDR="203.0.113.9")
    assert _sign_in_until_throttled(request, EMAIL)

    person_erase(person=person, actor=secretariat, reason="Asked by email")

    assert not Invitation.all_objects.filter(email__iexact=EMAIL).exists()
    logged = [str(entry.changes) + entry.object_repr for entry in AuditEntry.objects.all()]
    assert not [text for text in logged if EMAIL in text.lower() or NAME in text]
