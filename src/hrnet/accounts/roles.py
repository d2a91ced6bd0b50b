"""The roles people have in hrnet. A role is a Django group of the same name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrnet.core.types import Actor


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat staff")
    ORGADMIN = "orgadmin", _("Member organisation admin")
    MEMBER = "member", _("Member")
    EXPERT = "expert", _("Technical-assistance expert")
    SITESTAFF = "sitestaff", _("Site staff")
    DOCUMENTER = "documenter", _("Rights documenter")
    # Secretariat staff who read the public rights reports sent to the secretariat and
    # assign or share them (`rights.policies`); only a superuser names one.
    INTAKE_REVIEWER = "intake_reviewer", _("Intake reviewer of rights reports")


# Roles only a superuser gives or takes away (the admin's groups field hides them from
# everyone else, and the rights pages audit each naming).
SUPERUSER_NAMED_ROLES = frozenset({Role.INTAKE_REVIEWER})


def user_roles(user: Actor | None) -> set[str]:
    """The role names of `user`, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_hrnet_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._hrnet_roles = cached  # type: ignore[attr-defined]  # a cache for the request
    return cached


def user_has_role(user: Actor | None, *roles: str) -> bool:
    """True if `user` is active and has one of `roles`; superusers have every role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & set(roles))
