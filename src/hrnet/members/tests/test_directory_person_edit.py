"""A person keeps their own profile in the register."""

import pytest
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.members.tests.factories import MembershipFactory, PersonFactory, membership_type

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def person(make_user):
    user = make_user(Role.MEMBER)
    person = PersonFactory.create(user=user, email=user.email, full_name="Nino Beridze")
    MembershipFactory.create(organisation=None, person=person, type=membership_type("individual"))
    return person


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("another_member", 403), ("self", 200), ("secretariat", 200)],
)
def test_who_may_edit_a_persons_profile(client, make_user, person, who, status):
    if who == "another_member":
        client.force_login(make_user(Role.MEMBER))
    elif who == "self":
        client.force_login(person.user)
    elif who == "secretariat":
        client.force_login(make_user(Role.SECRETARIAT))

    response = client.get(reverse("members:person_edit", args=[person.pk]))

    assert response.status_code == status


def test_a_person_updates_their_profile_and_it_is_audited(client, person):
    client.force_login(person.user)

    response = client.post(
        reverse("members:person_edit", args=[person.pk]),
        {
            "full_name": "Nino  Beridze-Kapanadze",
            "city": "Batumi",
            "languages": "ka, Russian",
            "is_public": "on",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Nino Beridze-Kapanadze"
    assert person.languages == ["ka", "ru"]
    assert person.is_public
    entry = AuditEntry.objects.get(action="members.person.update")
    assert entry.changes["city"] == {"old": "", "new": "Batumi"}


def test_an_unknown_language_is_refused_and_the_form_keeps_the_input(client, person):
    client.force_login(person.user)

    response = client.post(
        reverse("members:person_edit", args=[person.pk]),
        {"full_name": "Nino Beridze", "city": "Batumi", "languages": "Klingon"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Klingon" in content
    assert 'value="Batumi"' in content
    person.refresh_from_db()
    assert person.city == ""
