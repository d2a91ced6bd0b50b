"""A person's contact-form messages are in their data export and go with their erasure."""

import pytest

from hrnet.accounts.roles import Role
from hrnet.members.services.privacy import person_data_export, person_erase
from hrnet.members.tests.factories import PersonFactory
from hrnet.network.models import ContactMessage
from hrnet.network.tests.factories import ContactMessageFactory

pytestmark = pytest.mark.usefixtures("geography")


def test_messages_are_exported_and_erased_with_the_person(secretariat, make_user):
    user = make_user(Role.MEMBER, email="olena@example.org")
    person = PersonFactory.create(user=user, full_name="Olena Writer", email=user.email)
    mine = ContactMessageFactory.create(name="Olena Writer", email="OLENA@example.org")
    other = ContactMessageFactory.create(name="Someone", email="someone@example.org")

    exported = person_data_export(person=person, actor=secretariat)
    person_erase(person=person, actor=secretariat, reason="Asked by email")

    assert [item["name"] for item in exported["contact_messages"]] == ["Olena Writer"]
    mine.refresh_from_db()
    assert "Olena" not in mine.name
    assert "example.org" not in mine.email
    assert mine.message == ""
    assert ContactMessage.objects.get(pk=other.pk).name == "Someone"
