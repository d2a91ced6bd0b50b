"""The demo content: each app's demo module, in the order their links need.

The logins come first (`hrnet.core.demo.demo_users_create`); every step is idempotent.
"""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlsplit, urlunsplit

from django.utils import timezone

from hrnet.accounts.demo import accounts_demo_create
from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.assistance.demo import assistance_demo_create
from hrnet.campaigns.demo import campaigns_demo_create
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.discussions.demo import discussions_demo_create
from hrnet.events.demo import events_demo_create
from hrnet.evidence.demo import evidence_demo_create
from hrnet.governance.demo import governance_demo_create
from hrnet.library.demo import library_demo_create
from hrnet.members.demo import members_demo_logins_create
from hrnet.members.models import Person
from hrnet.members.services.profiles import person_profile_update
from hrnet.network.demo import (
    network_demo_pages_create,
    network_demo_projects_create,
    network_demo_team_create,
)
from hrnet.news.demo import news_demo_create
from hrnet.outreach.changes import contacts_changed
from hrnet.outreach.demo import outreach_demo_create
from hrnet.outreach.generator import contacts_generate
from hrnet.outreach.models import Contact, Site, SiteStaff
from hrnet.outreach.services.sites import site_staff_assign
from hrnet.rights.demo import rights_demo_create

DEMO_MEMBER_AREAS = ("COMMUNITY_PARTICIPATION", "DRUG_POLICY")


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def demo_site_url(site_url: str, port: int) -> str:
    """The site's address on the demo's port, so links in emails and certificates open the
    demo that is running; an address elsewhere (a real domain) is left as it is."""
    parts = urlsplit(site_url)
    host = parts.hostname
    if host not in LOCAL_HOSTS:
        return site_url
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return urlunsplit((parts.scheme or "http", netloc, parts.path, "", ""))


def demo_content_create() -> None:
    members_demo_logins_create()
    _demo_knowledge_create()
    accounts_demo_create()
    _demo_work_create()


def _demo_work_create() -> None:
    """What the apps' demos leave a login without, so each start page has something in at
    least two queues: the demo member names the issue areas of their work (community
    mobilisation, drug policy), which brings them the events and resources on those; the
    demo outreach worker also works at their organisation's other sites (the mobile
    clinic is behind with its monthly form)."""
    member = Person.objects.filter(user__email=demo_email(Role.MEMBER)).first()
    if member is not None and not member.issue_areas.exists():
        person_profile_update(
            person=member,
            actor=member.user,
            full_name=member.full_name,
            city=member.city,
            expertise=member.expertise,
            languages=member.languages,
            issue_areas=IssueArea.objects.filter(code__in=DEMO_MEMBER_AREAS),
            is_public=member.is_public,
        )
    worker = User.objects.filter(email=demo_email(Role.SITESTAFF)).first()
    orgadmin = User.objects.filter(email=demo_email(Role.ORGADMIN)).first()
    home_sites = Site.objects.filter(staff__user=worker)
    others = Site.objects.filter(
        organisation__in=home_sites.values("organisation"), is_active=True
    ).exclude(pk__in=home_sites.values("pk"))
    if worker is not None and orgadmin is not None:
        for site in others:
            site_staff_assign(
                actor=orgadmin, site=site, email=worker.email, role=SiteStaff.Role.WORKER
            )
    if worker is not None:
        _demo_contacts_today(worker)


def _demo_contacts_today(worker: User) -> None:
    """A few contacts on the worker's own today (in their time zone: in Almaty the day
    starts five hours before it does in UTC), so their start page counts some."""
    zone = zoneinfo.ZoneInfo(worker.time_zone) if worker.time_zone else None
    today = timezone.localdate(timezone=zone)
    site = Site.objects.filter(staff__user=worker).order_by("pk").first()
    if site is None or Contact.objects.filter(site=site, date=today).exists():
        return
    contacts_generate(
        sites=[site], clients=3, contacts=3, seed=today.toordinal(), today=today, days=1
    )
    contacts_changed(site_ids=[site.pk], actor=worker)


def _demo_knowledge_create() -> None:
    """The library, news, events, technical assistance, campaigns, evidence, the
    discussions and governance (each idempotent; news, resources and posts are indexed
    for search by their services). Events follow the library (they link resources as
    materials); campaigns come last (they link events and news)."""
    library_demo_create()
    news_demo_create()
    events_demo_create()
    assistance_demo_create()
    campaigns_demo_create()  # links events and news, so after them
    evidence_demo_create()
    outreach_demo_create()  # contacts at the evidence demo's two sites
    network_demo_pages_create(actor=User.objects.filter(email=demo_email(Role.SECRETARIAT)).first())
    network_demo_projects_create()  # links events, resources and assistance requests
    network_demo_team_create()
    rights_demo_create()  # fictional cases by the demo documenter
    discussions_demo_create()  # threads by the demo logins, one flag for the secretariat
    governance_demo_create()  # an open election, assemblies (links the members' meeting)
