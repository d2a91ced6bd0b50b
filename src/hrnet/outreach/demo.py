"""Demo service delivery: the two sites of the demo organisation (a drop-in centre in Kyiv
and an outreach van in Odesa, named in Russian as their staff name them; the sitestaff demo
user works at the first) and a year of contacts
(a few thousand, invented) at them, which the evidence module rolls up into its values
when told the contacts changed (`outreach.changes`). The evidence demo builds on the same
sites (`demo_sites_create`). Deterministic and idempotent: does nothing once those sites
have contacts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.members.models import Organisation
from hrnet.outreach.changes import contacts_changed
from hrnet.outreach.generator import contacts_generate
from hrnet.outreach.models import Contact, Site, SiteStaff

SEED = 8
CLIENTS = 700
CONTACTS = 4000
# (name, city, kind): a site's name is one field, written as the team that runs it says it.
SITES = (
    ("Пункт доверия на Подоле", "Киев", Site.Kind.DROP_IN),
    ("Мобильная амбулатория «Одесса»", "Одесса", Site.Kind.MOBILE),
)


def _user(role: str) -> User | None:
    return get_user_model().objects.filter(email=demo_email(role)).first()


def demo_sites_create() -> list[Site]:
    """The demo organisation's two sites (the organisation of the orgadmin demo user, else
    the first in Ukraine), with the sitestaff demo user at the first; [] without one."""
    orgadmin = _user(Role.ORGADMIN)
    organisation = (
        Organisation.objects.filter(affiliations__person__user=orgadmin).order_by("pk").first()
        if orgadmin
        else None
    ) or Organisation.objects.filter(country__iso2="UA").order_by("pk").first()
    if organisation is None:
        return []
    sites = [
        Site.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"country": organisation.country, "city": city, "kind": kind},
        )[0]
        for name, city, kind in SITES
    ]
    worker = _user(Role.SITESTAFF)
    if worker is not None:
        SiteStaff.objects.get_or_create(
            site=sites[0], user=worker, defaults={"role": SiteStaff.Role.WORKER}
        )
    return sites


@transaction.atomic
def outreach_demo_create() -> None:
    actor = _user(Role.SECRETARIAT)
    sites = demo_sites_create()
    if not sites or Contact.objects.filter(site__in=sites).exists():
        return
    contacts_generate(sites=sites, clients=CLIENTS, contacts=CONTACTS, seed=SEED)
    contacts_changed(site_ids=[site.pk for site in sites], actor=actor)
