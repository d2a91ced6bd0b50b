"""Factories of technical assistance. Use the `geography` fixture first (countries)."""

from __future__ import annotations

from typing import Any

import factory

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.assistance.models import AssistanceRequest, Expert, Kind
from hrnet.core.models import IssueArea
from hrnet.members.tests.factories import OrganisationFactory, country


def issue_area(code: str = "hiv") -> IssueArea:
    return IssueArea.objects.get_or_create(code=code, defaults={"names": {"en": code.upper()}})[0]


class ExpertFactory(factory.django.DjangoModelFactory[Expert]):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=[Role.EXPERT], preferred_language="en")
    kinds = factory.LazyFunction(lambda: [Kind.ADVOCACY])
    languages = factory.LazyFunction(lambda: ["en"])

    @factory.post_generation
    def issue_areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.issue_areas.set(extracted)

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(extracted)


class AssistanceRequestFactory(factory.django.DjangoModelFactory[AssistanceRequest]):
    """A submitted request of an organisation; pass `experts=[...]` to assign them."""

    class Meta:
        model = AssistanceRequest
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Help with a Global Fund proposal {n}")
    issue_area = factory.LazyFunction(issue_area)
    kind = Kind.ADVOCACY
    country = factory.LazyFunction(country)
    description = "We need help."

    @factory.post_generation
    def experts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.experts.set(extracted)
