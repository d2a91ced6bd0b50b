"""Types shared by every app: who acts (a signed-in user or an anonymous visitor)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from hrnet.accounts.models import User

# Services, selectors and policies take the acting person as an `Actor`; `request.user` is one.
Actor: TypeAlias = "User | AnonymousUser"
