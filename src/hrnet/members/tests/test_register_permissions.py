"""Role x action matrix of the register tools, exports and dashboard."""

import pytest
from django.urls import reverse

from hrnet.members.tests.factories import MembershipFactory, PersonFactory

ROLES = ["anonymous", "member", "orgadmin", "expert", "sitestaff", "documenter", "secretariat"]
LOGIN, OK, FORBIDDEN = 302, 200, 403

# action → expected status per role, in the order of ROLES
MATRIX = {
    "dashboard": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "duplicates": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "merge": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "import": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "export_organisations": [LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, OK],
    "export_people": [LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, OK],
    "personal_data_of_another": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "erase": [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
}


def _url(action, person):
    return {
        "dashboard": reverse("members:dashboard"),
        "duplicates": reverse("members:register_duplicates"),
        "merge": reverse("members:register_merge"),
        "import": reverse("members:register_import"),
        "export_organisations": reverse("members:register_export") + "?format=csv",
        "export_people": reverse("members:register_export") + "?format=xlsx&records=people",
        "personal_data_of_another": reverse("members:person_data_export", args=[person.pk]),
        "erase": reverse("members:person_erase", args=[person.pk]),
    }[action]


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(client, make_user, geography, role, action):
    MembershipFactory.create()
    person = PersonFactory.create()
    if role != "anonymous":
        client.force_login(make_user(role))

    response = client.get(_url(action, person))

    assert response.status_code == MATRIX[action][ROLES.index(role)]
    if response.status_code == LOGIN:
        assert "/login" in response["Location"]


def test_the_person_may_download_their_own_data(client, make_user, geography):
    user = make_user()  # no role at all
    person = PersonFactory.create(user=user)
    client.force_login(user)

    response = client.get(reverse("members:person_data_export", args=[person.pk]))

    assert response.status_code == OK


def test_someone_without_a_person_record_has_no_data_to_download(client, member, geography):
    client.force_login(member)

    assert client.get(reverse("members:person_data_export_mine")).status_code == 404
