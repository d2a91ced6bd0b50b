"""Erasure and the personal-data export reach event registrations."""

import pytest

from hrnet.accounts.roles import Role
from hrnet.events.models import Certificate, Feedback, Registration
from hrnet.events.tests.factories import RegistrationFactory
from hrnet.members.services.privacy import person_data_export, person_erase
from hrnet.members.tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("geography")


def test_erasure_blanks_what_registrations_say_and_the_export_lists_them(secretariat, make_user):
    user = make_user(Role.MEMBER, full_name="Olena Kovalenko")
    person = PersonFactory.create(user=user, full_name="Olena Kovalenko")
    registration = RegistrationFactory.create(
        user=user,
        status=Registration.Status.CONFIRMED,
        gender=Registration.Gender.WOMAN,
        answers={"1": "I use methadone and need a quiet room"},
        organisation_name="Kyiv peers",
    )
    Feedback.objects.create(registration=registration, overall=5, usefulness=4, comment="Mine")
    Certificate.objects.create(
        registration=registration, holder_name="Olena Kovalenko", event_title="Webinar"
    )

    exported = person_data_export(person=person, actor=secretariat)
    person_erase(person=person, actor=secretariat, reason="Asked by email")

    assert exported["event_registrations"][0]["answers"] == registration.answers
    assert exported["event_registrations"][0]["certificate"]
    registration.refresh_from_db()
    assert registration.answers == {}
    assert registration.gender == Registration.Gender.UNSAID
    assert registration.organisation_name == ""
    assert registration.status == Registration.Status.CONFIRMED  # the seat count stays
    assert Feedback.objects.get(registration=registration).comment == ""
    assert "Olena" not in Certificate.objects.get(registration=registration).holder_name
