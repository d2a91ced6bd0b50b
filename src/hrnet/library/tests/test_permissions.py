"""Who may do what with library resources: every role against every action, asked of the
policy and through the pages."""

from __future__ import annotations

import pytest

from hrnet.accounts.roles import Role
from hrnet.library.models import Resource
from hrnet.library.policies import resource_policy
from hrnet.library.tests.factories import ResourceFactory

ROLES = [None, *Role.values]
NETWORK = {Role.SECRETARIAT, Role.ORGADMIN, Role.MEMBER, Role.EXPERT}


def _user(make_user, role):
    if role is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return make_user(role)


def _expected(role: str | None, action: str) -> bool:
    if role == Role.SECRETARIAT:
        return True
    return {
        "view public": True,
        "view members-only": role in NETWORK,
        "view someone's submission": False,
        "view someone's rejected": False,
        "add": role in NETWORK,
        "change": False,
        "moderate": False,
        "delete": False,
    }[action]


ACTIONS = [
    "view public",
    "view members-only",
    "view someone's submission",
    "view someone's rejected",
    "add",
    "change",
    "moderate",
    "delete",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_policy_matrix(make_user, role, action):
    user = _user(make_user, role)
    other = make_user(Role.MEMBER)
    resources = {
        "view public": ResourceFactory.create(),
        "view members-only": ResourceFactory.create(visibility=Resource.Visibility.MEMBERS),
        "view someone's submission": ResourceFactory.create(
            status=Resource.Status.SUBMITTED, submitted_by=other
        ),
        "view someone's rejected": ResourceFactory.create(
            status=Resource.Status.REJECTED, submitted_by=other
        ),
    }
    if action.startswith("view"):
        resource = resources[action]
        allowed = resource_policy.user_has_permission_for_instance(user, "view", resource)
        listed = resource_policy.instances_user_has_permission_for(user, "view")
        assert allowed is _expected(role, action)
        assert listed.filter(pk=resource.pk).exists() is _expected(role, action)
    elif action == "add":
        assert resource_policy.user_has_permission(user, "add") is _expected(role, action)
    else:
        resource = resources["view public"]
        assert resource_policy.user_has_permission_for_instance(user, action, resource) is (
            _expected(role, action)
        )


def test_submitters_see_their_own_submission_whatever_its_status(member):
    submitted = ResourceFactory.create(status=Resource.Status.SUBMITTED, submitted_by=member)
    rejected = ResourceFactory.create(status=Resource.Status.REJECTED, submitted_by=member)

    assert resource_policy.user_has_permission_for_instance(member, "view", submitted)
    assert resource_policy.user_has_permission_for_instance(member, "view", rejected)


def test_nobody_reads_a_resource_in_the_trash_except_through_the_trash(secretariat):
    resource = ResourceFactory.create()
    from hrnet.core.trash import trash_move

    trash_move(obj=resource, actor=secretariat)

    assert not resource_policy.user_has_permission_for_instance(secretariat, "view", resource)


# Pages: (name, method, url, data, who may) — anonymous visitors are sent to sign in.
PAGES = [
    ("submit form", "get", lambda r: "/en/library/submit/", NETWORK),
    ("moderation queue", "get", lambda r: "/en/library/moderation/", {Role.SECRETARIAT}),
    ("edit form", "get", lambda r: f"/en/library/{r.pk}/edit/", {Role.SECRETARIAT}),
    ("trash form", "get", lambda r: f"/en/library/{r.pk}/trash/", {Role.SECRETARIAT}),
    ("publish", "post", lambda r: f"/en/library/{r.pk}/publish/", {Role.SECRETARIAT}),
    ("reject", "post", lambda r: f"/en/library/{r.pk}/reject/", {Role.SECRETARIAT}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_ask_the_policy(client, make_user, geography, role, name, method, url, allowed):
    submitter = make_user(Role.MEMBER)
    resource = ResourceFactory.create(status=Resource.Status.SUBMITTED, submitted_by=submitter)
    if role is not None:
        client.force_login(make_user(role))

    response = getattr(client, method)(url(resource), {"reason": "Out of scope"})

    resource.refresh_from_db()
    if role is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
    if role not in allowed or role is None:
        assert resource.status == Resource.Status.SUBMITTED
