"""Demo logins: one per role, shared by every app's demo module (`demo_email`). The demo
content itself is put together by the portal app (the composition layer)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from hrnet.accounts.audit import Action
from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.audit import log_action

DEMO_PASSWORD = "hrnet-demo"  # noqa: S105 - printed on the terminal on purpose
DEMO_DOMAIN = "demo.example"

DEMO_PEOPLE = {
    Role.SECRETARIAT: ("Aida Secretariat", "en", "Europe/Vilnius"),
    Role.ORGADMIN: ("Oleksandr Orgadmin", "ru", "Europe/Kyiv"),
    Role.MEMBER: ("Mariam Member", "en", "Asia/Tbilisi"),
    Role.EXPERT: ("Erlan Expert", "ru", "Asia/Almaty"),
    Role.SITESTAFF: ("Sabina Sitestaff", "ru", "Asia/Dushanbe"),
    Role.DOCUMENTER: ("Dmitri Documenter", "ru", "Europe/Chisinau"),
}


def demo_email(role: str) -> str:
    return f"{role}@{DEMO_DOMAIN}"


@transaction.atomic
def demo_users_create() -> list[tuple[str, str]]:
    """One login per role; rerunning resets their passwords. Refuses when DEBUG is off."""
    if not settings.DEBUG:
        raise RuntimeError("Demo logins are only created when DEBUG is on.")
    logins = []
    for role, (name, language, zone) in DEMO_PEOPLE.items():
        user, created = User.objects.get_or_create(
            email=demo_email(role),
            defaults={"full_name": name, "preferred_language": language, "time_zone": zone},
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.SECRETARIAT
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if created:
            log_action(actor=None, action=Action.ACCOUNT_DEMO_CREATE, obj=user)
        logins.append((str(role.label), user.email))
    return logins
