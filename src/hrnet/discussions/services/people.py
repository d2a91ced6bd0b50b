"""Each person's discussion settings: their mention name, made once from their name, and
how they want to be emailed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from hrnet.accounts.models import User
from hrnet.discussions.mentions import handle_base
from hrnet.discussions.models import Preference


def preference_for(user: User) -> Preference:
    """The person's settings, created with a free mention name on first use."""
    found = Preference.objects.filter(user=user).first()
    if found is not None:
        return found
    base = handle_base(user.full_name or "member")
    for attempt in range(1, 1000):
        handle = base if attempt == 1 else f"{base}{attempt}"
        if Preference.objects.filter(handle=handle).exists():
            continue
        try:
            with transaction.atomic():
                return Preference.objects.create(user=user, handle=handle)
        except IntegrityError:
            found = Preference.objects.filter(user=user).first()
            if found is not None:
                return found  # created by a parallel request
    raise RuntimeError("no free mention name")  # pragma: no cover - 999 namesakes


def users_by_handles(handles: Iterable[str]) -> list[User]:
    handles = [h.lower() for h in handles]
    if not handles:
        return []
    return list(User.objects.filter(discussion_preference__handle__in=handles, is_active=True))
