"""The moderation queue's bulk publish: each submission on its own, audited, failures
named, the secretariat's only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.library.models import Resource
from hrnet.library.tests.factories import ResourceFactory

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def submitted(make_user):
    submitter = make_user(Role.MEMBER)
    return [
        ResourceFactory.create(status=Resource.Status.SUBMITTED, submitted_by=submitter, title=t)
        for t in ("First guide", "Second guide", "Third guide")
    ]


def _publish(client, resources):
    return client.post(
        reverse("library:moderation_bulk"),
        {"action": "publish", "selected": [r.pk for r in resources]},
        follow=True,
    )


def test_the_queue_has_a_checkbox_per_submission(client, secretariat, submitted):
    client.force_login(secretariat)
    content = client.get(reverse("library:moderation_queue")).content.decode()
    assert content.count('name="selected"') == 3
    assert 'name="action" value="publish"' in content


def test_the_secretariat_publishes_several_in_one_action(
    client, secretariat, submitted, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(client, submitted)

    assert "3 submissions published." in response.content.decode()
    assert set(Resource.objects.values_list("status", flat=True)) == {"published"}
    entries = AuditEntry.objects.filter(action="library.resource.publish")
    assert sorted(e.object_id for e in entries) == sorted(str(r.pk) for r in submitted)
    assert len(mail.outbox) == 3  # each submitter is told


def test_one_published_meanwhile_is_named_and_the_others_are_kept(client, secretariat, submitted):
    Resource.objects.filter(pk=submitted[0].pk).update(status=Resource.Status.PUBLISHED)
    client.force_login(secretariat)

    content = _publish(client, submitted).content.decode()

    assert "2 submissions published." in content
    assert "1 row was not changed: First guide: This resource is already published." in content
    assert AuditEntry.objects.filter(action="library.resource.publish").count() == 2


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGADMIN])
def test_others_are_refused(client, make_user, submitted, role):
    client.force_login(make_user(role))
    assert _publish(client, submitted).status_code == 403
    assert set(Resource.objects.values_list("status", flat=True)) == {"submitted"}
