from __future__ import annotations

from typing import Any

import pytest

from hrnet.accounts.roles import Role
from hrnet.assistance.tests.factories import AssistanceRequestFactory, ExpertFactory
from hrnet.members.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory


@pytest.fixture(autouse=True)
def _emails_at_once(monkeypatch: Any) -> None:
    monkeypatch.setattr("hrnet.assistance.emails._schedule", lambda message: message.send())


@pytest.fixture
def people(geography: None, make_user: Any, secretariat: Any) -> dict[str, Any]:
    organisation = OrganisationFactory.create()
    requester = make_user(Role.ORGADMIN, preferred_language="ru")
    AffiliationFactory.create(
        person=PersonFactory.create(user=requester), organisation=organisation, is_admin=True
    )
    other = make_user(Role.ORGADMIN)
    AffiliationFactory.create(
        person=PersonFactory.create(user=other),
        organisation=OrganisationFactory.create(),
        is_admin=True,
    )
    expert = ExpertFactory.create()
    other_expert = ExpertFactory.create()
    return {
        "organisation": organisation,
        "requester": requester,
        "member": other,
        "expert": expert.user,
        "other_expert": other_expert.user,
        "secretariat": secretariat,
        "anonymous": None,
        "expert_obj": expert,
    }


@pytest.fixture
def assigned(people: dict[str, Any]) -> Any:
    return AssistanceRequestFactory.create(
        organisation=people["organisation"],
        filed_by=people["requester"],
        status="assigned",
        experts=[people["expert_obj"]],
    )
