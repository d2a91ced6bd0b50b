"""Who may read and change the network's pages, projects, team and contact messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hrnet.network.models import (
    Commitment,
    CommitmentOutput,
    ContactMessage,
    ContactTopic,
    Page,
    PageRevision,
    Partner,
    Project,
    TeamMember,
)
from hrnet.network.policies import (
    commitment_policy,
    contact_message_policy,
    contact_topic_policy,
    page_draft_policy,
    page_policy,
    page_revision_policy,
    partner_policy,
    project_policy,
    team_member_policy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(member: Any, secretariat: Any) -> dict[str, Any]:
    return {"anonymous": AnonymousUser(), "member": member, "secretariat": secretariat}


@pytest.mark.parametrize(
    ("who", "may_edit"), [("anonymous", False), ("member", False), ("secretariat", True)]
)
def test_pages_are_read_by_everyone_once_published_and_edited_by_the_secretariat(
    users: dict[str, Any], who: str, may_edit: bool
) -> None:
    user = users[who]
    published = Page.objects.create(slug="about")
    PageRevision.objects.create(
        page=published, language="en", number=1, title="About", published_at=timezone.now()
    )
    unpublished = Page.objects.create(slug="strategy")

    assert page_policy.user_has_permission(user, "view")
    assert page_policy.user_has_permission_for_instance(user, "view", published)
    assert page_policy.user_has_permission_for_instance(user, "view", unpublished) is may_edit
    visible = set(page_policy.instances_user_has_permission_for(user, "view"))
    assert visible == ({published, unpublished} if may_edit else {published})
    for action in ("add", "change", "publish", "history", "restore", "delete"):
        assert page_policy.user_has_permission(user, action) is may_edit
    assert page_draft_policy.user_has_permission(user, "view") is may_edit
    assert page_revision_policy.user_has_permission(user, "list") is may_edit


@pytest.mark.parametrize(
    ("who", "may_edit"), [("anonymous", False), ("member", False), ("secretariat", True)]
)
def test_projects_and_team_are_public_once_published(
    users: dict[str, Any], who: str, may_edit: bool
) -> None:
    user = users[who]
    shown = Project.objects.create(slug="platform", names={"en": "Platform"}, is_published=True)
    hidden = Project.objects.create(slug="draft", names={"en": "Draft"})
    commitment = Commitment.objects.create(project=hidden, kind=Commitment.Kind.WEBINAR)
    Partner.objects.create(names={"en": "Donor"})
    published_member = TeamMember.objects.create(full_name="Anna")
    hidden_member = TeamMember.objects.create(full_name="Boris", is_published=False)

    assert project_policy.user_has_permission_for_instance(user, "view", shown)
    assert project_policy.user_has_permission_for_instance(user, "view", hidden) is may_edit
    assert project_policy.user_has_permission_for_instance(user, "change", shown) is may_edit
    assert commitment_policy.user_has_permission_for_instance(user, "view", commitment) is (
        may_edit
    )
    assert partner_policy.user_has_permission(user, "list")
    assert partner_policy.user_has_permission(user, "change") is may_edit
    members = set(team_member_policy.instances_user_has_permission_for(user, "list"))
    assert members == ({published_member, hidden_member} if may_edit else {published_member})
    assert team_member_policy.user_has_permission(user, "add") is may_edit
    assert CommitmentOutput.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "may_read"), [("anonymous", False), ("member", False), ("secretariat", True)]
)
def test_contact_messages_are_sent_by_anyone_and_read_by_the_secretariat(
    users: dict[str, Any], who: str, may_read: bool
) -> None:
    user = users[who]
    recipient = TeamMember.objects.create(full_name="Anna")
    topic = ContactTopic.objects.create(names={"en": "Membership"}, recipient=recipient)
    ContactMessage.objects.create(topic=topic, name="V", email="v@example.org", message="Hi")

    assert contact_message_policy.user_has_permission(user, "add")
    assert contact_message_policy.user_has_permission(user, "list") is may_read
    assert contact_message_policy.instances_user_has_permission_for(user, "list").exists() is (
        may_read
    )
    assert contact_topic_policy.user_has_permission(user, "change") is may_read


ADMIN_LISTS = (
    "page",
    "pagedraft",
    "pagerevision",
    "partner",
    "project",
    "commitment",
    "commitmentoutput",
    "teammember",
    "contacttopic",
    "contactmessage",
)


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_the_admin_is_the_secretariats(client: Any, make_user: Any, model: str) -> None:
    staff_member = make_user("member", is_staff=True)
    secretariat = make_user("secretariat", is_staff=True)
    url = f"/en/admin/network/{model}/"

    client.force_login(staff_member)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


def test_published_revisions_cannot_be_changed_in_the_admin(client: Any, secretariat: Any) -> None:
    page = Page.objects.create(slug="about")
    revision = PageRevision.objects.create(
        page=page, language="en", number=1, title="About", published_at=timezone.now()
    )
    client.force_login(secretariat)

    client.post(
        f"/en/admin/network/pagerevision/{revision.pk}/change/",
        {"title": "Changed", "language": "en", "number": 1},
    )

    revision.refresh_from_db()
    assert revision.title == "About"
    assert client.get(f"/en/admin/network/page/{page.pk}/change/").status_code == 200
