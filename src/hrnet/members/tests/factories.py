"""Factories for the member register. Use `geography` (conftest) first: countries come
from the reference data."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.utils import timezone

from hrnet.geo.models import Country, normalize_name
from hrnet.members.models import (
    Affiliation,
    Application,
    Membership,
    MembershipType,
    Organisation,
    Person,
    PrinciplesVersion,
)
from hrnet.members.similarity import match_key


def country(iso2: str = "MD") -> Country:
    return Country.objects.get(iso2=iso2)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    names = factory.Sequence(lambda n: {"en": f"Harm Reduction Org {n}", "ru": f"Организация {n}"})
    kind = Organisation.Kind.NGO
    country = factory.LazyFunction(country)
    city = "Chișinău"
    name_key = factory.LazyAttribute(lambda o: normalize_name(o.names["en"]))
    match_key = factory.LazyAttribute(lambda o: match_key(o.name_key))
    search_key = factory.LazyAttribute(
        lambda o: " | ".join(
            sorted(
                {
                    normalize_name(t)
                    for t in [*o.names.values(), getattr(o, "name_original", "")]
                    if t
                }
            )
        )
    )


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    country = factory.LazyFunction(country)
    name_key = factory.LazyAttribute(lambda o: normalize_name(o.full_name))
    match_key = factory.LazyAttribute(lambda o: match_key(o.name_key))


class AffiliationFactory(factory.django.DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Affiliation.Role.STAFF


class PrinciplesVersionFactory(factory.django.DjangoModelFactory[PrinciplesVersion]):
    class Meta:
        model = PrinciplesVersion
        django_get_or_create = ("number",)

    number = 1
    texts = factory.LazyAttribute(
        lambda o: {"en": f"Principles v{o.number}", "ru": f"Принципы, версия {o.number}"}
    )
    published_at = factory.LazyFunction(timezone.now)


def membership_type(
    kind: str = MembershipType.Kind.ORGANISATIONAL, **fields: Any
) -> MembershipType:
    defaults = {"names": {"en": kind.title()}, "kind": kind, **fields}
    return MembershipType.objects.get_or_create(code=fields.pop("code", kind), defaults=defaults)[0]


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    """An active organisational membership for the current calendar year by default."""

    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    person = None
    type = factory.LazyFunction(membership_type)
    start_date = factory.LazyFunction(lambda: date(timezone.localdate().year, 1, 1))
    end_date = factory.LazyFunction(lambda: date(timezone.localdate().year, 12, 31))
    status = Membership.Status.ACTIVE
    principles_version = factory.SubFactory(PrinciplesVersionFactory)


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    class Meta:
        model = Application

    kind = Application.Kind.ORGANISATION
    organisation = factory.SubFactory(OrganisationFactory)
    contact_name = "Olena Contact"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    language = "ru"
    principles_version = factory.SubFactory(PrinciplesVersionFactory)
    principles_accepted_at = factory.LazyFunction(timezone.now)
    access_token = factory.LazyFunction(Application.new_token)
