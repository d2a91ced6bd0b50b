"""Factories and a small register for the mailings tests (use `geography` first)."""

from __future__ import annotations

from typing import Any

import factory

from hrnet.mailings.models import Mailing, Segment
from hrnet.members.models import Affiliation, Membership
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
)


class SegmentFactory(factory.django.DjangoModelFactory[Segment]):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    filters = factory.LazyFunction(lambda: {"membership_status": "current"})


class MailingFactory(factory.django.DjangoModelFactory[Mailing]):
    class Meta:
        model = Mailing

    segment = factory.SubFactory(SegmentFactory)
    subjects = factory.LazyFunction(lambda: {"en": "Hello members", "ru": "Привет, члены сети"})
    bodies = factory.LazyFunction(
        lambda: {"en": "News from the **network**.", "ru": "Новости **сети**."}
    )


def member_organisation(
    iso2: str = "GE", *, contact_email: str = "", language: str = "en", **fields: Any
) -> Any:
    """A current member organisation in `iso2`, with a contact person when `contact_email`."""
    organisation = OrganisationFactory.create(country=country(iso2), **fields)
    MembershipFactory.create(organisation=organisation)
    if contact_email:
        person = PersonFactory.create(
            email=contact_email, country=country(iso2), languages=[language]
        )
        AffiliationFactory.create(
            person=person, organisation=organisation, role=Affiliation.Role.CONTACT
        )
    return organisation


def individual_member(email: str, iso2: str = "GE", *, language: str = "en", **fields: Any) -> Any:
    person = PersonFactory.create(
        email=email, country=country(iso2), languages=[language], **fields
    )
    MembershipFactory.create(organisation=None, person=person, status=Membership.Status.ACTIVE)
    return person
