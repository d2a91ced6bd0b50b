"""Demo team and contact topics: a fictional contact person (never the real person of the
network's source document) as head of network and community capacity development, two
more fictional team members, and the contact form's topics routed to them. Idempotent:
members are found by name and topics by their English name."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from hrnet.accounts.roles import Role
from hrnet.core.demo import DEMO_DOMAIN, demo_email
from hrnet.network.models import ContactTopic, TeamMember
from hrnet.network.team import contact_topic_create, team_member_create

# Fictional people with fictional (but well-formed) phone numbers.
MEMBERS: list[dict[str, Any]] = [
    {
        "key": "contact",
        "full_name": "Mira Kovalenko",
        "roles": {
            "en": "Head of network and community capacity development",
            "ru": "Руководитель направления по развитию сети и потенциала сообществ",
        },
        "languages": ["en", "ru", "uk"],
        "email": f"contact@{DEMO_DOMAIN}",
        "phone": "+37322555010",
        "publish_email": True,
        "publish_phone": True,
        "position": 1,
    },
    {
        "key": "assistance",
        "full_name": "Timur Saidov",
        "roles": {
            "en": "Technical assistance coordinator",
            "ru": "Координатор технической помощи",
        },
        "languages": ["ru", "en", "uz"],
        "email": f"assistance@{DEMO_DOMAIN}",
        "phone": "+37322555011",
        "publish_email": False,
        "publish_phone": True,
        "position": 2,
    },
    {
        "key": "media",
        "full_name": "Lena Horvat",
        "roles": {"en": "Communications officer", "ru": "Специалист по коммуникациям"},
        "languages": ["en", "ru"],
        "email": f"media@{DEMO_DOMAIN}",
        "phone": "",
        "publish_email": False,
        "publish_phone": False,
        "position": 3,
    },
]

TOPICS: list[tuple[dict[str, str], str]] = [
    ({"en": "Membership", "ru": "Членство в сети"}, "contact"),
    ({"en": "Technical assistance", "ru": "Техническая помощь"}, "assistance"),
    ({"en": "Media", "ru": "СМИ"}, "media"),
]


def network_demo_team_create() -> None:
    """The demo team and topics, through the services (validated and audited), once."""
    actor = get_user_model().objects.filter(email=demo_email(Role.SECRETARIAT)).first()
    if actor is None:
        return
    with transaction.atomic():
        members: dict[str, TeamMember] = {}
        for spec in MEMBERS:
            fields = {name: value for name, value in spec.items() if name != "key"}
            member = TeamMember.objects.filter(full_name=spec["full_name"]).first()
            if member is None:
                member = team_member_create(actor=actor, **fields)
            members[spec["key"]] = member
        for position, (names, key) in enumerate(TOPICS, start=1):
            if ContactTopic.objects.filter(names__en=names["en"]).exists():
                continue
            contact_topic_create(
                actor=actor, names=names, recipient=members[key], position=position
            )
