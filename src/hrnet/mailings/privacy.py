"""A person's mailings in their data export, and their addresses taken out of the kept
recipient lists when their personal data is erased (registered with members' privacy)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from hrnet.accounts.models import User
from hrnet.mailings.models import Recipient, Unsubscription


def _by_emails(emails: list[str]) -> Q:
    condition = Q(pk__in=[])
    for email in emails:
        if email:
            condition |= Q(email__iexact=email)
    return condition


def account_mailing_data(user: User) -> dict[str, Any]:
    rows = Recipient.objects.filter(_by_emails([user.email])).select_related("mailing")
    return {
        "mailings": [
            {
                "subject": row.mailing.subjects.get(row.language) or str(row.mailing),
                "state": row.state,
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in rows
        ],
        "mailing_unsubscriptions": list(
            Unsubscription.objects.filter(_by_emails([user.email])).values_list(
                "category", flat=True
            )
        ),
    }


def account_mailing_data_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    """Keep the count of each sent mailing, not who got it."""
    for row in Recipient.objects.filter(_by_emails(emails)):
        row.email = f"erased-{row.pk}@erased.invalid"
        row.name = erased_name
        row.save(update_fields=["email", "name"])
