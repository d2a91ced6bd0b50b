"""Factories of the network pages: pages with drafts and revisions, partners, projects with
commitments and outputs, team members and contact topics.

A `ProjectFactory` is published and has no commitments; pass `countries=[...]`,
`donors=[...]`, `partners=[...]` to link them (countries need the `geography` fixture).
A `CommitmentOutputFactory` links an event unless given a resource or assistance request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.utils import timezone

from hrnet.events.tests.factories import EventFactory
from hrnet.network.models import (
    Commitment,
    CommitmentOutput,
    ContactMessage,
    ContactTopic,
    Page,
    PageDraft,
    PageRevision,
    Partner,
    Project,
    TeamMember,
)


class PageFactory(factory.django.DjangoModelFactory[Page]):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"page-{n}")
    menu_position = factory.Sequence(lambda n: n)
    in_menu = True


class PageDraftFactory(factory.django.DjangoModelFactory[PageDraft]):
    class Meta:
        model = PageDraft

    page = factory.SubFactory(PageFactory)
    language = "en"
    title = factory.Sequence(lambda n: f"About the network {n}")
    summary = "A regional network of people who use drugs."
    body = "We represent the **interests** of people who use drugs."


class PageRevisionFactory(factory.django.DjangoModelFactory[PageRevision]):
    class Meta:
        model = PageRevision

    page = factory.SubFactory(PageFactory)
    language = "en"
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"About the network {n}")
    summary = "A regional network of people who use drugs."
    body = "We represent the **interests** of people who use drugs."
    published_at = factory.LazyFunction(timezone.now)


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    names = factory.Sequence(
        lambda n: {"en": f"Network of People Who Use Drugs {n}", "ru": f"Сеть ЛУН {n}"}
    )
    kind = Partner.Kind.COMMUNITY
    url = factory.Sequence(lambda n: f"https://partner{n}.example.org/")
    position = factory.Sequence(lambda n: n)


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"regional-platform-{n}")
    names = factory.Sequence(
        lambda n: {"en": f"Regional community platform {n}", "ru": f"Региональная платформа {n}"}
    )
    summaries = factory.LazyFunction(
        lambda: {
            "en": "Communities of people who use drugs take part in national responses.",
            "ru": "Сообщества людей, употребляющих наркотики, участвуют в национальных ответах.",
        }
    )
    objectives = factory.LazyFunction(
        lambda: {
            "en": "- Strengthen community leaders\n- Bring evidence to donors",
            "ru": "- Укрепить лидеров сообществ\n- Донести данные до доноров",
        }
    )
    start_date = date(2024, 1, 1)
    end_date = date(2026, 12, 31)
    is_published = True

    @factory.post_generation
    def donors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.donors.set(extracted)

    @factory.post_generation
    def partners(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(extracted)


class CommitmentFactory(factory.django.DjangoModelFactory[Commitment]):
    class Meta:
        model = Commitment

    project = factory.SubFactory(ProjectFactory)
    kind = Commitment.Kind.WEBINAR
    descriptions = factory.LazyFunction(
        lambda: {"en": "Webinars for community leaders", "ru": "Вебинары для лидеров сообществ"}
    )
    target = 5
    position = factory.Sequence(lambda n: n)


class CommitmentOutputFactory(factory.django.DjangoModelFactory[CommitmentOutput]):
    class Meta:
        model = CommitmentOutput

    commitment = factory.SubFactory(CommitmentFactory)
    event = factory.Maybe(
        factory.LazyAttribute(lambda o: o.resource is None and o.assistance_request is None),
        yes_declaration=factory.SubFactory(EventFactory),
        no_declaration=None,
    )
    resource = None
    assistance_request = None


class TeamMemberFactory(factory.django.DjangoModelFactory[TeamMember]):
    class Meta:
        model = TeamMember

    full_name = factory.Sequence(lambda n: f"Alex Example {n}")
    roles = factory.LazyFunction(
        lambda: {
            "en": "Head of network and community capacity development",
            "ru": "Руководитель сети и развития потенциала сообществ",
        }
    )
    languages = factory.LazyFunction(lambda: ["en", "ru"])
    email = factory.Sequence(lambda n: f"team{n}@example.org")
    phone = "+37322123456"
    publish_email = False
    publish_phone = False
    position = factory.Sequence(lambda n: n)
    is_published = True


class ContactTopicFactory(factory.django.DjangoModelFactory[ContactTopic]):
    class Meta:
        model = ContactTopic

    names = factory.Sequence(lambda n: {"en": f"Membership {n}", "ru": f"Членство {n}"})
    recipient = factory.SubFactory(TeamMemberFactory)
    position = factory.Sequence(lambda n: n)
    is_active = True


class ContactMessageFactory(factory.django.DjangoModelFactory[ContactMessage]):
    class Meta:
        model = ContactMessage

    topic = factory.SubFactory(ContactTopicFactory)
    name = "Visitor"
    email = factory.Sequence(lambda n: f"visitor{n}@example.org")
    message = "How can our organisation join the network?"
    language = "en"
