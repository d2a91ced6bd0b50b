"""Who may do what with applications and the principles: every role against every action
of the review (list the queue, view, decide, put to a vote, vote) and of the principles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from hrnet.accounts.roles import Role
from hrnet.members.models import Application, PrinciplesVersion, Vote
from hrnet.members.tests.factories import ApplicationFactory, PrinciplesVersionFactory

pytestmark = pytest.mark.usefixtures("geography")

ROLES = [None, *Role.values]


def _base(application: Application) -> str:
    return f"/en/members/applications/{application.pk}/"


# (name, method, url, data); each leaves a trace when it worked.
ACTIONS: list[tuple[str, str, Callable[[Application], str], dict[str, Any]]] = [
    ("list queue", "get", lambda a: "/en/members/applications/", {}),
    ("view detail", "get", _base, {}),
    ("decide", "post", lambda a: _base(a) + "decide/", {"decision": "reject", "reason": "No"}),
    ("put to a vote", "post", lambda a: _base(a) + "vote/start/", {}),
    ("vote", "post", lambda a: _base(a) + "vote/", {"choice": "approve"}),
    ("list principles", "get", lambda a: "/en/members/principles/versions/", {}),
    ("publish form", "get", lambda a: "/en/members/principles/versions/new/", {}),
    (
        "publish principles",
        "post",
        lambda a: "/en/members/principles/versions/new/",
        {"text_en": "New principles", "text_ru": "Новые принципы"},
    ),
]


def _untouched(application: Application, status: str) -> bool:
    application.refresh_from_db()
    return (
        application.status == status
        and not Vote.objects.exists()
        and PrinciplesVersion.objects.count() == 1
        and mail.outbox == []
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_only_the_secretariat_reviews_applications_and_publishes_principles(
    client, make_user, settings, role, name, method, url, data
):
    settings.HRNET_COMMITTEE_VOTE = True
    settings.HRNET_COMMITTEE_QUORUM = 3
    PrinciplesVersionFactory.create(number=1)
    status = "in_vote" if name == "vote" else "submitted"
    application = ApplicationFactory.create(status=status)
    if role is not None:
        client.force_login(make_user(role))

    response = getattr(client, method)(url(application), data)

    if role is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")
        assert _untouched(application, status)
    elif role == Role.SECRETARIAT:
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":
            assert not _untouched(application, status)
    elif name == "view detail":
        assert response.status_code == 404  # not theirs: as if it did not exist
    else:
        assert response.status_code == 403
        assert _untouched(application, status)


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_apply_and_read_the_principles(client, make_user, role):
    PrinciplesVersionFactory.create(number=1)
    if role is not None:
        client.force_login(make_user(role))

    assert client.get("/en/members/apply/").status_code == 200
    assert client.get("/en/members/principles/").status_code == 200
    assert client.get("/en/members/principles/1/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_the_status_page_is_for_whoever_has_the_link(client, make_user, role):
    application = ApplicationFactory.create()
    if role is not None:
        client.force_login(make_user(role))

    assert (
        client.get(f"/en/members/applications/status/{application.access_token}/").status_code
        == 200
    )


def test_own_applications_need_signing_in_and_show_only_ones_own(client, make_user):
    mine_user, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    mine = ApplicationFactory.create(applicant_user=mine_user)
    theirs = ApplicationFactory.create(applicant_user=other)
    ApplicationFactory.create()  # anonymous

    assert client.get("/en/members/applications/mine/").status_code == 302
    client.force_login(mine_user)
    content = client.get("/en/members/applications/mine/").content.decode()

    assert mine.access_token in content
    assert theirs.access_token not in content
    assert content.count("/members/applications/status/") == 1
