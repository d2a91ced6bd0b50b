"""Demo events: past and upcoming events of every type in English and Russian, a training
of four sessions, a full webinar with a waiting list (the demo logins registered), and the
next Commission on Narcotic Drugs session and a Global Fund board meeting as global
entries with "how we prepare" notes. Idempotent: does nothing when events exist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.events.models import Event, Registration
from hrnet.events.services.events import SessionSpec, event_create, event_publish, question_add
from hrnet.events.services.registration import registration_cancel, registration_create
from hrnet.geo.models import Country


def _user(role: str) -> Any:
    return get_user_model().objects.filter(email=demo_email(role)).first()


def _at(days: int, hour: int) -> datetime:
    """`days` from today at `hour`:00 UTC."""
    day = timezone.now().astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return day + timedelta(days=days)


def _next_march(day: int, hour: int) -> datetime:
    """The Commission on Narcotic Drugs meets in Vienna every March."""
    now = timezone.now()
    year = now.year if now.month < 3 else now.year + 1
    return datetime(year, 3, day, hour, 0, tzinfo=UTC)


def _areas(*codes: str) -> list[IssueArea]:
    return list(IssueArea.objects.filter(code__in=codes))


def _event(
    actor: Actor,
    *,
    sessions: list[tuple[datetime, datetime]],
    areas: tuple[str, ...] = (),
    **fields: Any,
) -> Event:
    fields.setdefault("visibility", Event.Visibility.PUBLIC)
    event = event_create(
        actor=actor,
        sessions=[SessionSpec(starts_at=start, ends_at=end) for start, end in sessions],
        issue_areas=_areas(*areas),
        **fields,
    )
    return event_publish(event=event, actor=actor)


def _hour(start: datetime, hours: float = 1.5) -> list[tuple[datetime, datetime]]:
    return [(start, start + timedelta(hours=hours))]


def events_demo_create() -> None:
    if Event.all_objects.exists():
        return
    secretariat = (
        _user(Role.SECRETARIAT) or get_user_model().objects.filter(is_superuser=True).first()
    )
    if secretariat is None:
        return
    people = [u for u in (_user(r) for r in (Role.MEMBER, Role.ORGADMIN, Role.EXPERT)) if u]
    with transaction.atomic():
        _create(secretariat, people)


def _create(secretariat: Any, people: list[Any]) -> None:
    moldova = Country.objects.filter(iso2="MD").first()
    kazakhstan = Country.objects.filter(iso2="KZ").first()
    online = "https://meet.example.org/hrnet-"

    # A full webinar with a waiting list: the member waits for a seat.
    full = _event(
        secretariat,
        kind=Event.Kind.WEBINAR,
        titles={
            "en": "Naloxone in the hands of peers: lessons from the region",
            "ru": "Налоксон в руках равных: опыт региона",
        },
        descriptions={
            "en": "Outreach workers from Moldova and Kazakhstan on take-home naloxone "
            "programmes: procurement, training of peers, recording overdoses reversed.",
            "ru": "Аутрич-работники из Молдовы и Казахстана о программах налоксона на руки: "
            "закупки, обучение равных консультантов, учёт предотвращённых передозировок.",
        },
        sessions=_hour(_at(9, 10)),
        time_zone="Europe/Chisinau",
        online_url=online + "naloxone",
        languages=["en", "ru"],
        interpretation="EN ↔ RU",
        speakers="Ion Rusu, outreach coordinator\nAigerim Sadykova, peer consultant",
        capacity=2,
        waiting_list=True,
        areas=("ACCESS_TO_HEALTH", "DRUG_POLICY"),
    )
    fillers = [_demo_participant(n) for n in range(2)]
    for person in fillers:
        registration_create(event=full, user=person, gender="woman", answers={})
    for person in people[:2]:
        registration_create(event=full, user=person, answers={})

    # A training of four sessions, with a registration question.
    training = _event(
        secretariat,
        kind=Event.Kind.TRAINING,
        titles={
            "en": "Community network development: a four-part training",
            "ru": "Развитие сетей сообществ: тренинг из четырёх частей",
        },
        descriptions={
            "en": "Governance, fundraising, advocacy planning and monitoring for "
            "community-led organisations of people who use drugs.",
            "ru": "Управление, привлечение средств, планирование адвокации и мониторинг для "
            "организаций, возглавляемых людьми, употребляющими наркотики.",
        },
        sessions=[
            (_at(14 + 7 * week, 8), _at(14 + 7 * week, 8) + timedelta(hours=2)) for week in range(4)
        ],
        time_zone="Asia/Almaty",
        online_url=online + "training",
        languages=["ru"],
        capacity=25,
        approval_required=True,
        areas=("COMMUNITY_SYSTEMS", "COMMUNITY_PARTICIPATION"),
    )
    question_add(
        event=training,
        actor=secretariat,
        labels={
            "en": "What does your organisation expect from the training?",
            "ru": "Чего ваша организация ждёт от тренинга?",
        },
        required=True,
    )
    if people:
        question = training.questions.get()
        registration_create(
            event=training, user=people[0], answers={str(question.pk): "Advocacy planning."}
        )

    _event(
        secretariat,
        kind=Event.Kind.DISCUSSION,
        titles={
            "en": "Discussion: women who use drugs and gender-based violence",
            "ru": "Дискуссия: женщины, употребляющие наркотики, и гендерное насилие",
        },
        sessions=_hour(_at(5, 12)),
        time_zone="Asia/Tbilisi",
        online_url=online + "women",
        languages=["en", "ru"],
        areas=("GENDER_EQUALITY", "HUMAN_RIGHTS"),
    )
    _event(
        secretariat,
        kind=Event.Kind.MEETING,
        titles={"en": "Members' annual meeting", "ru": "Ежегодное собрание членов сети"},
        sessions=[(_at(40, 7), _at(40, 15)), (_at(41, 7), _at(41, 13))],
        time_zone="Europe/Vilnius",
        venue="Hotel Neringa",
        city="Vilnius",
        visibility=Event.Visibility.MEMBERS,
        languages=["en", "ru"],
        interpretation="EN ↔ RU",
        capacity=80,
        areas=("COMMUNITY_PARTICIPATION",),
    )
    _event(
        secretariat,
        kind=Event.Kind.CONFERENCE,
        titles={
            "en": "Regional conference on hepatitis C elimination",
            "ru": "Региональная конференция по элиминации гепатита C",
        },
        sessions=[(_at(60, 6), _at(60, 14)), (_at(61, 6), _at(61, 12))],
        time_zone="Asia/Almaty",
        venue="Rixos",
        city="Almaty",
        country=kazakhstan,
        languages=["ru", "en"],
        capacity=150,
        areas=("VIRAL_HEPATITIS",),
    )

    # Past events, with a recording.
    past = _event(
        secretariat,
        kind=Event.Kind.WEBINAR,
        titles={
            "en": "Opioid agonist therapy in prisons",
            "ru": "Опиоидная заместительная терапия в местах лишения свободы",
        },
        sessions=_hour(_at(-30, 11)),
        time_zone="Europe/Chisinau",
        country=moldova,
        online_url=online + "ost-prisons",
        recording_url="https://video.example.org/ost-prisons",
        languages=["ru"],
        areas=("ACCESS_TO_HEALTH", "HIV"),
    )
    _event(
        secretariat,
        kind=Event.Kind.DISCUSSION,
        titles={
            "en": "Budget advocacy after donor transition",
            "ru": "Бюджетная адвокация после ухода доноров",
        },
        sessions=_hour(_at(-12, 9)),
        time_zone="Europe/Kyiv",
        online_url=online + "transition",
        languages=["en"],
        areas=("ADVOCACY_FUNDING", "INVESTMENT_EVALUATION"),
    )
    for person in people[:1]:
        Registration.objects.create(
            event=past,
            user=person,
            status=Registration.Status.CONFIRMED,
            confirmed_at=past.starts_at - timedelta(days=3),
            language=getattr(person, "preferred_language", "en") or "en",
        )

    # Global events the network prepares members for.
    cnd_start = _next_march(9, 8)
    _event(
        secretariat,
        kind=Event.Kind.GLOBAL,
        titles={
            "en": "Commission on Narcotic Drugs, regular session (Vienna)",
            "ru": "Комиссия по наркотическим средствам, очередная сессия (Вена)",
        },
        descriptions={
            "en": "The UN body that sets international drug policy meets in Vienna.",
            "ru": "Орган ООН, определяющий международную наркополитику, собирается в Вене.",
        },
        preparation_notes={
            "en": "We brief members on the draft resolutions in February, coordinate a "
            "joint civil-society statement, and support two community representatives "
            "to attend. Write to the secretariat to join the preparation group.",
            "ru": "В феврале мы проводим брифинг по проектам резолюций, готовим общее "
            "заявление гражданского общества и поддерживаем участие двух представителей "
            "сообществ. Чтобы войти в подготовительную группу, напишите в секретариат.",
        },
        external_url="https://www.unodc.org/unodc/en/commissions/CND/",
        sessions=[(cnd_start, cnd_start + timedelta(days=4, hours=8))],
        time_zone="Europe/Vienna",
        city="Vienna",
        areas=("DRUG_POLICY",),
    )
    board = _at(75, 7)
    _event(
        secretariat,
        kind=Event.Kind.GLOBAL,
        titles={
            "en": "Global Fund Board meeting",
            "ru": "Заседание Правления Глобального фонда",
        },
        preparation_notes={
            "en": "Through the Communities Delegation we share members' evidence on "
            "transition and co-financing in the region before the Board meets.",
            "ru": "Через Делегацию сообществ мы передаём данные членов сети о переходе на "
            "национальное финансирование и софинансировании до заседания Правления.",
        },
        external_url="https://www.theglobalfund.org/en/board/",
        sessions=[(board, board + timedelta(days=1, hours=8))],
        time_zone="Europe/Zurich",
        city="Geneva",
        areas=("ADVOCACY_FUNDING",),
    )
    # One cancellation moved the waiting list already once: show it in the demo.
    if len(fillers) > 1:
        holder = Registration.objects.get(event=full, user=fillers[1])
        registration_cancel(registration=holder, actor=fillers[1])


# Invented participants who fill seats (real-sounding names, never numbered ones).
PARTICIPANT_NAMES = (
    "Anna Kovalenko",
    "Timur Abdullaev",
    "Nino Gelashvili",
    "Ion Ceban",
    "Aigerim Sultanova",
    "Pavel Lebedev",
)


def _demo_participant(number: int) -> Any:
    user, created = get_user_model().objects.get_or_create(
        email=f"participant{number + 1}@demo.example",
        defaults={
            "full_name": PARTICIPANT_NAMES[number % len(PARTICIPANT_NAMES)],
            "preferred_language": "ru",
        },
    )
    if created:  # fills seats only: nobody signs in as them
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
