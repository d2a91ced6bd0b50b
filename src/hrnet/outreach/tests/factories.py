"""Factories of sites and their staff. Use the `geography` fixture first: countries come
from the reference data."""

from __future__ import annotations

import factory

from hrnet.members.tests.factories import OrganisationFactory, country
from hrnet.outreach.models import Site, SiteStaff


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
