"""Factories for rights cases. Use `geography` (conftest) first: countries come from the
reference data. CaseFactory writes through the ORM (no audit entry); tests of services
call `hrnet.rights.services.cases`."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.members.models import Organisation
from hrnet.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    country,
)
from hrnet.rights.models import Case, CaseShare, ViolationType

# pytest-django runs with DEBUG off, where crypto refuses to derive a key: tests set one.
TEST_KEY = "hZuNqH6n8w4m8d8Zq0vGm2Zb3k1b0yF7lY3c5s9aQ2E="


def use_test_keys(settings: Any, *keys: str) -> None:
    """Call from an autouse fixture: `use_test_keys(settings)` (the pytest-django one)."""
    settings.HRNET_RIGHTS_KEYS = list(keys or (TEST_KEY,))


class ViolationTypeFactory(factory.django.DjangoModelFactory[ViolationType]):
    class Meta:
        model = ViolationType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"violation-{n}")
    names = factory.LazyAttribute(
        lambda o: {"en": f"Violation {o.code}", "ru": f"Нарушение {o.code}"}
    )


def _violation_types(case: Case, create: bool, extracted: Any, **kwargs: Any) -> None:
    if create and extracted:
        case.violation_types.set(extracted)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    organisation = factory.SubFactory(OrganisationFactory)
    status = Case.Status.OPEN
    source = Case.Source.DOCUMENTER
    date_from = date(2024, 3, 14)
    country = factory.LazyFunction(country)
    locality = "Bălți"
    narrative = "Detained at the bus station and made to pay to be released."
    person_description = "A woman in her thirties who injects drugs."
    consent_to_record = True
    consent_date = date(2024, 3, 15)
    violation_types = factory.PostGeneration(_violation_types)


def documenter_of(organisation: Organisation, **fields: Any) -> Any:
    """A user with the DOCUMENTER role, a staff member of `organisation`."""
    user = UserFactory(roles=[Role.DOCUMENTER], **fields)
    AffiliationFactory(person=PersonFactory(user=user), organisation=organisation)
    return user


def admin_of(organisation: Organisation, **fields: Any) -> Any:
    """An organisation admin (who is told when their case is opened by break-glass)."""
    user = UserFactory(roles=[Role.ORGADMIN], **fields)
    AffiliationFactory(
        person=PersonFactory(user=user, email=user.email),
        organisation=organisation,
        is_admin=True,
    )
    return user


def shared_with(case: Case, reviewer: Any, shared_by: Any = None) -> CaseShare:
    return CaseShare.objects.create(case=case, reviewer=reviewer, shared_by=shared_by)
