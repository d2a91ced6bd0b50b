"""Demo governance on the demo register: the steering committee election, open now (it
closes in ten days), with a network-wide seat, a seat for Central Asia and one for
Eastern Europe (each voted by that sub-region's members) and a seat for community-led
organisations; eight accepted candidates from several sub-regions with statements in
English and Russian; a committee of two demo logins; the roll of member organisations
frozen, so the demo organisation admin (an organisation in Kyiv) can vote.

And general assemblies: the annual one a few months ago, with its agenda, minutes and two
resolutions voted by the roll and published (the strategy adopted by a simple majority,
a statute amendment short of two thirds); and the next one, at the members' annual
meeting (the events demo's), whose first resolution adopts those minutes.

Idempotent: an election or assembly with the demo's title is not made again."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.events.models import Event
from hrnet.geo.models import SubRegion
from hrnet.governance.models import (
    AgendaItem,
    Assembly,
    Ballot,
    Candidate,
    Constituency,
    Election,
    Resolution,
    Roll,
    RollEntry,
    VoterRecord,
)
from hrnet.governance.services.assemblies import assembly_results_publish
from hrnet.governance.services.ballots import receipt_new
from hrnet.governance.services.roll import roll_freeze
from hrnet.library.models import Resource
from hrnet.members.models import Membership, Person

ELECTION_TITLES = {
    "en": "Election of the Steering Committee",
    "ru": "Выборы Координационного комитета",
}
ELECTION_DESCRIPTIONS = {
    "en": "The member organisations elect four of the seven members of the Steering "
    "Committee for the next two years: one for the whole network, one for Central Asia "
    "and one for Eastern Europe (each voted by the members of that sub-region) and one "
    "for community-led organisations of people who use drugs. Each member organisation "
    "has one vote, cast by its admin. Half of the roll must vote for the result to count.",
    "ru": "Организации — члены сети избирают четырёх из семи членов Координационного "
    "комитета на два года: одного от всей сети, одного от Центральной Азии и одного от "
    "Восточной Европы (за них голосуют члены сети из этих субрегионов) и одного от "
    "сообществ людей, употребляющих наркотики. У каждой организации один голос, его "
    "подаёт её администратор. Выборы состоятся, если проголосует половина списка.",
}
PAST_TITLES = {"en": "Annual General Assembly", "ru": "Ежегодное общее собрание"}
NEXT_TITLES = {
    "en": "General Assembly at the members’ annual meeting",
    "ru": "Общее собрание на ежегодной встрече членов сети",
}

# (constituency key, where the candidate works, statement EN, statement RU)
CANDIDATES: list[tuple[str, tuple[str, ...], str, str]] = [
    (
        "network",
        ("LT", "LV", "EE"),
        "For ten years I have run a needle and syringe programme and then a national "
        "coalition. Most of our countries are losing international funding: I want the "
        "network to help every member make the case for public money before the donors go.",
        "Десять лет я руковожу программой обмена шприцев, а затем национальной коалицией. "
        "Большинство наших стран теряют международное финансирование: я хочу, чтобы сеть "
        "помогла каждому члену добиться государственного финансирования до ухода доноров.",
    ),
    (
        "network",
        ("RS", "BA", "MK"),
        "I coordinate drug policy advocacy in the Western Balkans. On the committee I would "
        "push for joint campaigns on decriminalisation and for a stronger voice of our "
        "region at the Commission on Narcotic Drugs.",
        "Я координирую адвокацию в области наркополитики на Западных Балканах. В комитете я "
        "буду добиваться совместных кампаний за декриминализацию и более сильного голоса "
        "нашего региона в Комиссии по наркотическим средствам.",
    ),
    (
        "central_asia",
        ("KZ",),
        "I am an outreach worker turned programme manager. Take-home naloxone and opioid "
        "agonist therapy are still out of reach in much of Central Asia; I will bring the "
        "voices of our outreach teams to the committee.",
        "Я начинала аутрич-работником, теперь руковожу программами. Налоксон на руки и "
        "опиоидная заместительная терапия всё ещё недоступны во многих частях Центральной "
        "Азии; я приведу в комитет голос наших аутрич-команд.",
    ),
    (
        "central_asia",
        ("KG", "TJ", "UZ"),
        "Our organisation works with women who use drugs and their children. I want the "
        "network to put gender, violence and access to services for women on every agenda.",
        "Наша организация работает с женщинами, употребляющими наркотики, и их детьми. Я "
        "хочу, чтобы вопросы гендера, насилия и доступа женщин к услугам были в повестке "
        "каждого решения сети.",
    ),
    (
        "eastern_europe",
        ("UA",),
        "Through the war our services kept people on treatment, even when they had to move. "
        "I will share what we learned about keeping harm reduction going in a crisis.",
        "Во время войны наши службы сохранили людей на лечении, даже когда им пришлось "
        "переехать. Я поделюсь опытом, как не останавливать снижение вреда во время кризиса.",
    ),
    (
        "eastern_europe",
        ("MD", "BY"),
        "I have worked on harm reduction in prisons for eight years. I want the committee to "
        "make prisons and pre-trial detention part of the network's advocacy.",
        "Восемь лет я занимаюсь снижением вреда в местах лишения свободы. Я хочу, чтобы "
        "комитет сделал тюрьмы и СИЗО частью адвокации сети.",
    ),
    (
        "community_led",
        ("GE", "AM", "AZ"),
        "I am a person who uses drugs and a peer consultant. Nothing about us without us: "
        "community-led organisations must decide how the network spends its money.",
        "Я человек, употребляющий наркотики, и равный консультант. Ничего для нас без нас: "
        "сообщества должны решать, как сеть тратит свои деньги.",
    ),
    (
        "community_led",
        ("RU", "BY", "UA"),
        "Our peer-led group started in a kitchen and now runs three drop-in centres. I will "
        "work for small community groups to get a fair share of grants and training.",
        "Наша группа равных начиналась на кухне, а теперь у неё три центра. Я буду "
        "добиваться, чтобы небольшие группы сообществ получали справедливую долю грантов и "
        "обучения.",
    ),
]


def _user(role: str) -> User | None:
    return User.objects.filter(email=demo_email(role)).first()


def governance_demo_create() -> int:
    """The demo election and assemblies; how many of them were made (0 when they exist
    or the register or the logins are missing)."""
    secretariat = _user(Role.SECRETARIAT)
    if secretariat is None or not Person.objects.exists():
        return 0
    made = 0
    with transaction.atomic():
        if not Election.objects.filter(titles__en=ELECTION_TITLES["en"]).exists():
            _election_create(secretariat)
            made += 1
        past = Assembly.objects.filter(titles__en=PAST_TITLES["en"]).first()
        if past is None:
            past = _past_assembly_create(secretariat)
            made += 1
        if not Assembly.objects.filter(titles__en=NEXT_TITLES["en"]).exists():
            _next_assembly_create(secretariat, past)
            made += 1
    return made


# --- the election -------------------------------------------------------------------------


def _candidate_people(
    countries: tuple[str, ...], *, community_led: bool, used: set[int]
) -> Person | None:
    """A person of the register (no login) working for a current member organisation,
    from the first of `countries` that has one."""
    for iso2 in countries:
        people = Person.objects.filter(
            country__iso2=iso2,
            user__isnull=True,
            erased_at__isnull=True,
            affiliations__organisation__memberships__status__in=Membership.CURRENT_STATUSES,
        )
        if community_led:
            people = people.filter(affiliations__organisation__is_community_led=True)
        person = people.exclude(pk__in=used).order_by("pk").first()
        if person is not None:
            used.add(person.pk)
            return person
    return None


def _election_create(secretariat: User) -> Election:
    now = timezone.now()
    day = timedelta(days=1)
    roll = Roll.objects.create(
        voters=Roll.Voters.ORGANISATIONS, cutoff=timezone.localdate() - 40 * day
    )
    election = Election.objects.create(
        titles=ELECTION_TITLES,
        descriptions=ELECTION_DESCRIPTIONS,
        roll=roll,
        nominations_open_at=now - 40 * day,
        nominations_close_at=now - 12 * day,
        opens_at=now - 2 * day,
        closes_at=now + 10 * day,
        quorum_percent=50,
        tie_break=Election.TieBreak.LOT,
        announced_at=now - 42 * day,
        created_by=secretariat,
    )
    committee = [u for u in (_user(Role.MEMBER), _user(Role.EXPERT)) if u is not None]
    election.committee.set(committee)
    central_asia = SubRegion.objects.filter(countries__iso2="KZ").first()
    eastern_europe = SubRegion.objects.filter(countries__iso2="UA").first()
    seats = {
        "network": Constituency.objects.create(
            election=election, names={"en": "Whole network", "ru": "Вся сеть"}, position=10
        ),
        "central_asia": Constituency.objects.create(
            election=election,
            names={"en": "Central Asia", "ru": "Центральная Азия"},
            subregion=central_asia,
            position=20,
        ),
        "eastern_europe": Constituency.objects.create(
            election=election,
            names={"en": "Eastern Europe", "ru": "Восточная Европа"},
            subregion=eastern_europe,
            position=30,
        ),
        "community_led": Constituency.objects.create(
            election=election,
            names={
                "en": "Community-led organisations",
                "ru": "Организации сообществ",
            },
            community_led_only=True,
            position=40,
        ),
    }
    used: set[int] = set()
    for key, countries, statement_en, statement_ru in CANDIDATES:
        person = _candidate_people(countries, community_led=key == "community_led", used=used)
        if person is None:
            continue
        organisation = (
            person.affiliations.filter(
                organisation__memberships__status__in=Membership.CURRENT_STATUSES
            )
            .select_related("organisation")
            .first()
        )
        Candidate.objects.create(
            election=election,
            constituency=seats[key],
            person=person,
            nominated_by=organisation.organisation if organisation else None,
            statements={"en": statement_en, "ru": statement_ru},
            status=Candidate.Status.ACCEPTED,
            decided_by=committee[0] if committee else None,
        )
    roll_freeze(actor=secretariat, roll=roll)
    Roll.objects.filter(pk=roll.pk).update(frozen_at=now - 30 * day)
    return election


# --- the assemblies -----------------------------------------------------------------------


def _cast(resolution: Resolution, entries: list[RollEntry], answers: dict[str, float]) -> None:
    """Votes of `entries` in the shares of `answers`, as the ballots service stores them
    (a voter record by the day; a ballot with a random id and receipt, nothing shared),
    written in bulk and in unrelated orders."""
    rng = random.Random(resolution.pk)  # noqa: S311 - demo data
    counts = {answer: round(share * len(entries)) for answer, share in answers.items()}
    counts["yes"] += len(entries) - sum(counts.values())
    ballots = [
        Ballot(resolution=resolution, receipt=receipt_new(), answer=answer)
        for answer, count in counts.items()
        for _ in range(count)
    ]
    rng.shuffle(ballots)
    VoterRecord.objects.bulk_create(
        VoterRecord(
            roll_entry=entry,
            resolution=resolution,
            voted_on=timezone.localtime(resolution.opens_at).date(),
        )
        for entry in entries
    )
    Ballot.objects.bulk_create(ballots)


def _at(day: Any, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _past_assembly_create(secretariat: User) -> Assembly:
    today = timezone.localdate()
    date = today - timedelta(days=110)
    roll = Roll.objects.create(voters=Roll.Voters.ORGANISATIONS, cutoff=date - timedelta(days=30))
    assembly = Assembly.objects.create(
        titles=PAST_TITLES,
        descriptions={
            "en": "The yearly meeting of the members, online and in Chișinău: the Steering "
            "Committee's report, the strategy for 2027–2030 and a change to the statute.",
            "ru": "Ежегодная встреча членов сети, онлайн и в Кишинёве: отчёт Координационного "
            "комитета, стратегия на 2027–2030 годы и изменение устава.",
        },
        date=date,
        roll=roll,
        minutes={
            "en": "Present: delegates of member organisations, online and in Chișinău. The "
            "chair opened the assembly at 10:00 and the agenda was adopted.\n\n"
            "The Steering Committee presented its report; members asked about the "
            "transition from Global Fund grants and about the small grants programme.\n\n"
            "The strategy 2027–2030 was discussed and put to the vote. The proposal for a "
            "second community-led seat was discussed at length and put to the vote.\n\n"
            "The chair closed the assembly at 17:30.",
            "ru": "Присутствовали представители организаций — членов сети, онлайн и в "
            "Кишинёве. Председатель открыл собрание в 10:00, повестка дня утверждена.\n\n"
            "Координационный комитет представил отчёт; члены сети задавали вопросы о "
            "переходе от грантов Глобального фонда и о программе малых грантов.\n\n"
            "Стратегия на 2027–2030 годы обсуждена и вынесена на голосование. Предложение о "
            "втором месте для сообществ долго обсуждалось и вынесено на голосование.\n\n"
            "Председатель закрыл собрание в 17:30.",
        },
        created_by=secretariat,
    )
    document = (
        Resource.objects.filter(status=Resource.Status.PUBLISHED, language="en")
        .order_by("title")
        .first()
    )
    items = []
    for position, (titles, descriptions) in enumerate(
        [
            ({"en": "Opening and the agenda", "ru": "Открытие и повестка дня"}, {}),
            (
                {"en": "Report of the Steering Committee", "ru": "Отчёт Координационного комитета"},
                {
                    "en": "The year's work, the accounts and the auditor's opinion.",
                    "ru": "Работа за год, финансовый отчёт и заключение аудитора.",
                },
            ),
            (
                {"en": "Strategy 2027–2030", "ru": "Стратегия на 2027–2030 годы"},
                {
                    "en": "The draft was discussed with members in the spring consultations.",
                    "ru": "Проект обсуждался с членами сети на весенних консультациях.",
                },
            ),
            (
                {"en": "Amendment to the statute", "ru": "Изменение устава"},
                {
                    "en": "A second seat on the Steering Committee for community-led "
                    "organisations.",
                    "ru": "Второе место в Координационном комитете для организаций сообществ.",
                },
            ),
        ],
        start=1,
    ):
        item = AgendaItem.objects.create(
            assembly=assembly, position=position * 10, titles=titles, descriptions=descriptions
        )
        items.append(item)
    if document is not None:
        items[2].documents.add(document)
    opens, closes = _at(date, 14), _at(date, 17)
    strategy = Resolution.objects.create(
        assembly=assembly,
        agenda_item=items[2],
        titles={
            "en": "Adopt the strategy 2027–2030",
            "ru": "Утвердить стратегию на 2027–2030 годы",
        },
        texts={
            "en": "The General Assembly adopts the network's strategy for 2027–2030 as "
            "presented by the Steering Committee.",
            "ru": "Общее собрание утверждает стратегию сети на 2027–2030 годы в редакции, "
            "представленной Координационным комитетом.",
        },
        majority=Resolution.Majority.SIMPLE,
        quorum_percent=50,
        opens_at=opens,
        closes_at=closes,
    )
    statute = Resolution.objects.create(
        assembly=assembly,
        agenda_item=items[3],
        titles={
            "en": "Amend the statute: a second seat for community-led organisations",
            "ru": "Изменить устав: второе место для организаций сообществ",
        },
        texts={
            "en": "Article 12 of the statute is amended: two of the seven seats of the "
            "Steering Committee are reserved for community-led organisations.",
            "ru": "Статья 12 устава изменяется: два из семи мест в Координационном комитете "
            "закрепляются за организациями сообществ.",
        },
        majority=Resolution.Majority.TWO_THIRDS,
        quorum_percent=50,
        opens_at=opens,
        closes_at=closes,
    )
    roll_freeze(actor=secretariat, roll=roll)
    Roll.objects.filter(pk=roll.pk).update(frozen_at=_at(date - timedelta(days=30), 9))
    entries = list(RollEntry.objects.filter(roll=roll).order_by("pk"))
    rng = random.Random(2026)  # noqa: S311 - demo data
    voters = rng.sample(entries, round(len(entries) * 0.68))
    _cast(strategy, voters, {"yes": 0.74, "no": 0.17, "abstain": 0.09})
    _cast(statute, voters, {"yes": 0.58, "no": 0.36, "abstain": 0.06})
    assembly_results_publish(actor=secretariat, assembly=assembly)
    Assembly.objects.filter(pk=assembly.pk).update(published_at=_at(date + timedelta(days=2), 9))
    assembly.refresh_from_db()
    return assembly


def _next_assembly_create(secretariat: User, past: Assembly) -> Assembly:
    """At the members' annual meeting of the events demo (or in six weeks without it);
    the roll is left for the secretariat to freeze."""
    meeting = (
        Event.objects.filter(
            kind=Event.Kind.MEETING, status=Event.Status.PUBLISHED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    starts = meeting.starts_at if meeting else timezone.now() + timedelta(days=42)
    date = timezone.localtime(starts).date()
    assembly = Assembly.objects.create(
        titles=NEXT_TITLES,
        descriptions={
            "en": "Members meet in Vilnius and online. Register on the meeting's page.",
            "ru": "Члены сети встречаются в Вильнюсе и онлайн. Регистрация — на странице встречи.",
        },
        date=date,
        event=meeting,
        roll=Roll.objects.create(
            voters=Roll.Voters.ORGANISATIONS, cutoff=timezone.localdate() - timedelta(days=1)
        ),
        created_by=secretariat,
    )
    minutes = AgendaItem.objects.create(
        assembly=assembly,
        position=10,
        titles={
            "en": "Minutes of the previous assembly",
            "ru": "Протокол предыдущего собрания",
        },
    )
    AgendaItem.objects.create(
        assembly=assembly,
        position=20,
        titles={"en": "The new Steering Committee", "ru": "Новый Координационный комитет"},
        descriptions={
            "en": "The committee elected this year introduces itself.",
            "ru": "Избранный в этом году комитет представляется членам сети.",
        },
    )
    Resolution.objects.create(
        assembly=assembly,
        agenda_item=minutes,
        titles={
            "en": "Adopt the minutes of the Annual General Assembly",
            "ru": "Утвердить протокол Ежегодного общего собрания",
        },
        texts={
            "en": "The General Assembly adopts the minutes of its previous meeting.",
            "ru": "Общее собрание утверждает протокол своего предыдущего заседания.",
        },
        majority=Resolution.Majority.SIMPLE,
        quorum_percent=30,
        opens_at=starts,
        closes_at=starts + timedelta(hours=6),
        adopts_minutes_of=past,
    )
    return assembly
