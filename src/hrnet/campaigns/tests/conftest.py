"""People in every role a campaign page meets: anonymous, a member, the admin of a member
organisation, the admin of another member organisation, the secretariat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.members.models import Affiliation, Organisation
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)


def org_admin(organisation: Organisation | None = None) -> Any:
    """A user who administers `organisation` (a new current member by default)."""
    if organisation is None:
        organisation = OrganisationFactory.create()
        MembershipFactory.create(organisation=organisation)
    user = UserFactory.create(roles=[Role.ORGADMIN])
    AffiliationFactory.create(
        person=PersonFactory.create(user=user, email=user.email),
        organisation=organisation,
        role=Affiliation.Role.DIRECTOR,
        is_admin=True,
    )
    user.organisation = organisation  # type: ignore[attr-defined]  # for the tests
    return user


@dataclass
class People:
    anonymous: Any
    member: Any
    orgadmin: Any
    other_orgadmin: Any
    secretariat: Any


@pytest.fixture
def people(geography: None) -> People:
    return People(
        anonymous=AnonymousUser(),
        member=UserFactory.create(roles=[Role.MEMBER]),
        orgadmin=org_admin(),
        other_orgadmin=org_admin(),
        secretariat=UserFactory.create(roles=[Role.SECRETARIAT], is_staff=True),
    )
