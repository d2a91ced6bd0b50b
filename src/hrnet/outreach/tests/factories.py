"""Factories of sites and their staff. Use the `geography` fixture first: countries come
from the reference data."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import factory

from hrnet.members.models import Organisation
from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.outreach.models import Client, Contact, Site, SiteStaff


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    country = factory.LazyFunction(country)
    city = "Almaty"
    kind = Site.Kind.FIXED


class SiteStaffFactory(factory.django.DjangoModelFactory[SiteStaff]):
    class Meta:
        model = SiteStaff

    site = factory.SubFactory(SiteFactory)
    user = factory.SubFactory("hrnet.accounts.tests.factories.UserFactory")
    role = SiteStaff.Role.WORKER


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    class Meta:
        model = Client

    organisation = factory.LazyAttribute(lambda client: client.first_site.organisation)
    first_site = factory.SubFactory(SiteFactory)
    uic = factory.Sequence(lambda n: f"M{1980 + n % 30}АН{n:04d}")
    sex = Client.Sex.MALE
    birth_year = 1985


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    id = factory.LazyFunction(uuid.uuid4)
    client = factory.SubFactory(ClientFactory)
    site = factory.LazyAttribute(lambda contact: contact.client.first_site)
    date = datetime.date(2025, 3, 10)


def org_admin_of(organisation: Organisation) -> Any:
    """A user who administers `organisation` (a director with the admin flag)."""
    from hrnet.accounts.roles import Role
    from hrnet.accounts.tests.factories import UserFactory
    from hrnet.members.models import Affiliation
    from hrnet.members.tests.factories import AffiliationFactory, PersonFactory

    user = UserFactory.create(roles=[Role.ORGADMIN])
    AffiliationFactory.create(
        person=PersonFactory.create(user=user, email=user.email),
        organisation=organisation,
        role=Affiliation.Role.DIRECTOR,
        is_admin=True,
    )
    return user
