"""The secretariat's message list: unanswered first and oldest first, and marking
messages answered in bulk (each audited, failures named, the secretariat's only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hrnet.core.models import AuditEntry
from hrnet.network.models import ContactMessage
from hrnet.network.selectors import unanswered_messages
from hrnet.network.tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox() -> list[ContactMessage]:
    now = timezone.now()
    rows = []
    for days, name in ((1, "Newest Sender"), (9, "Oldest Sender"), (5, "Middle Sender")):
        message = ContactMessageFactory.create(name=name)
        ContactMessage.objects.filter(pk=message.pk).update(created_at=now - timedelta(days=days))
        rows.append(message)
    return rows


def _mark(client: Any, messages: list[ContactMessage]) -> Any:
    return client.post(
        reverse("network:message_bulk"),
        {"action": "answered", "selected": [m.pk for m in messages]},
        follow=True,
    )


def test_unanswered_messages_oldest_first_for_the_secretariat_only(inbox, secretariat, member):
    names = [m.name for m in unanswered_messages(user=secretariat)]
    assert names == ["Oldest Sender", "Middle Sender", "Newest Sender"]
    assert not unanswered_messages(user=member).exists()


def test_the_list_shows_the_unanswered_by_default_with_checkboxes(client, inbox, secretariat):
    client.force_login(secretariat)
    content = client.get(reverse("network:message_list")).content.decode()
    assert content.index("Oldest Sender") < content.index("Newest Sender")
    assert content.count('name="selected"') == 3
    assert 'name="action" value="answered"' in content


def test_the_secretariat_marks_several_answered_in_one_action(client, inbox, secretariat):
    client.force_login(secretariat)

    response = _mark(client, inbox[:2])

    assert "2 messages marked as answered." in response.content.decode()
    assert [m.name for m in unanswered_messages(user=secretariat)] == ["Middle Sender"]
    answered = ContactMessage.objects.filter(answered_at__isnull=False)
    assert {m.answered_by for m in answered} == {secretariat}
    entries = AuditEntry.objects.filter(action="network.contact_message.answer")
    assert sorted(e.object_id for e in entries) == sorted(str(m.pk) for m in inbox[:2])
    page = client.get(reverse("network:message_list") + "?state=answered").content.decode()
    assert "Newest Sender" in page
    assert "Middle Sender" not in page


def test_one_answered_meanwhile_is_named_and_the_others_are_kept(client, inbox, secretariat):
    ContactMessage.objects.filter(pk=inbox[1].pk).update(answered_at=timezone.now())
    client.force_login(secretariat)

    content = _mark(client, inbox).content.decode()

    assert "2 messages marked as answered." in content
    assert "1 row was not changed: Oldest Sender" in content
    assert "This message is already marked as answered." in content
    assert AuditEntry.objects.filter(action="network.contact_message.answer").count() == 2


def test_others_are_refused(client, inbox, member):
    client.force_login(member)
    assert client.get(reverse("network:message_list")).status_code == 403
    assert _mark(client, inbox).status_code == 403
    assert not ContactMessage.objects.filter(answered_at__isnull=False).exists()
