"""Demo news: stories from across the region on every issue area, in English and Russian,
several told in both languages (linked translations), one scheduled, a few with a generated
picture, its description and credit. Written through the services, so the audit log and
the search index have them too. Running it again adds nothing."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from hrnet.accounts.roles import Role
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.news.models import Article
from hrnet.news.services.articles import article_create, article_publish

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://hrnet.invalid/demo/news")


@dataclass(frozen=True)
class Version:
    title: str
    lead: str
    body: str
    alt: str = ""


@dataclass(frozen=True)
class Story:
    key: str
    issue_areas: list[str]
    countries: list[str]
    days_ago: float  # negative: scheduled that many days ahead
    versions: dict[str, Version]
    kind: str = Article.Kind.NEWS
    colours: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None
    credit: dict[str, str] = field(default_factory=dict)


CREDIT = {"en": "Illustration: hrnet demo", "ru": "Иллюстрация: демо hrnet"}

STORIES = [
    Story(
        key="naloxone-peers",
        issue_areas=["ACCESS_TO_HEALTH", "HIV"],
        countries=["UA", "MD"],
        days_ago=1,
        colours=((11, 92, 122), (242, 166, 73)),
        credit=CREDIT,
        versions={
            "en": Version(
                title="Peer outreach workers now carry naloxone in three more cities",
                lead=(
                    "Take-home naloxone reaches people who use opioids where overdoses "
                    "happen: in flats, stairwells and parks, not only in clinics."
                ),
                body=(
                    "Outreach teams of member organisations in Ukraine and Moldova started "
                    "handing out **take-home naloxone** kits this month, together with a "
                    "ten-minute training on recognising an overdose.\n\n"
                    "## What changed\n\n"
                    "- Peer workers, not only nurses, may now give out the kits.\n"
                    "- Each kit has two doses of intranasal naloxone and a leaflet in the "
                    "local language.\n"
                    "- Every reversal is recorded anonymously, so the network can show what "
                    "the programme achieves.\n\n"
                    "> “People trust someone who has been where they are,” says one of the "
                    "outreach coordinators.\n\n"
                    "The network's guidance on naloxone distribution is in the "
                    "[resource library](/en/library/)."
                ),
                alt="Abstract illustration in deep blue and amber",
            ),
            "ru": Version(
                title="Аутрич-работники из числа равных раздают налоксон ещё в трёх городах",
                lead=(
                    "Налоксон на руки доходит до людей, употребляющих опиоиды, там, где "
                    "случаются передозировки: в квартирах, подъездах и парках, а не только "
                    "в клиниках."
                ),
                body=(
                    "В этом месяце аутрич-команды организаций-членов в Украине и Молдове "
                    "начали выдавать **наборы налоксона на руки** вместе с десятиминутным "
                    "обучением распознаванию передозировки.\n\n"
                    "## Что изменилось\n\n"
                    "- Наборы теперь могут выдавать равные консультанты, а не только "
                    "медсёстры.\n"
                    "- В каждом наборе две дозы интраназального налоксона и памятка на "
                    "местном языке.\n"
                    "- Каждый случай спасения анонимно фиксируется, чтобы сеть могла "
                    "показать результаты программы.\n\n"
                    "> «Люди доверяют тому, кто сам прошёл через это», — говорит одна из "
                    "координаторов аутрич-работы."
                ),
                alt="Абстрактная иллюстрация в тёмно-синих и янтарных тонах",
            ),
        },
    ),
    Story(
        key="ost-prisons",
        issue_areas=["ACCESS_TO_HEALTH", "HUMAN_RIGHTS"],
        countries=["MD"],
        days_ago=3,
        colours=((40, 70, 50), (200, 220, 190)),
        credit=CREDIT,
        versions={
            "en": Version(
                title="Opioid agonist therapy continues behind bars",
                lead=(
                    "Two more penitentiary institutions now let people keep receiving "
                    "methadone when they are detained, instead of stopping treatment abruptly."
                ),
                body=(
                    "Interrupting **opioid agonist therapy (OST)** on arrest puts people at "
                    "risk of withdrawal, relapse and overdose after release. Member "
                    "organisations worked with prison health services for two years to "
                    "make continuity of care the rule.\n\n"
                    "The next step is starting OST inside prisons for people who were not on "
                    "treatment before, and linking them to a community site on release."
                ),
                alt="Abstract illustration in dark green and pale sage",
            ),
            "ru": Version(
                title="Опиоидная заместительная терапия продолжается и за решёткой",
                lead=(
                    "Ещё два пенитенциарных учреждения позволяют людям продолжать получать "
                    "метадон после задержания, вместо того чтобы резко прерывать лечение."
                ),
                body=(
                    "Прерывание **опиоидной заместительной терапии (ОЗТ)** при аресте грозит "
                    "абстиненцией, срывом и передозировкой после освобождения. "
                    "Организации-члены два года работали с тюремными медицинскими службами, "
                    "чтобы непрерывность лечения стала правилом.\n\n"
                    "Следующий шаг — начинать ОЗТ в местах лишения свободы и передавать "
                    "людей на сайт в сообществе после освобождения."
                ),
                alt="Абстрактная иллюстрация в тёмно-зелёных и светло-шалфейных тонах",
            ),
        },
    ),
    Story(
        key="hcv-testing",
        issue_areas=["VIRAL_HEPATITIS"],
        countries=["GE", "KZ"],
        days_ago=5,
        versions={
            "en": Version(
                title="Rapid hepatitis C testing at needle and syringe programmes",
                lead=(
                    "Testing where people already come for sterile equipment doubles the "
                    "number who learn their HCV status and start treatment."
                ),
                body=(
                    "Sites in Georgia and Kazakhstan offer a finger-prick **HCV antibody "
                    "test** with results in twenty minutes, and take a blood sample for the "
                    "RNA test on the spot when the result is reactive.\n\n"
                    "Direct-acting antivirals cure more than 95% of people who complete "
                    "treatment. The hard part is getting people to the first appointment; "
                    "peer navigators accompany them."
                ),
            ),
            "ru": Version(
                title="Экспресс-тестирование на гепатит C в программах обмена шприцев",
                lead=(
                    "Тестирование там, куда люди и так приходят за стерильным "
                    "инструментарием, вдвое увеличивает число тех, кто узнаёт свой "
                    "ВГС-статус и начинает лечение."
                ),
                body=(
                    "Сайты в Грузии и Казахстане предлагают **экспресс-тест на антитела к "
                    "ВГС** по капле крови с результатом через двадцать минут, а при "
                    "положительном результате сразу берут кровь на РНК.\n\n"
                    "Препараты прямого противовирусного действия излечивают более 95% "
                    "пациентов, завершивших курс. Труднее всего дойти до первого приёма — "
                    "поэтому людей сопровождают равные консультанты."
                ),
            ),
        },
    ),
    Story(
        key="global-fund-transition",
        issue_areas=["ADVOCACY_FUNDING", "INVESTMENT_EVALUATION"],
        countries=["KZ", "BY", "RO"],
        days_ago=8,
        versions={
            "en": Version(
                title="Global Fund transition: who will pay for harm reduction?",
                lead=(
                    "As international donors step back, governments must take over the "
                    "services that keep HIV and hepatitis in check among people who use drugs."
                ),
                body=(
                    "Countries leaving Global Fund support have often cut needle and syringe "
                    "programmes first: they serve people governments find easy to ignore.\n\n"
                    "The network's overview of the Global Fund's sustainability, transition "
                    "and co-financing policy explains what governments committed to, and "
                    "which milestones civil society can hold them to.\n\n"
                    "1. Ask for harm reduction lines in the national budget, by name.\n"
                    "2. Check that social contracting lets NGOs receive public money.\n"
                    "3. Track the first year after transition month by month."
                ),
            ),
            "ru": Version(
                title="Переход от поддержки Глобального фонда: кто заплатит за снижение вреда?",
                lead=(
                    "Когда международные доноры уходят, государства должны взять на себя "
                    "услуги, сдерживающие ВИЧ и гепатиты среди людей, употребляющих наркотики."
                ),
                body=(
                    "Страны, выходящие из-под поддержки Глобального фонда, часто первыми "
                    "сокращают программы обмена шприцев: их клиентов государству проще всего "
                    "не замечать.\n\n"
                    "Обзор политики Глобального фонда об устойчивости, переходе и "
                    "софинансировании объясняет, что обещали правительства и какие этапы "
                    "гражданское общество может с них спросить.\n\n"
                    "1. Добиваться отдельных строк на снижение вреда в национальном бюджете.\n"
                    "2. Проверить, что социальный заказ позволяет НКО получать "
                    "государственные средства.\n"
                    "3. Отслеживать первый год после перехода помесячно."
                ),
            ),
        },
    ),
    Story(
        key="community-led-monitoring",
        issue_areas=["COMMUNITY_SYSTEMS", "COMMUNITY_PARTICIPATION"],
        countries=["TJ", "KG"],
        days_ago=11,
        colours=((120, 40, 90), (250, 200, 120)),
        credit=CREDIT,
        versions={
            "en": Version(
                title="Community-led monitoring finds stock-outs of sterile syringes",
                lead=(
                    "Peer monitors visited 40 service points in Tajikistan and Kyrgyzstan; "
                    "one in four had run out of syringes at least once in three months."
                ),
                body=(
                    "**Community-led monitoring** puts people who use services in charge of "
                    "checking them. Monitors used a short checklist: opening hours, stock, "
                    "waiting time, how staff treat clients.\n\n"
                    "The findings went to the country coordinating mechanisms with three "
                    "requests: a buffer stock at every site, a phone line to report "
                    "shortages, and a seat for the community at procurement meetings."
                ),
                alt="Abstract illustration in plum and apricot",
            ),
            "ru": Version(
                title="Мониторинг силами сообществ выявил перебои со стерильными шприцами",
                lead=(
                    "Равные мониторы посетили 40 пунктов услуг в Таджикистане и Кыргызстане; "
                    "в каждом четвёртом шприцы хотя бы раз заканчивались за три месяца."
                ),
                body=(
                    "**Мониторинг силами сообществ** даёт людям, которые пользуются "
                    "услугами, возможность их проверять. Мониторы работали по короткому "
                    "чек-листу: часы работы, запасы, время ожидания, отношение персонала.\n\n"
                    "Результаты направлены в страновые координационные механизмы с тремя "
                    "просьбами: резервный запас на каждом сайте, телефон для сообщений о "
                    "нехватке и место для сообщества на совещаниях по закупкам."
                ),
                alt="Абстрактная иллюстрация в сливовых и абрикосовых тонах",
            ),
        },
    ),
    Story(
        key="decriminalisation-working-group",
        issue_areas=["DRUG_POLICY", "HUMAN_RIGHTS"],
        countries=["KG", "AM"],
        days_ago=13,
        versions={
            "ru": Version(
                title="Рабочая группа обсуждает отказ от уголовного преследования за "
                "хранение для личного употребления",
                lead=(
                    "Представители сообществ впервые участвуют в работе над поправками на "
                    "равных с юристами и сотрудниками правоохранительных органов."
                ),
                body=(
                    "Наказание за хранение небольших количеств наркотиков не снижает "
                    "употребление, но отпугивает людей от услуг здравоохранения и "
                    "переполняет места лишения свободы.\n\n"
                    "Сеть подготовила для рабочей группы обзор **нерепрессивной "
                    "наркополитики** в странах региона и предложения по пороговым "
                    "количествам."
                ),
            ),
        },
    ),
    Story(
        key="women-who-use-drugs",
        issue_areas=["GENDER_EQUALITY", "ACCESS_TO_HEALTH"],
        countries=["UA", "GE", "LT"],
        days_ago=16,
        colours=((150, 60, 60), (240, 220, 210)),
        credit=CREDIT,
        versions={
            "en": Version(
                title="Services for women who use drugs: lessons from five cities",
                lead=(
                    "Women-only hours, childcare during appointments and staff trained to "
                    "respond to violence bring more women to harm reduction services."
                ),
                body=(
                    "Women who use drugs face more stigma and more violence, and fear losing "
                    "custody of their children if they seek help. Programmes that changed "
                    "how they work saw the number of women clients grow within a year.\n\n"
                    "The case studies describe what each site changed and what it cost."
                ),
                alt="Abstract illustration in brick red and blush",
            ),
        },
    ),
    Story(
        key="cost-per-client",
        issue_areas=["INVESTMENT_EVALUATION"],
        countries=["MD"],
        days_ago=20,
        versions={
            "ru": Version(
                title="Сколько стоит один клиент: оценка затрат на программы снижения вреда",
                lead=(
                    "Новая методика сети помогает организациям посчитать стоимость услуг на "
                    "одного клиента и сравнить её с ценой бездействия."
                ),
                body=(
                    "Расчёт учитывает расходные материалы, зарплаты, аренду и управление. "
                    "Сравнение с затратами на лечение ВИЧ и гепатита C, которых удалось "
                    "избежать, — сильный аргумент в переговорах о **государственном "
                    "финансировании**.\n\n"
                    "Шаблон расчёта и инструкция — в библиотеке ресурсов."
                ),
            ),
        },
    ),
    Story(
        key="hiv-self-testing",
        issue_areas=["HIV"],
        countries=["KZ", "UZ"],
        days_ago=24,
        versions={
            "en": Version(
                title="HIV self-tests handed out with syringes and condoms",
                lead=(
                    "Oral self-tests let people test privately and come back to the site "
                    "for confirmation and a referral to ART."
                ),
                body=(
                    "Outreach workers offer an **HIV self-test** with every third contact. "
                    "People who test reactive are accompanied to the AIDS centre, where "
                    "treatment can start the same week."
                ),
            ),
            "ru": Version(
                title="Тесты на ВИЧ для самотестирования выдают вместе со шприцами и "
                "презервативами",
                lead=(
                    "Тесты по слюне позволяют пройти тестирование конфиденциально и "
                    "вернуться на сайт для подтверждения и направления на АРТ."
                ),
                body=(
                    "Аутрич-работники предлагают **тест для самотестирования на ВИЧ** при "
                    "каждом третьем контакте. Людей с положительным результатом "
                    "сопровождают в центр СПИД, где лечение можно начать в ту же неделю."
                ),
            ),
        },
    ),
    Story(
        key="paralegals",
        issue_areas=["HUMAN_RIGHTS"],
        countries=["RU", "BY"],
        days_ago=27,
        versions={
            "ru": Version(
                title="Параюристы документируют нарушения прав людей, употребляющих наркотики",
                lead=(
                    "За полгода зафиксировано более двухсот случаев — от отказа в "
                    "медицинской помощи до давления со стороны полиции."
                ),
                body=(
                    "Каждый случай записывается с согласия человека и без данных, по "
                    "которым его можно узнать. Обобщённая статистика используется в "
                    "**адвокации** и теневых отчётах."
                ),
            ),
        },
    ),
    Story(
        key="advocacy-school",
        kind=Article.Kind.ANNOUNCEMENT,
        issue_areas=["COMMUNITY_PARTICIPATION", "ADVOCACY_FUNDING"],
        countries=[],
        days_ago=2,
        versions={
            "en": Version(
                title="Call for applications: advocacy school for community activists",
                lead=(
                    "Twenty activists from the region will learn budget advocacy and how to "
                    "take part in country coordinating mechanisms. Apply by the end of the "
                    "month."
                ),
                body=(
                    "The school runs online for six weeks, with one in-person week. Priority "
                    "goes to people who use drugs and to women from community-led "
                    "organisations.\n\n"
                    "Sessions are in Russian and English with interpretation."
                ),
            ),
            "ru": Version(
                title="Приём заявок: школа адвокации для активистов сообществ",
                lead=(
                    "Двадцать активистов из региона научатся бюджетной адвокации и работе в "
                    "страновых координационных механизмах. Заявки принимаются до конца "
                    "месяца."
                ),
                body=(
                    "Школа проходит онлайн шесть недель, одна неделя — очно. Приоритет — "
                    "людям, употребляющим наркотики, и женщинам из организаций сообществ.\n\n"
                    "Занятия на русском и английском языках с переводом."
                ),
            ),
        },
    ),
    Story(
        key="annual-meeting",
        kind=Article.Kind.ANNOUNCEMENT,
        issue_areas=["COMMUNITY_SYSTEMS"],
        countries=[],
        days_ago=-5,  # scheduled: appears by itself in five days
        versions={
            "en": Version(
                title="The network's annual meeting: registration opens",
                lead="Members meet to agree on the strategy for the next three years.",
                body="Registration, the agenda and travel support are on the events page.",
            ),
            "ru": Version(
                title="Ежегодное собрание сети: открыта регистрация",
                lead="Члены сети соберутся, чтобы согласовать стратегию на следующие три года.",
                body="Регистрация, программа и поддержка поездок — на странице мероприятий.",
            ),
        },
    ),
]


def _picture(colours: tuple[tuple[int, int, int], tuple[int, int, int]]) -> SimpleUploadedFile:
    """A small abstract JPEG: a diagonal gradient with a few circles."""
    width, height = 720, 480
    (r1, g1, b1), (r2, g2, b2) = colours
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for x in range(0, width + height, 4):
        t = x / (width + height)
        colour = (round(r1 + (r2 - r1) * t), round(g1 + (g2 - g1) * t), round(b1 + (b2 - b1) * t))
        draw.line([(x, 0), (x - height, height)], fill=colour, width=5)
    for i, (cx, cy, radius) in enumerate([(520, 140, 90), (200, 330, 60), (420, 360, 40)]):
        tone = (r2, g2, b2) if i % 2 else (r1, g1, b1)
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=tone, width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def news_demo_create() -> None:
    """Create the demo stories that do not exist yet (needs the demo secretariat login)."""
    author = (
        get_user_model()
        .objects.filter(groups__name=Role.SECRETARIAT, is_active=True)
        .order_by("pk")
        .first()
    )
    if author is None:
        raise RuntimeError("Create the demo logins before the demo news.")
    areas = {area.code: area for area in IssueArea.objects.all()}
    countries = {country.iso2: country for country in Country.objects.all()}
    now = timezone.now()
    for number, story in enumerate(STORIES):
        key = uuid.uuid5(_NAMESPACE, story.key)
        for language, version in story.versions.items():
            if Article.all_objects.filter(translation_key=key, language=language).exists():
                continue
            article = article_create(
                actor=author,
                kind=story.kind,
                title=version.title,
                lead=version.lead,
                body=version.body.replace("/en/library/", f"/{language}/library/"),
                language=language,
                issue_areas=[areas[code] for code in story.issue_areas if code in areas],
                countries=[countries[code] for code in story.countries if code in countries],
                image=_picture(story.colours) if story.colours else None,
                image_alt=version.alt,
                image_credit=story.credit.get(language, ""),
                translation_key=key,
            )
            # Stories a few hours apart, so the listing has a stable order.
            at = now - timedelta(days=story.days_ago, hours=number)
            article_publish(article=article, actor=author, at=at)
