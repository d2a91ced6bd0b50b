"""Factories of campaigns. Use `geography` (conftest) first: countries come from the
reference data. A campaign is public and active, with a statement open for signatures."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from hrnet.campaigns.models import (
    Campaign,
    CampaignAction,
    CampaignOutcome,
    CampaignParticipant,
    Signature,
)
from hrnet.geo.models import normalize_name
from hrnet.members.tests.factories import OrganisationFactory, country


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    titles = factory.Sequence(
        lambda n: {"en": f"Support. Don't Punish {n}", "ru": f"Поддержи. Не наказывай {n}"}
    )
    goals = factory.LazyFunction(
        lambda: {"en": "Decriminalise drug use.", "ru": "Декриминализация употребления."}
    )
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    status = Campaign.Status.ACTIVE
    visibility = Campaign.Visibility.PUBLIC
    statement_texts = factory.LazyFunction(
        lambda: {"en": "We call for health, not punishment.", "ru": "Здоровье, а не наказание."}
    )
    statement_open = True

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(extracted)


class CampaignActionFactory(factory.django.DjangoModelFactory[CampaignAction]):
    class Meta:
        model = CampaignAction

    campaign = factory.SubFactory(CampaignFactory)
    date = date(2025, 6, 26)
    kind = CampaignAction.Kind.ACTION
    status = CampaignAction.Status.DONE
    titles = factory.Sequence(lambda n: {"en": f"Global day of action {n}", "ru": f"День {n}"})


class CampaignOutcomeFactory(factory.django.DjangoModelFactory[CampaignOutcome]):
    class Meta:
        model = CampaignOutcome

    campaign = factory.SubFactory(CampaignFactory)
    date = date(2025, 9, 1)
    descriptions = factory.LazyFunction(lambda: {"en": "The ministry agreed to a review."})
    evidence_links = factory.LazyFunction(
        lambda: [{"url": "https://example.org/letter", "label": "Ministry letter"}]
    )


class CampaignParticipantFactory(factory.django.DjangoModelFactory[CampaignParticipant]):
    class Meta:
        model = CampaignParticipant

    campaign = factory.SubFactory(CampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class SignatureFactory(factory.django.DjangoModelFactory[Signature]):
    class Meta:
        model = Signature

    campaign = factory.SubFactory(CampaignFactory)
    organisation_name = factory.Sequence(lambda n: f"Signing Org {n}")
    country = factory.LazyFunction(country)
    name_key = factory.LazyAttribute(lambda o: normalize_name(o.organisation_name))
    contact_name = "Ivana Contact"
    contact_email = factory.Sequence(lambda n: f"contact{n}@signer.example")
    status = Signature.Status.VERIFIED
