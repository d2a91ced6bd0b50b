"""The team page and the secretariat's team pages."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.urls import reverse

from hrnet.core.models import AuditEntry
from hrnet.network.models import ContactTopic, TeamMember
from hrnet.network.tests.factories import ContactTopicFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def test_the_team_page_shows_published_members_in_order(client: Any) -> None:
    TeamMemberFactory.create(full_name="Second Person", position=2)
    TeamMemberFactory.create(full_name="First Person", position=1)
    TeamMemberFactory.create(full_name="Hidden Person", is_published=False, position=0)

    html = client.get(reverse("network:team")).content.decode()

    assert "Hidden Person" not in html
    assert html.index("First Person") < html.index("Second Person")
    assert "Head of network and community capacity development" in html


def test_the_russian_team_page_shows_the_russian_role(client: Any) -> None:
    TeamMemberFactory.create(full_name="Alex")

    html = client.get("/ru/team/").content.decode()

    assert "Руководитель сети и развития потенциала сообществ" in html


def test_unpublished_contact_details_never_reach_the_page(client: Any) -> None:
    TeamMemberFactory.create(email="quiet@example.org", phone="+380441234567")
    TeamMemberFactory.create(
        is_published=False,
        email="hidden@example.org",
        phone="+37322123456",
        publish_email=True,
        publish_phone=True,
    )

    html = client.get(reverse("network:team")).content.decode()

    for text in ("quiet@example.org", "hidden@example.org", "380441234567", "37322123456"):
        assert text not in html


def test_a_published_email_is_never_plain_in_the_html(client: Any) -> None:
    TeamMemberFactory.create(
        email="open@example.org", publish_email=True, phone="+380441234567", publish_phone=True
    )

    html = client.get(reverse("network:team")).content.decode()

    assert "open@example.org" not in html
    assert "example.org" not in html
    assert "mailto:" not in html
    encoded = base64.b64encode(b"open@example.org"[::-1]).decode()
    assert f'data-email="{encoded}"' in html
    assert 'href="tel:+380441234567"' in html
    assert "+380 44 123 4567" in html


def test_a_member_links_to_the_contact_form_by_topic(client: Any) -> None:
    topic = ContactTopicFactory.create(names={"en": "Media relations"})

    html = client.get(reverse("network:team")).content.decode()

    assert f"{reverse('network:contact')}?topic={topic.pk}" in html


def test_the_secretariat_adds_a_member_with_a_formatted_phone(
    client: Any, secretariat: Any
) -> None:
    client.force_login(secretariat)

    response = client.post(
        reverse("network:team_member_add"),
        {
            "full_name": "Olena Example",
            "role_en": "Head of network and community capacity development",
            "role_ru": "Руководитель",
            "languages": "en, ru, uk",
            "email": "olena@example.org",
            "phone": "+380 (44) 123-45-67",
            "publish_phone": "on",
            "position": "1",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    member = TeamMember.objects.get()
    assert member.phone == "+380441234567"
    assert member.languages == ["en", "ru", "uk"]
    assert AuditEntry.objects.filter(action="network.team_member.create").exists()


def test_an_invalid_phone_is_refused_on_the_form_keeping_what_was_typed(
    client: Any, secretariat: Any
) -> None:
    client.force_login(secretariat)

    response = client.post(
        reverse("network:team_member_add"),
        {"full_name": "Olena Kept", "role_en": "Coordinator", "phone": "12345", "position": "0"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a valid phone number" in html
    assert "Olena Kept" in html
    assert not TeamMember.objects.exists()


def test_the_secretariat_edits_a_member_and_adds_a_topic(client: Any, secretariat: Any) -> None:
    member = TeamMemberFactory.create(full_name="Old Name")
    client.force_login(secretariat)

    form_html = client.get(reverse("network:team_member_edit", args=[member.pk])).content.decode()
    assert "Old Name" in form_html
    response = client.post(
        reverse("network:team_member_edit", args=[member.pk]),
        {
            "full_name": "New Name",
            "role_en": "Coordinator",
            "email": "new@example.org",
            "position": "0",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "New Name"

    response = client.post(
        reverse("network:contact_topic_add"),
        {
            "name_en": "Technical assistance",
            "recipient": member.pk,
            "position": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ContactTopic.objects.get().recipient == member


@pytest.mark.parametrize(
    "name", ["team_manage", "team_member_add", "contact_topic_add", "message_list"]
)
def test_secretariat_pages_are_closed_to_others(client: Any, member: Any, name: str) -> None:
    assert client.get(reverse(f"network:{name}")).status_code == 302
    client.force_login(member)
    assert client.get(reverse(f"network:{name}")).status_code == 403
