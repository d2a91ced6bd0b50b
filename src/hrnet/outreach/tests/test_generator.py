"""The data generator and the demo: plausible, deterministic, rolled up."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from hrnet.evidence.models import DataValue
from hrnet.evidence.reference import indicators_load
from hrnet.evidence.services.outreach import SOURCE
from hrnet.members.tests.factories import OrganisationFactory
from hrnet.outreach.generator import contacts_generate, sites_create
from hrnet.outreach.models import Client, Contact, ContactItem, Referral, Site
from hrnet.outreach.uic import uic_is_valid

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 30)


def test_generate_outreach_writes_sites_clients_contacts_and_their_roll_up(geography):
    indicators_load()
    organisation = OrganisationFactory.create()

    call_command(
        "generate_outreach",
        "--sites=2",
        "--clients=60",
        "--contacts=600",
        "--seed=3",
        f"--organisation={organisation.pk}",
    )

    sites = Site.objects.filter(organisation=organisation)
    assert sites.count() == 2
    clients = Client.objects.filter(organisation=organisation)
    assert clients.count() == 60
    assert all(uic_is_valid(client.uic) for client in clients)
    assert Contact.objects.filter(site__in=sites).count() == 600
    assert ContactItem.objects.filter(contact__site__in=sites).exists()
    assert Referral.objects.filter(contact__site__in=sites).exists()
    assert not clients.filter(first_contact_on__isnull=True, contacts__isnull=False).exists()
    reached = DataValue.objects.filter(
        site__in=sites, source=SOURCE, indicator__code="PWID_REACHED", period_kind="month"
    )
    assert reached.count() >= 12  # a year of months at each of the two sites, at least


def test_the_same_seed_makes_the_same_contacts(geography):
    organisation = OrganisationFactory.create()
    first = sites_create(organisation=organisation, count=1, seed=1)
    contacts_generate(sites=first, clients=20, contacts=100, seed=9, today=TODAY)
    ids = set(Contact.objects.values_list("id", flat=True))
    Contact.objects.all().delete()
    Client.objects.all().delete()

    contacts_generate(sites=first, clients=20, contacts=100, seed=9, today=TODAY)

    assert set(Contact.objects.values_list("id", flat=True)) == ids
    dates = Contact.objects.values_list("date", flat=True)
    assert min(dates) > TODAY - datetime.timedelta(days=366)
    assert max(dates) <= TODAY


def test_demo_gives_the_two_demo_sites_a_year_of_contacts_once(geography):
    from hrnet.members.tests.factories import country
    from hrnet.outreach.demo import CONTACTS, SITES, outreach_demo_create

    indicators_load()
    OrganisationFactory.create(country=country("UA"))

    outreach_demo_create()
    outreach_demo_create()

    sites = Site.objects.filter(name__in=[name for name, _city, _kind in SITES])
    assert sites.count() == 2
    assert Contact.objects.filter(site__in=sites).count() == CONTACTS
    assert DataValue.objects.filter(site__in=sites, source=SOURCE).exists()
