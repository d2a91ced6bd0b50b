"""/api/v1/me: who the API caller is (mounted at the root; the router carries its path)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from hrnet.accounts.roles import user_roles

router = Router(tags=["accounts"])


class MeOut(Schema):
    email: str
    full_name: str
    preferred_language: str
    time_zone: str
    roles: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict:
    """The signed-in person (token or session); 401 without credentials."""
    user = request.auth  # type: ignore[attr-defined]
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "roles": sorted(user_roles(user)),
    }
