"""Messages sent through the contact form in a person's data export, and their erasure:
the sender's name, address and message are personal data."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hrnet.accounts.models import User
from hrnet.network.models import ContactMessage


def _sent_by(emails: list[str]) -> QuerySet[ContactMessage]:
    condition = Q(pk__in=[])
    for email in emails:
        condition |= Q(email__iexact=email)
    return ContactMessage.objects.filter(condition)


def contact_messages_data(user: User) -> dict[str, Any]:
    return {
        "contact_messages": [
            {
                "topic": str(message.topic),
                "name": message.name,
                "email": message.email,
                "message": message.message,
                "sent_at": message.created_at.isoformat(),
            }
            for message in _sent_by([user.email]).select_related("topic")
        ]
    }


def contact_messages_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    _sent_by(emails).update(name=erased_name, email="erased@erased.invalid", message="")
