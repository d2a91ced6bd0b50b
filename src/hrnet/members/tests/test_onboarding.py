"""An approved applicant's contact gets an invitation and, on accepting it, manages the
organisation's profile."""

import pytest
from django.core import mail
from django.test import RequestFactory

from hrnet.accounts.models import Invitation
from hrnet.accounts.services import invitation_accept
from hrnet.members.models import Affiliation, Person
from hrnet.members.policies import administered_organisation_ids
from hrnet.members.services.onboarding import applicant_onboard
from hrnet.members.tests.factories import ApplicationFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("geography")


def _request(user=None):
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/")
    request.session = SessionStore()
    request.user = user
    return request


def test_organisation_contact_is_invited_as_admin_and_manages_it_after_accepting(secretariat):
    application = ApplicationFactory.create(contact_email="Olena@Example.org", language="ru")

    invitation = applicant_onboard(application=application, actor=secretariat)

    assert invitation is not None
    assert invitation.role == "orgadmin"
    assert invitation.language == "ru"
    assert mail.outbox[0].to == ["olena@example.org"]
    person = Person.objects.get(email="olena@example.org")
    assert Affiliation.objects.get(person=person).is_admin

    user = invitation_accept(
        request=_request(), invitation=invitation, full_name="Olena", password="a long pass 2026"
    )

    assert application.organisation_id in administered_organisation_ids(user)


def test_an_existing_account_gets_the_role_instead_of_an_invitation(secretariat, make_user):
    user = make_user(email="ivan@example.org")
    application = ApplicationFactory.create(
        kind="individual",
        organisation=None,
        person=PersonFactory.create(email="ivan@example.org"),
        contact_email="ivan@example.org",
    )

    invitation = applicant_onboard(application=application, actor=secretariat)

    assert invitation is None
    assert not Invitation.objects.exists()
    assert user.groups.filter(name="member").exists()
    assert Person.objects.get(email="ivan@example.org").user == user
