"""Reads of the team and the contact form: the public team page (only the contact details
each member chose to publish), the secretariat's lists of members and topics, and the
messages visitors sent.

Published emails never reach the page as plain text (scrapers): the team page carries them
encoded and a small static script turns them into a mailto link on click.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from hrnet.core.types import Actor
from hrnet.network.contact_details import email_obfuscate, language_name, phone_display
from hrnet.network.models import ContactMessage, ContactTopic, TeamMember
from hrnet.network.policies import (
    contact_message_policy,
    contact_topic_policy,
    team_member_policy,
)


@dataclass
class PublicMember:
    """A team member as the public team page shows them: only what they chose to publish."""

    pk: int
    full_name: str
    role: str
    photo_url: str
    photo_alt: str
    languages: list[str] = field(default_factory=list)
    phone: str = ""  # E.164, for tel: links
    phone_display: str = ""
    email_encoded: str = ""  # see email_obfuscate
    topics: list[ContactTopic] = field(default_factory=list)


def team_members_public(*, user: Actor | None) -> list[PublicMember]:
    """Published team members in their order, with only their published contact details
    (no user: what an anonymous visitor sees)."""
    members = (
        team_member_policy.instances_user_has_permission_for(user or AnonymousUser(), "list")
        .filter(is_published=True)
        .order_by("position", "full_name")
    )
    topics: dict[int, list[ContactTopic]] = {}
    for topic in ContactTopic.objects.filter(is_active=True, recipient__in=members):
        topics.setdefault(topic.recipient_id, []).append(topic)
    return [
        PublicMember(
            pk=member.pk,
            full_name=member.full_name,
            role=member.role,
            photo_url=member.photo.url if member.photo else "",
            photo_alt=member.photo_alt,
            languages=[language_name(code) for code in member.languages],
            phone=member.phone if member.publish_phone else "",
            phone_display=phone_display(member.phone) if member.publish_phone else "",
            email_encoded=email_obfuscate(member.email)
            if member.publish_email and member.email
            else "",
            topics=topics.get(member.pk, []),
        )
        for member in members
    ]


def team_member_list(*, user: Actor) -> QuerySet[TeamMember]:
    """Every team member, published or not (the secretariat's list)."""
    return team_member_policy.instances_user_has_permission_for(user, "change").order_by(
        "position", "full_name"
    )


def team_member_get(*, user: Actor, pk: int) -> TeamMember:
    return team_member_list(user=user).get(pk=pk)


def contact_topics_active(*, user: Actor) -> QuerySet[ContactTopic]:
    """Topics a visitor may choose (their recipients stay on the server)."""
    return ContactTopic.objects.filter(is_active=True).order_by("position", "pk")


def contact_topic_list(*, user: Actor) -> QuerySet[ContactTopic]:
    return contact_topic_policy.instances_user_has_permission_for(user, "change").select_related(
        "recipient"
    )


def contact_topic_get(*, user: Actor, pk: int) -> ContactTopic:
    return contact_topic_list(user=user).get(pk=pk)


MESSAGE_STATES = ("unanswered", "answered", "all")


def contact_message_list(*, user: Actor, state: str = "all") -> QuerySet[ContactMessage]:
    """Received messages (the secretariat's inbox): the unanswered oldest first, as a
    queue; answered ones and all of them newest first, as a history."""
    messages = contact_message_policy.instances_user_has_permission_for(
        user, "list"
    ).select_related("topic__recipient", "answered_by")
    if state == "unanswered":
        return messages.filter(answered_at__isnull=True).order_by("created_at", "pk")
    if state == "answered":
        messages = messages.filter(answered_at__isnull=False)
    return messages.order_by("-created_at", "-pk")


def unanswered_messages(*, user: Actor) -> QuerySet[ContactMessage]:
    """Messages nobody marked as answered yet, oldest first (empty for all but the
    secretariat)."""
    return contact_message_list(user=user, state="unanswered")
