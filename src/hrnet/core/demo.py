"""Demo content: one login per role and a little of everything the modules show."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from hrnet.accounts.models import Invitation, User
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
            log_action(actor=None, action="account.demo_create", obj=user)
        logins.append((str(role.label), user.email))
    return logins


def demo_content_create() -> None:
    secretariat = User.objects.get(email=demo_email(Role.SECRETARIAT))
    if not Invitation.all_objects.filter(email__endswith="@" + DEMO_DOMAIN).exists():
        invitation = Invitation.objects.create(
            email=f"new.expert@{DEMO_DOMAIN}",
            full_name="Nino New Expert",
            role=Role.EXPERT,
            language="ru",
            token=Invitation.new_token(),
            invited_by=secretariat,
            expires_at=timezone.now() + timedelta(days=settings.HRNET_INVITATION_DAYS),
        )
        log_action(actor=secretariat, action="invitation.create", obj=invitation)
