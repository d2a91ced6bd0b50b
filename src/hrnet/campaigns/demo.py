"""Demo campaigns: a "Support. Don't Punish"-style decriminalisation campaign across
several countries, and a campaign for domestic financing of harm reduction after the
Global Fund transition; each with past actions done and future ones planned, outcomes with
evidence links, participating demo organisations and signatures (verified, one pending).
Idempotent: does nothing when the demo campaigns exist."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.campaigns.models import Campaign, CampaignAction, CampaignParticipant
from hrnet.campaigns.services import (
    EvidenceLink,
    TargetSpec,
    campaign_action_create,
    campaign_create,
    campaign_outcome_create,
    signature_create,
    signature_review,
)
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.members.models import Membership, Organisation

SLUGS = ("support-dont-punish", "domestic-funding-for-harm-reduction")


def _user(role: str) -> User | None:
    return User.objects.filter(email=demo_email(role)).first()


def _countries(*codes: str) -> list[Country]:
    return list(Country.objects.filter(iso2__in=codes))


def _member_organisations(codes: tuple[str, ...], count: int) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            country__iso2__in=codes, memberships__status__in=Membership.CURRENT_STATUSES
        ).order_by("pk")[:count]
    )


def _day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def campaigns_demo_create() -> None:
    if Campaign.all_objects.filter(slug__in=SLUGS).exists():
        return
    actor = _user(Role.SECRETARIAT)
    if actor is None:
        return
    with transaction.atomic():
        _decriminalisation(actor)
        _domestic_funding(actor)


def _actions(campaign: Campaign, actor: User, items: list[tuple[int, str, str, str, str]]) -> None:
    for days, kind, en, ru, description in items:
        if days < 0:
            status = CampaignAction.Status.DONE
        elif days < 30:
            status = CampaignAction.Status.IN_PROGRESS
        else:
            status = CampaignAction.Status.PLANNED
        campaign_action_create(
            campaign=campaign,
            actor=actor,
            date=_day(days),
            kind=kind,
            status=status,
            titles={"en": en, "ru": ru},
            descriptions={"en": description} if description else None,
        )


def _participants(campaign: Campaign, organisations: list[Organisation], actor: User) -> None:
    # Written directly: the demo organisations' admins have no logins to join with.
    CampaignParticipant.objects.bulk_create(
        [
            CampaignParticipant(campaign=campaign, organisation=o, joined_by=actor)
            for o in organisations
        ]
    )


def _signatures(
    campaign: Campaign, actor: User, signers: list[tuple[str, str, str]], pending: int = 1
) -> None:
    """Sign-ons by organisations outside the network, named as each signed: in Russian or
    in English, with a contact person (all invented)."""
    for index, (name, iso2, contact) in enumerate(signers):
        signature = signature_create(
            campaign=campaign,
            actor=None,
            organisation_name=name,
            country=Country.objects.get(iso2=iso2),
            contact_name=contact,
            contact_email=f"signatory{index}@demo-campaigns.example",
        )
        if index < len(signers) - pending:
            signature_review(signature=signature, actor=actor, verified=True)


def _decriminalisation(actor: User) -> None:
    codes = ("UA", "GE", "KZ", "KG", "MD")
    coordinators = _member_organisations(("GE",), 1)
    campaign = campaign_create(
        actor=actor,
        slug=SLUGS[0],
        titles={
            "en": "Support. Don't Punish: decriminalise people who use drugs",
            "ru": "Поддержи. Не наказывай: декриминализация людей, употребляющих наркотики",
        },
        goals={
            "en": "Remove criminal penalties for possession of drugs for personal use and "
            "invest in health and social services instead.",
            "ru": "Отменить уголовное наказание за хранение наркотиков для личного "
            "употребления и вложить средства в здравоохранение и социальные услуги.",
        },
        descriptions={
            "en": "Part of the global **Support. Don't Punish** movement. Each year on "
            "26 June members hold actions in their cities and meet decision makers.",
            "ru": "Часть глобального движения **Support. Don't Punish**. Каждый год 26 июня "
            "члены сети проводят акции в своих городах и встречаются с лицами, "
            "принимающими решения.",
        },
        status=Campaign.Status.ACTIVE,
        starts_on=_day(-400),
        statement_texts={
            "en": "We, the undersigned organisations, call on our governments to end the "
            "criminalisation of people who use drugs.",
            "ru": "Мы, нижеподписавшиеся организации, призываем наши правительства прекратить "
            "криминализацию людей, употребляющих наркотики.",
        },
        statement_open=True,
        countries=_countries(*codes),
        issue_areas=list(IssueArea.objects.filter(code="HUMAN_RIGHTS")),
        coordinators=coordinators,
        targets=[
            TargetSpec(
                name="Parliamentary Committee on Health",
                institution="Parliament of Georgia",
                country=Country.objects.filter(iso2="GE").first(),
            ),
            TargetSpec(
                institution="Ministry of Internal Affairs of Kazakhstan",
                country=Country.objects.filter(iso2="KZ").first(),
            ),
            TargetSpec(
                name="Minister of Health",
                institution="Ministry of Health of Ukraine",
                country=Country.objects.filter(iso2="UA").first(),
            ),
        ],
    )
    _actions(
        campaign,
        actor,
        [
            (
                -360,
                "milestone",
                "Global day of action, 26 June",
                "Глобальный день действий, 26 июня",
                "Actions in 14 cities.",
            ),
            (
                -200,
                "action",
                "Policy brief sent to health committees",
                "Аналитическая записка направлена в комитеты по здравоохранению",
                "",
            ),
            (
                -30,
                "action",
                "Round table with the Ministry of Internal Affairs",
                "Круглый стол с МВД",
                "",
            ),
            (
                20,
                "action",
                "Petition delivered to parliament",
                "Передача петиции в парламент",
                "",
            ),
            (
                120,
                "milestone",
                "Next global day of action",
                "Следующий глобальный день действий",
                "",
            ),
        ],
    )
    campaign_outcome_create(
        campaign=campaign,
        actor=actor,
        date=_day(-100),
        descriptions={
            "en": "The health committee put the amendments on possession for personal use on "
            "its agenda.",
            "ru": "Комитет по здравоохранению включил поправки о хранении для личного "
            "употребления в свою повестку.",
        },
        evidence_links=[
            EvidenceLink(url="https://supportdontpunish.org/", label="Support. Don't Punish"),
        ],
    )
    _participants(campaign, _member_organisations(codes, 6), actor)
    _signatures(
        campaign,
        actor,
        [
            ("Tbilisi Harm Reduction Network", "GE", "Ketevan Lomidze"),
            ("Альянс «Здоровье сообществ» (Киев)", "UA", "Олена Ткаченко"),
            ("Инициатива по наркополитике (Алматы)", "KZ", "Динара Ахметова"),
            ("«Равный — равному» (Бишкек)", "KG", "Азамат Осмонов"),
        ],
    )


def _domestic_funding(actor: User) -> None:
    codes = ("RO", "BG", "RS", "MK", "ME", "KZ", "BY")
    campaign = campaign_create(
        actor=actor,
        slug=SLUGS[1],
        titles={
            "en": "Domestic funding for harm reduction after the Global Fund",
            "ru": "Государственное финансирование снижения вреда после ухода Глобального фонда",
        },
        goals={
            "en": "Governments take over the funding of needle and syringe programmes, "
            "naloxone and opioid agonist therapy before Global Fund grants end.",
            "ru": "Государства берут на себя финансирование программ обмена игл и шприцев, "
            "налоксона и опиоидной заместительной терапии до окончания грантов "
            "Глобального фонда.",
        },
        status=Campaign.Status.ACTIVE,
        starts_on=_day(-250),
        statement_texts={
            "en": "No one should lose access to harm reduction when donors leave.",
            "ru": "Никто не должен лишиться доступа к снижению вреда, когда уходят доноры.",
        },
        statement_open=True,
        countries=_countries(*codes),
        coordinators=_member_organisations(("RO",), 1) + _member_organisations(("KZ",), 1),
        targets=[
            TargetSpec(institution="Ministries of Finance"),
            TargetSpec(institution="Country Coordinating Mechanisms"),
        ],
    )
    _actions(
        campaign,
        actor,
        [
            (
                -220,
                "action",
                "Cost analysis of harm reduction services",
                "Анализ стоимости услуг снижения вреда",
                "",
            ),
            (
                -90,
                "milestone",
                "Transition plan adopted by the CCM",
                "СКК принял план перехода",
                "",
            ),
            (
                45,
                "action",
                "Budget hearings in parliament",
                "Бюджетные слушания в парламенте",
                "",
            ),
            (
                200,
                "milestone",
                "First state-funded social contracts",
                "Первые государственные социальные заказы",
                "",
            ),
        ],
    )
    campaign_outcome_create(
        campaign=campaign,
        actor=actor,
        date=_day(-60),
        descriptions={
            "en": "The national budget includes a line for needle and syringe programmes.",
            "ru": "В государственный бюджет включена статья на программы обмена игл и шприцев.",
        },
        evidence_links=[
            EvidenceLink(url="https://www.theglobalfund.org/", label="Global Fund transition"),
        ],
    )
    _participants(campaign, _member_organisations(codes, 5), actor)
    _signatures(
        campaign,
        actor,
        [
            ("Bucharest Harm Reduction Association", "RO", "Ioana Munteanu"),
            ("Sofia Health Rights Initiative", "BG", "Maja Georgieva"),
            ("Podgorica Outreach Group", "ME", "Marko Popović"),
        ],
    )
