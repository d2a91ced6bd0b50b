"""The demo content: each app's demo module, in the order their links need.

The logins come first (`hrnet.core.demo.demo_users_create`); every step is idempotent.
"""

from __future__ import annotations

from hrnet.accounts.demo import accounts_demo_create
from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.assistance.demo import assistance_demo_create
from hrnet.campaigns.demo import campaigns_demo_create
from hrnet.core.demo import demo_email
from hrnet.events.demo import events_demo_create
from hrnet.evidence.demo import evidence_demo_create
from hrnet.library.demo import library_demo_create
from hrnet.members.demo import members_demo_logins_create
from hrnet.network.demo import (
    network_demo_pages_create,
    network_demo_projects_create,
    network_demo_team_create,
)
from hrnet.news.demo import news_demo_create
from hrnet.outreach.demo import outreach_demo_create
from hrnet.rights.demo import rights_demo_create


def demo_content_create() -> None:
    members_demo_logins_create()
    _demo_knowledge_create()
    accounts_demo_create()


def _demo_knowledge_create() -> None:
    """The library, news, events, technical assistance, campaigns and evidence (each idempotent;
    news and resources are indexed for search by their services). Events follow the
    library (they link resources as materials); campaigns come last (they link events and
    news)."""
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
