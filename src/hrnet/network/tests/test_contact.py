"""The contact form: reaches the topic's recipient by email, stores and audits the message,
refuses floods from one address, and quietly drops what bots send."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hrnet.core.models import AuditEntry
from hrnet.network.models import ContactMessage
from hrnet.network.tests.factories import ContactTopicFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics() -> dict[str, Any]:
    membership = ContactTopicFactory.create(
        names={"en": "Membership", "ru": "Членство"},
        recipient=TeamMemberFactory.create(full_name="Mira Members", email="mira@example.org"),
    )
    media = ContactTopicFactory.create(
        names={"en": "Media", "ru": "СМИ"},
        recipient=TeamMemberFactory.create(full_name="Pavel Press", email="pavel@example.org"),
    )
    return {"membership": membership, "media": media}


def _post(client: Any, topic: Any, **overrides: Any) -> Any:
    data = {
        "topic": topic.pk,
        "name": "Dana Visitor",
        "email": "dana@example.net",
        "message": "How does our organisation join?",
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("network:contact"), data)


def test_the_message_reaches_the_topics_recipient(
    client: Any, topics: dict[str, Any], mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, topics["media"])

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["pavel@example.org"]
    assert mailoutbox[0].reply_to == ["dana@example.net"]
    assert "How does our organisation join?" in mailoutbox[0].body
    stored = ContactMessage.objects.get()
    assert stored.topic == topics["media"]
    assert AuditEntry.objects.filter(action="network.contact_message.send").count() == 1


def test_the_page_never_shows_a_recipients_address(client: Any, topics: dict[str, Any]) -> None:
    html = client.get(reverse("network:contact")).content.decode()

    assert "Membership" in html
    assert "mira@example.org" not in html
    assert "Mira Members" not in html


def test_a_flood_from_one_address_is_refused_keeping_what_was_typed(
    client: Any, topics: dict[str, Any], settings: Any
) -> None:
    settings.HRNET_CONTACT_MESSAGES_PER_HOUR = 2
    for _ in range(2):
        assert _post(client, topics["membership"]).status_code == 302

    response = _post(client, topics["membership"], message="A third message, kept")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Too many messages" in html
    assert "A third message, kept" in html
    assert ContactMessage.objects.count() == 2


def test_the_flood_message_is_translated(
    client: Any, topics: dict[str, Any], settings: Any
) -> None:
    settings.HRNET_CONTACT_MESSAGES_PER_HOUR = 0

    response = client.post(
        reverse("network:contact").replace("/en/", "/ru/"),
        {
            "topic": topics["membership"].pk,
            "name": "Даша",
            "email": "d@example.net",
            "message": "Привет",
        },
    )

    assert response.status_code == 400
    assert "Привет" in response.content.decode()


def test_a_bot_filling_the_honeypot_sends_nothing(
    client: Any, topics: dict[str, Any], mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, topics["membership"], website="http://spam.example")

    assert response.status_code == 302
    assert mailoutbox == []
    assert not ContactMessage.objects.exists()


def test_an_invalid_email_is_refused_keeping_what_was_typed(
    client: Any, topics: dict[str, Any]
) -> None:
    response = _post(client, topics["membership"], email="dana@", message="Kept text")

    assert response.status_code == 400
    html = response.content.decode()
    assert "is not an email address" in html
    assert "Kept text" in html
    assert not ContactMessage.objects.exists()


def test_an_inactive_topic_cannot_be_chosen(client: Any, topics: dict[str, Any]) -> None:
    topic = topics["media"]
    topic.is_active = False
    topic.save()

    assert _post(client, topic).status_code == 400
    assert not ContactMessage.objects.exists()


def test_the_secretariat_reads_received_messages(
    client: Any, topics: dict[str, Any], secretariat: Any, member: Any
) -> None:
    _post(client, topics["membership"])
    url = reverse("network:message_list")

    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert "How does our organisation join?" in response.content.decode()
