"""Sign-on signatures in a person's data export, and their erasure: the contact person of
a signature is personal data (the organisation's signature itself stays, it is public)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hrnet.accounts.models import User
from hrnet.campaigns.models import Signature


def _signed_by(user: User | None, emails: list[str]) -> QuerySet[Signature]:
    condition = Q(signed_by=user) if user is not None else Q(pk__in=[])
    for email in emails:
        condition |= Q(contact_email__iexact=email)
    return Signature.objects.filter(condition)


def account_signature_data(user: User) -> dict[str, Any]:
    return {
        "campaign_signatures": [
            {
                "campaign": str(signature.campaign),
                "organisation": signature.organisation_name or str(signature.organisation or ""),
                "contact_name": signature.contact_name,
                "contact_email": signature.contact_email,
                "status": signature.status,
                "signed_at": signature.signed_at.isoformat() if signature.signed_at else None,
            }
            for signature in _signed_by(user, [user.email]).select_related(
                "campaign", "organisation"
            )
        ]
    }


def account_signature_data_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    _signed_by(user, emails).update(
        contact_name=erased_name, contact_email="erased@erased.invalid", signed_by=None
    )
