"""Demo service delivery: a year of contacts (a few thousand, invented) at the two sites
of the demo organisation that the evidence demo creates ("Drop-in centre", Kyiv; "Outreach
van", Odesa; the sitestaff demo user works at the first), rolled up into evidence.
Deterministic and idempotent: does nothing once those sites have contacts."""

from __future__ import annotations

from django.db import transaction

from hrnet.accounts.roles import Role
from hrnet.evidence.demo import _sites_create, _user
from hrnet.outreach.generator import contacts_generate
from hrnet.outreach.models import Contact
from hrnet.outreach.rollup import sites_recompute

SEED = 8
CLIENTS = 700
CONTACTS = 4000


@transaction.atomic
def outreach_demo_create() -> None:
    actor = _user(Role.SECRETARIAT)
    sites = _sites_create(actor)
    if not sites or Contact.objects.filter(site__in=sites).exists():
        return
    contacts_generate(sites=sites, clients=CLIENTS, contacts=CONTACTS, seed=SEED)
    sites_recompute(site_ids=[site.pk for site in sites], actor=actor)
