"""Demo discussions: public categories (harm reduction practice, drug policy), members-only
ones (the members' lounge, two sub-regions) and the steering committee's own, with
threads in English and Russian written by the demo logins over the past weeks: replies,
an @mention, a pinned thread, a locked one, an edited post and a flagged post waiting in
the secretariat's queue. The demo member follows the members' lounge and has unread
posts there, so their start page shows work. Nothing names a client.

Written through the services (counters, search entries, mentions, notifications), then
dated back. Idempotent: a thread that exists is not written again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.discussions.models import (
    Category,
    Flag,
    Notification,
    Post,
    PostRevision,
    Thread,
    Watch,
    WorkingGroup,
)
from hrnet.discussions.services import following, moderation, posting
from hrnet.discussions.services.people import preference_for
from hrnet.geo.models import SubRegion
from hrnet.search.services import index_update

SEC, ORG, MEM, EXP = Role.SECRETARIAT, Role.ORGADMIN, Role.MEMBER, Role.EXPERT
GROUP_SLUG = "steering-committee"


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    names: dict[str, str]
    descriptions: dict[str, str]
    visibility: str
    kind: str
    position: int
    issue_area: str = ""
    subregion: str = ""


CATEGORIES = [
    CategorySpec(
        slug="harm-reduction-practice",
        names={"en": "Harm reduction practice", "ru": "Практика снижения вреда"},
        descriptions={
            "en": "Naloxone, needle and syringe programmes, opioid agonist therapy, outreach: "
            "questions and experience from the field.",
            "ru": "Налоксон, программы обмена шприцев, опиоидная заместительная терапия, "
            "аутрич: вопросы и опыт с мест.",
        },
        visibility=Category.Visibility.PUBLIC,
        kind=Category.Kind.ISSUE_AREA,
        position=10,
        issue_area="ACCESS_TO_HEALTH",
    ),
    CategorySpec(
        slug="drug-policy-advocacy",
        names={"en": "Drug policy and advocacy", "ru": "Наркополитика и адвокация"},
        descriptions={
            "en": "Laws, policing, funding, and how members advocate for change.",
            "ru": "Законы, работа полиции, финансирование и опыт адвокации членов сети.",
        },
        visibility=Category.Visibility.PUBLIC,
        kind=Category.Kind.ISSUE_AREA,
        position=20,
        issue_area="DRUG_POLICY",
    ),
    CategorySpec(
        slug="members-lounge",
        names={"en": "Members' lounge", "ru": "Для членов сети"},
        descriptions={
            "en": "Only members of the network can read and write here.",
            "ru": "Читать и писать здесь могут только члены сети.",
        },
        visibility=Category.Visibility.MEMBERS,
        kind=Category.Kind.GENERAL,
        position=30,
    ),
    CategorySpec(
        slug="central-asia",
        names={"en": "Central Asia", "ru": "Центральная Азия"},
        descriptions={
            "en": "Members in Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan.",
            "ru": "Члены сети в Казахстане, Кыргызстане, Таджикистане, Туркменистане "
            "и Узбекистане.",
        },
        visibility=Category.Visibility.MEMBERS,
        kind=Category.Kind.SUBREGION,
        position=40,
        subregion="CENTRAL_ASIA",
    ),
    CategorySpec(
        slug="caucasus",
        names={"en": "Caucasus", "ru": "Кавказ"},
        descriptions={
            "en": "Members in Armenia, Azerbaijan and Georgia.",
            "ru": "Члены сети в Армении, Азербайджане и Грузии.",
        },
        visibility=Category.Visibility.MEMBERS,
        kind=Category.Kind.SUBREGION,
        position=50,
        subregion="CAUCASUS",
    ),
    CategorySpec(
        slug=GROUP_SLUG,
        names={"en": "Steering committee", "ru": "Координационный комитет"},
        descriptions={
            "en": "For the members of the steering committee only.",
            "ru": "Только для членов координационного комитета.",
        },
        visibility=Category.Visibility.GROUP,
        kind=Category.Kind.WORKING_GROUP,
        position=60,
    ),
]


@dataclass(frozen=True)
class PostSpec:
    author: str
    language: str
    days_ago: float
    body: str  # "{member}" and the like become that login's mention name


@dataclass(frozen=True)
class FlagSpec:
    reply: int  # index in `replies`
    by: str
    reason: str
    note: str


@dataclass(frozen=True)
class ThreadSpec:
    category: str
    title: str
    opening: PostSpec
    replies: list[PostSpec] = field(default_factory=list)
    pinned: bool = False
    locked: bool = False
    flag: FlagSpec | None = None
    edit: tuple[int, str] | None = None  # (index in `replies`, the text after the edit)


THREADS = [
    ThreadSpec(
        category="members-lounge",
        title="Welcome to the members' lounge: how we discuss here",
        pinned=True,
        opening=PostSpec(
            SEC,
            "en",
            34.2,
            "This space is for members of the network only: nothing here is public or "
            "found by search engines.\n\n"
            "A few rules we agreed on:\n\n"
            "- **No personal data of clients.** Never write names, addresses, photos or "
            "case details that could identify someone who uses services.\n"
            "- Write in English or Russian, whichever is easier for you.\n"
            "- Mention someone with @ and their mention name to ask them directly.\n"
            "- If a post worries you, flag it: the secretariat looks at every flag within "
            "a working day.",
        ),
        replies=[
            PostSpec(
                EXP,
                "ru",
                33.8,
                "Спасибо! Хорошо, что можно писать по-русски — так к обсуждениям "
                "присоединится больше коллег из Центральной Азии.",
            )
        ],
    ),
    ThreadSpec(
        category="harm-reduction-practice",
        title="Naloxone stock-outs: how are you coping?",
        opening=PostSpec(
            MEM,
            "en",
            21.4,
            "Our outreach team in Tbilisi has had no intranasal naloxone for three weeks: "
            "the last delivery is stuck at customs.\n\n"
            "We are giving out the injectable ampoules we still have, with syringes and a "
            "short training, but many peers do not trust themselves to inject it in an "
            "emergency.\n\n"
            "**How do you manage stock-outs?** Do you keep a buffer stock, borrow from "
            "other programmes, or buy locally?",
        ),
        replies=[
            PostSpec(
                EXP,
                "ru",
                20.6,
                "У нас в Алматы была та же история прошлой зимой. Помогли две вещи:\n\n"
                "1. Договорились с городским наркологическим центром, что он передаёт нам "
                "часть своего запаса, когда у нас заканчивается.\n"
                "2. Держим резерв на шесть недель и пересчитываем его каждый месяц.\n\n"
                "Инъекционный налоксон тоже работает, но без обучения не обойтись — "
                "хватает десяти минут.",
            ),
            PostSpec(
                ORG,
                "ru",
                19.3,
                "@{member}, в Киеве, когда донорские поставки задерживаются, мы закупаем "
                "налоксон через аптечную сеть по государственной цене. Могу переслать "
                "контакты поставщика и шаблон договора.",
            ),
            PostSpec(
                MEM,
                "en",
                18.9,
                "Thank you both! @{orgadmin}, yes please: the contract template would help "
                "a lot. We will also try the six-week buffer.",
            ),
            PostSpec(
                ORG,
                "ru",
                17.2,
                "Кстати, наш центр проводит платный онлайн-курс «Налоксон: от закупки до "
                "выдачи» — 50 евро с участника, для членов сети скидка. Запись на сайте "
                "нашего центра.",
            ),
        ],
        flag=FlagSpec(
            reply=3,
            by=EXP,
            reason=Flag.Reason.SPAM,
            note="Реклама платного курса. Может быть, лучше разместить его в мероприятиях?",
        ),
    ),
    ThreadSpec(
        category="central-asia",
        title="Выдача ОЗТ на руки зимой",
        opening=PostSpec(
            EXP,
            "ru",
            14.1,
            "Коллеги, зима снова показала, как трудно пациентам добираться до пунктов ОЗТ "
            "каждый день: дороги в горных районах закрыты, автобусы ходят через день.\n\n"
            "В Кыргызстане в этом году разрешили выдавать метадон на руки на срок до пяти "
            "дней пациентам со стабильной ремиссией. Как обстоят дела у вас? Есть ли где-то "
            "в регионе письменные правила выдачи на руки в чрезвычайных ситуациях?",
        ),
        replies=[
            PostSpec(
                SEC,
                "en",
                13.5,
                "WHO guidance on keeping opioid agonist therapy going in emergencies supports "
                "take-home doses for stable patients. The secretariat can prepare a short "
                "regional overview if three or more countries share their rules here.",
            ),
            PostSpec(
                MEM,
                "en",
                12.2,
                "In Georgia take-home doses are still not allowed, even in winter. A regional "
                "overview would help our advocacy a lot: count us in.",
            ),
            PostSpec(
                ORG,
                "ru",
                3.4,
                "В Украине за последние годы выдача на руки на срок до десяти дней стала "
                "обычной практикой, и пациентов, выбывших из программы, больше не стало. "
                "Могу поделиться обезличенными данными нашего центра.",
            ),
            PostSpec(
                EXP,
                "ru",
                2.1,
                "@{member}, пришлите, пожалуйста, ссылку на грузинский протокол — добавлю "
                "его в обзор.",
            ),
        ],
    ),
    ThreadSpec(
        category="drug-policy-advocacy",
        title="Финансирование программ обмена шприцев после ухода Глобального фонда",
        opening=PostSpec(
            ORG,
            "ru",
            28.3,
            "Глобальный фонд сокращает финансирование в нашей стране, и со следующего года "
            "программы обмена шприцев должны перейти на государственный бюджет. Пока в "
            "бюджете на это не заложено ничего.\n\n"
            "Кто уже прошёл такой переход? Что сработало: социальный заказ, муниципальные "
            "программы, включение в государственную программу по ВИЧ?",
        ),
        replies=[
            PostSpec(
                EXP,
                "ru",
                26.7,
                "В Казахстане часть программ перешла на государственный социальный заказ. "
                "Главный урок: начинайте переговоры минимум за два года и посчитайте "
                "стоимость услуг на одного клиента — без такого расчёта разговаривать с "
                "министерством финансов бесполезно.",
            ),
            PostSpec(
                MEM,
                "en",
                25.4,
                "Georgia went through this transition in stages. What made it work was a "
                "costed transition plan signed by the Ministry of Health, with the share of "
                "domestic funding rising every year. I can share our plan in English.",
            ),
            PostSpec(
                SEC,
                "en",
                24.8,
                "We have collected the transition plans members shared in the library.",
            ),
        ],
        edit=(
            2,
            "We have collected the transition plans members shared in the library. The "
            "secretariat will also run a webinar on costing harm reduction services next "
            "month.",
        ),
    ),
    ThreadSpec(
        category="members-lounge",
        title="A pattern of police checks near drop-in centres",
        opening=PostSpec(
            MEM,
            "en",
            9.3,
            "Over the last month peers from three member organisations have told us about "
            "police officers waiting near drop-in centres and checking everyone who "
            "leaves: in Tbilisi, Chișinău and Kyiv.\n\n"
            "This looks like a pattern rather than chance. Without sharing anything that "
            "could identify clients, could you tell us:\n\n"
            "- Has this happened near your services?\n"
            "- Did you talk to the police leadership, and did it help?\n\n"
            "If you document cases, please use the rights documentation tool, not this "
            "forum.",
        ),
        replies=[
            PostSpec(
                ORG,
                "ru",
                8.2,
                "Да, в Киеве такое было осенью. Помогла встреча с руководством районного "
                "управления полиции вместе с городским центром общественного здоровья: мы "
                "объяснили, что проверки отпугивают людей от услуг и от тестирования на ВИЧ. "
                "После встречи проверки у центра прекратились.",
            ),
            PostSpec(
                EXP,
                "ru",
                5.6,
                "В Бишкеке юристы нашей организации провели для участковых тренинг о законе "
                "и о программах снижения вреда. Стало заметно спокойнее. Если нужно, "
                "поделюсь материалами тренинга.",
            ),
            PostSpec(
                SEC,
                "en",
                1.3,
                "Thank you. The secretariat will raise this at the next regional dialogue "
                "with the police, and we will report back here.",
            ),
        ],
    ),
    ThreadSpec(
        category="members-lounge",
        title="Call for abstracts: regional harm reduction conference (closed)",
        locked=True,
        opening=PostSpec(
            SEC,
            "en",
            40.2,
            "The call for abstracts for the regional conference is open until the end of "
            "the month. Abstracts in English or Russian, up to 300 words; the form is on "
            "the conference page.",
        ),
        replies=[
            PostSpec(
                EXP,
                "ru",
                39.6,
                "Будет ли на конференции синхронный перевод на русский?",
            ),
            PostSpec(
                SEC,
                "en",
                30.1,
                "Yes, every session will have interpretation between English and Russian. "
                "The call is now closed: thank you for the 46 abstracts. The programme "
                "committee will write to every author; questions to the secretariat, please.",
            ),
        ],
    ),
    ThreadSpec(
        category=GROUP_SLUG,
        title="Повестка весенней встречи координационного комитета",
        opening=PostSpec(
            ORG,
            "ru",
            6.4,
            "Предлагаю повестку:\n\n"
            "1. Итоги года и отчёт секретариата.\n"
            "2. Переход программ на государственное финансирование: позиция сети.\n"
            "3. Выборы в комитет: сроки и порядок.\n\n"
            "Добавляйте пункты до конца недели.",
        ),
        replies=[
            PostSpec(
                EXP,
                "ru",
                5.2,
                "Предлагаю добавить пункт о региональном обзоре правил выдачи ОЗТ на руки.",
            ),
            PostSpec(
                SEC,
                "en",
                4.1,
                "Added. I will send the final agenda with the documents a week before the meeting.",
            ),
        ],
    ),
    ThreadSpec(
        category="caucasus",
        title="Hepatitis C treatment for people on OST",
        opening=PostSpec(
            MEM,
            "en",
            16.2,
            "We are preparing a joint letter to the health ministries about hepatitis C "
            "treatment for people on opioid agonist therapy. Does anyone have recent "
            "figures on treatment uptake in Armenia or Azerbaijan?",
        ),
        replies=[
            PostSpec(
                EXP,
                "ru",
                15.7,
                "Посмотрите обзор по гепатиту С в библиотеке сети: там есть данные по "
                "Армении за прошлый год.",
            ),
        ],
    ),
]

# The steering committee: the demo logins who sit on it (the secretariat reads every
# category anyway).
GROUP_MEMBERS = (SEC, ORG, EXP)


def _users() -> dict[str, User] | None:
    users = {
        user.email: user
        for user in User.objects.filter(email__in=[demo_email(r) for r in (SEC, ORG, MEM, EXP)])
    }
    found = {role: users.get(demo_email(role)) for role in (SEC, ORG, MEM, EXP)}
    if any(user is None for user in found.values()):
        return None
    return {role: user for role, user in found.items() if user is not None}


def _categories() -> dict[str, Category]:
    group, _created = WorkingGroup.objects.get_or_create(
        slug=GROUP_SLUG,
        defaults={"names": {"en": "Steering committee", "ru": "Координационный комитет"}},
    )
    categories = {}
    for spec in CATEGORIES:
        category, _created = Category.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "names": spec.names,
                "descriptions": spec.descriptions,
                "visibility": spec.visibility,
                "kind": spec.kind,
                "position": spec.position,
                "issue_area": IssueArea.objects.filter(code=spec.issue_area).first(),
                "subregion": SubRegion.objects.filter(code=spec.subregion).first(),
            },
        )
        if spec.visibility == Category.Visibility.GROUP:
            category.groups.add(group)
        categories[spec.slug] = category
    return categories


def _date_back(thread: Thread, days: list[float], now: Any) -> None:
    """Give the posts (in number order) the times of `days`; the counters follow."""
    for number, days_ago in enumerate(days, start=1):
        moment = now - timedelta(days=days_ago)
        Post.objects.filter(thread=thread, number=number).update(created_at=moment)
        Notification.objects.filter(post__thread=thread, post__number=number).update(
            created_at=moment
        )
        Flag.objects.filter(post__thread=thread, post__number=number).update(
            created_at=moment + timedelta(hours=3)
        )
        PostRevision.objects.filter(post__thread=thread, post__number=number).update(
            replaced_at=moment + timedelta(minutes=20)
        )
        Post.objects.filter(thread=thread, number=number, edited_at__isnull=False).update(
            edited_at=moment + timedelta(minutes=20)
        )
    first, last = now - timedelta(days=days[0]), now - timedelta(days=days[-1])
    Thread.objects.filter(pk=thread.pk).update(created_at=first, last_post_at=last)
    for post in Post.objects.filter(thread=thread).select_related("thread__category"):
        index_update(post)  # the search's dates are the posts'


def _thread_create(spec: ThreadSpec, *, category: Category, users: dict[str, User]) -> Thread:
    handles = {str(role): preference_for(user).handle for role, user in users.items()}

    def text(post: PostSpec) -> str:
        return post.body.format_map(handles)

    thread = posting.thread_create(
        actor=users[spec.opening.author],
        category=category,
        title=spec.title,
        body=text(spec.opening),
        language=spec.opening.language,
    )
    replies = [
        posting.post_create(
            actor=users[reply.author], thread=thread, body=text(reply), language=reply.language
        )
        for reply in spec.replies
    ]
    if spec.edit is not None:
        index, body = spec.edit
        posting.post_edit(actor=users[spec.replies[index].author], post=replies[index], body=body)
    if spec.flag is not None:
        moderation.post_flag(
            actor=users[spec.flag.by],
            post=replies[spec.flag.reply],
            reason=spec.flag.reason,
            note=spec.flag.note,
        )
    if spec.pinned:
        moderation.thread_pin(actor=users[SEC], thread=thread, pinned=True)
    if spec.locked:
        moderation.thread_lock(actor=users[SEC], thread=thread, locked=True)
    return thread


def discussions_demo_create() -> int:
    """Creates the demo categories and threads; returns how many threads it wrote (0 when
    they exist, or when the demo logins do not)."""
    users = _users()
    if users is None:
        return 0
    with transaction.atomic():
        categories = _categories()
        group = WorkingGroup.objects.get(slug=GROUP_SLUG)
        group.members.add(*[users[role] for role in GROUP_MEMBERS])
    now = timezone.now()
    created = 0
    for spec in THREADS:
        category = categories[spec.category]
        if Thread.objects.filter(category=category, title=spec.title).exists():
            continue
        with transaction.atomic():
            thread = _thread_create(spec, category=category, users=users)
            days = [spec.opening.days_ago, *(reply.days_ago for reply in spec.replies)]
            _date_back(thread, days, now)
        created += 1
    for category in categories.values():
        latest = Thread.objects.filter(category=category, hidden_at__isnull=True).aggregate(
            latest=Max("last_post_at")
        )["latest"]
        Category.objects.filter(pk=category.pk).update(last_post_at=latest)
    # The demo member follows the lounge, where others wrote after them: unread work.
    member = users[MEM]
    if not Watch.objects.filter(user=member, category=categories["members-lounge"]).exists():
        following.category_watch(actor=member, category=categories["members-lounge"], watching=True)
    return created
