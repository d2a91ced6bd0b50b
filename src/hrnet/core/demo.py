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
    _demo_members_create()
    _demo_knowledge_create()
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


def _secretariat() -> User | None:
    return User.objects.filter(email=demo_email(Role.SECRETARIAT)).first()


def _demo_knowledge_create() -> None:
    """The library, news, events, technical assistance, campaigns and evidence (each idempotent;
    news and resources are indexed for search by their services). Events follow the
    library (they link resources as materials); campaigns come last (they link events and
    news)."""
    from hrnet.assistance.demo import assistance_demo_create
    from hrnet.campaigns.demo import campaigns_demo_create
    from hrnet.events.demo import events_demo_create
    from hrnet.evidence.demo import evidence_demo_create
    from hrnet.library.demo import library_demo_create
    from hrnet.network.demo_pages import network_demo_pages_create
    from hrnet.network.demo_projects import network_demo_projects_create
    from hrnet.network.demo_team import network_demo_team_create
    from hrnet.news.demo import news_demo_create
    from hrnet.outreach.demo import outreach_demo_create
    from hrnet.rights.demo import rights_demo_create

    library_demo_create()
    news_demo_create()
    events_demo_create()
    assistance_demo_create()
    campaigns_demo_create()  # links events and news, so after them
    evidence_demo_create()
    outreach_demo_create()  # contacts at the evidence demo's two sites
    network_demo_pages_create(actor=_secretariat())
    network_demo_projects_create()  # links events, resources and assistance requests
    network_demo_team_create()
    rights_demo_create()  # fictional cases by the demo documenter


def _demo_members_create() -> None:
    """The member register, and the demo logins' places in it."""
    from hrnet.members.demo import members_demo_create
    from hrnet.members.models import Affiliation, Membership, Organisation, Person
    from hrnet.members.reference import principles_load
    from hrnet.members.services.memberships import (
        inherited_memberships_recompute,
        membership_start,
    )

    principles = principles_load()
    if not members_demo_create(principles=principles):
        return
    orgadmin = User.objects.get(email=demo_email(Role.ORGADMIN))
    organisation = (
        Organisation.objects.filter(country__iso2="UA", memberships__status="active")
        .order_by("pk")
        .first()
    )
    admin = Person.objects.create(
        full_name=orgadmin.full_name,
        email=orgadmin.email,
        country=organisation.country,
        user=orgadmin,
        name_key=orgadmin.full_name.lower(),
    )
    Affiliation.objects.create(
        person=admin, organisation=organisation, role=Affiliation.Role.DIRECTOR, is_admin=True
    )
    inherited_memberships_recompute(organisation=organisation)
    member_user = User.objects.get(email=demo_email(Role.MEMBER))
    member = Person.objects.create(
        full_name=member_user.full_name,
        email=member_user.email,
        country=organisation.country.__class__.objects.get(iso2="GE"),
        user=member_user,
        expertise="Community mobilisation",
        languages=["en", "ka", "ru"],
        is_public=True,
        name_key=member_user.full_name.lower(),
    )
    Membership.objects.filter(person=member).delete()
    membership_start(member=member, principles_version=principles, actor=None)
