"""Membership pages: who may see, renew and override, and what they see."""

from datetime import date

import pytest
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.members.models import Membership
from hrnet.members.services.memberships import (
    inherited_memberships_recompute,
    membership_status_refresh,
)
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    PersonFactory,
    PrinciplesVersionFactory,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def org_membership():
    return MembershipFactory.create()


def _admin_of(membership, make_user):
    user = make_user(Role.ORGADMIN)
    person = PersonFactory.create(user=user, email=user.email)
    AffiliationFactory.create(person=person, organisation=membership.organisation, is_admin=True)
    return user


@pytest.mark.parametrize(
    ("who", "view", "renew", "override"),
    [
        ("anonymous", 302, 302, 302),
        ("member", 404, 404, 404),
        ("admin_of_another_org", 404, 404, 404),
        ("admin_of_this_org", 200, 302, 403),
        ("secretariat", 200, 302, 302),
    ],
)
def test_membership_role_by_action_matrix(
    client, make_user, org_membership, who, view, renew, override
):
    if who == "member":
        client.force_login(make_user(Role.MEMBER))
    elif who == "admin_of_another_org":
        client.force_login(_admin_of(MembershipFactory.create(), make_user))
    elif who == "admin_of_this_org":
        client.force_login(_admin_of(org_membership, make_user))
    elif who == "secretariat":
        client.force_login(make_user(Role.SECRETARIAT))
    pk = org_membership.pk

    assert client.get(reverse("members:membership_detail", args=[pk])).status_code == view
    assert client.post(reverse("members:membership_renew", args=[pk])).status_code == renew
    response = client.post(
        reverse("members:membership_override", args=[pk]),
        {"status": "suspended", "reason": "test"},
    )
    assert response.status_code == override


def test_admin_renews_after_accepting_changed_principles(client, make_user, org_membership):
    user = _admin_of(org_membership, make_user)
    client.force_login(user)
    PrinciplesVersionFactory.create(number=2)
    url = reverse("members:membership_renew", args=[org_membership.pk])
    old_end = org_membership.end_date

    refused = client.post(url, {})
    accepted = client.post(url, {"accept_principles": "on"})

    assert refused.status_code == 400
    assert "The principles changed (version 2)" in refused.content.decode()
    assert accepted.status_code == 302
    org_membership.refresh_from_db()
    assert org_membership.end_date.year == old_end.year + 1
    assert org_membership.principles_version.number == 2


def test_secretariat_suspends_with_a_reason_and_sees_the_history(client, secretariat):
    membership = MembershipFactory.create()
    client.force_login(secretariat)

    missing_reason = client.post(
        reverse("members:membership_override", args=[membership.pk]), {"status": "suspended"}
    )
    client.post(
        reverse("members:membership_override", args=[membership.pk]),
        {"status": "suspended", "reason": "Unpaid fees"},
    )
    page = client.get(reverse("members:membership_detail", args=[membership.pk]))

    assert missing_reason.status_code == 400
    membership.refresh_from_db()
    assert membership.status == Membership.Status.SUSPENDED
    content = page.content.decode()
    assert "Unpaid fees" in content
    # the history in words, not action codes
    assert "Status set by hand: Active → Suspended" in content
    assert "members.membership.override" not in content


def test_the_history_reads_in_russian_too(client, secretariat):
    membership = MembershipFactory.create(status=Membership.Status.ACTIVE)
    membership_status_refresh(today=date(2100, 1, 1))
    client.force_login(secretariat)

    english = client.get(f"/en/members/memberships/{membership.pk}/").content.decode()
    russian = client.get(f"/ru/members/memberships/{membership.pk}/").content.decode()

    assert "Status changed: Active → Lapsed" in english
    assert "membership.change_status" not in english
    assert "Статус изменён" in russian
    assert "change_status" not in russian


def test_my_memberships_lists_my_organisations_and_mine(client, make_user, org_membership):
    user = _admin_of(org_membership, make_user)
    inherited_memberships_recompute(organisation=org_membership.organisation)
    other = MembershipFactory.create()  # someone else's
    client.force_login(user)

    response = client.get(reverse("members:membership_mine"))

    content = response.content.decode()
    assert reverse("members:membership_detail", args=[org_membership.pk]) in content
    assert reverse("members:membership_detail", args=[other.pk]) not in content
    # the admin is also a member through the organisation
    assert "through " + str(org_membership.organisation) in content


def test_a_person_sees_links_to_their_data_on_their_profile_and_the_secretariat_to_erase(
    client, make_user, secretariat
):
    user = make_user(Role.MEMBER)
    person = PersonFactory.create(user=user, email=user.email, is_public=False)
    MembershipFactory.create(organisation=None, person=person, type=membership_type("individual"))
    url = reverse("members:person_detail", args=[person.pk])

    client.force_login(user)
    own = client.get(url).content.decode()
    client.force_login(secretariat)
    staff = client.get(url).content.decode()

    assert reverse("members:person_data_export", args=[person.pk]) in own
    assert reverse("members:person_erase", args=[person.pk]) not in own
    assert reverse("members:person_erase", args=[person.pk]) in staff


def test_the_account_profile_links_to_memberships_applications_and_personal_data(client, member):
    client.force_login(member)

    content = client.get(reverse("accounts:profile")).content.decode()

    assert reverse("members:membership_mine") in content
    assert reverse("members:application_mine") in content
    assert reverse("members:person_data_export_mine") in content
