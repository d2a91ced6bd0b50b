"""Demo content of the member register: 600+ fictional members in every country and of
every type, with applications in every state. Deterministic (a fixed seed), written in
bulk so `hrnet demo` stays quick, and skipped when a register already exists."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.members.models import (
    Affiliation,
    Application,
    Membership,
    MembershipType,
    Organisation,
    Person,
    PrinciplesVersion,
)
from hrnet.members.reference import principles_load
from hrnet.members.services.memberships import (
    inherited_memberships_recompute,
    membership_start,
    membership_type_default,
    status_from_dates,
)

ORGANISATIONS = 470
INDIVIDUALS = 160

# Each city in English and in Russian (as the region's Russian-language press writes it).
CITIES = {
    "EE": [("Tallinn", "Таллин"), ("Narva", "Нарва")],
    "LV": [("Riga", "Рига"), ("Daugavpils", "Даугавпилс")],
    "LT": [("Vilnius", "Вильнюс"), ("Kaunas", "Каунас")],
    "CZ": [("Prague", "Прага"), ("Brno", "Брно")],
    "HU": [("Budapest", "Будапешт"), ("Debrecen", "Дебрецен")],
    "PL": [("Warsaw", "Варшава"), ("Kraków", "Краков")],
    "SK": [("Bratislava", "Братислава"), ("Košice", "Кошице")],
    "SI": [("Ljubljana", "Любляна"), ("Maribor", "Марибор")],
    "AL": [("Tirana", "Тирана"), ("Durrës", "Дуррес")],
    "BA": [("Sarajevo", "Сараево"), ("Banja Luka", "Баня-Лука")],
    "BG": [("Sofia", "София"), ("Plovdiv", "Пловдив")],
    "HR": [("Zagreb", "Загреб"), ("Split", "Сплит")],
    "XK": [("Pristina", "Приштина"), ("Prizren", "Призрен")],
    "MK": [("Skopje", "Скопье"), ("Bitola", "Битола")],
    "ME": [("Podgorica", "Подгорица"), ("Bar", "Бар")],
    "RO": [("Bucharest", "Бухарест"), ("Cluj-Napoca", "Клуж-Напока")],
    "RS": [("Belgrade", "Белград"), ("Novi Sad", "Нови-Сад")],
    "BY": [("Minsk", "Минск"), ("Gomel", "Гомель"), ("Brest", "Брест")],
    "MD": [("Chișinău", "Кишинёв"), ("Bălți", "Бельцы"), ("Tiraspol", "Тирасполь")],
    "UA": [
        ("Kyiv", "Киев"),
        ("Odesa", "Одесса"),
        ("Kharkiv", "Харьков"),
        ("Dnipro", "Днепр"),
        ("Lviv", "Львов"),
        ("Poltava", "Полтава"),
    ],
    "AM": [("Yerevan", "Ереван"), ("Gyumri", "Гюмри")],
    "AZ": [("Baku", "Баку"), ("Ganja", "Гянджа")],
    "GE": [("Tbilisi", "Тбилиси"), ("Batumi", "Батуми"), ("Kutaisi", "Кутаиси")],
    "KZ": [
        ("Almaty", "Алматы"),
        ("Astana", "Астана"),
        ("Shymkent", "Шымкент"),
        ("Karaganda", "Караганда"),
    ],
    "KG": [("Bishkek", "Бишкек"), ("Osh", "Ош"), ("Jalal-Abad", "Джалал-Абад")],
    "TJ": [("Dushanbe", "Душанбе"), ("Khujand", "Худжанд")],
    "TM": [("Ashgabat", "Ашхабад"), ("Mary", "Мары")],
    "UZ": [("Tashkent", "Ташкент"), ("Samarkand", "Самарканд"), ("Bukhara", "Бухара")],
    "RU": [
        ("Moscow", "Москва"),
        ("Saint Petersburg", "Санкт-Петербург"),
        ("Kazan", "Казань"),
        ("Yekaterinburg", "Екатеринбург"),
        ("Novosibirsk", "Новосибирск"),
    ],
}
# Where the network has most members: bigger epidemics, bigger civil society.
WEIGHTS = {"UA": 8, "RU": 7, "KZ": 4, "GE": 3, "MD": 3, "KG": 3, "BY": 2, "UZ": 2, "TJ": 2}

# Organisation names as such groups call themselves, in both languages; the city follows in
# brackets, so every (name, city) pair is a different organisation and none needs a number.
ORG_NAMES = [
    ("Harm Reduction Centre", "Центр снижения вреда"),
    ("Positive Movement", "«Позитивное движение»"),
    ("Community of People Who Use Drugs", "Сообщество людей, употребляющих наркотики"),
    ("New Way", "«Новый путь»"),
    ("Health and Rights Initiative", "Инициатива «Здоровье и права»"),
    ("Recovery Network", "Сеть взаимопомощи «Выздоровление»"),
    ("Street Outreach Team", "Аутрич-команда «Улица»"),
    ("Institute for Public Health", "Институт общественного здоровья"),
    ("Legal Aid Foundation", "Фонд правовой помощи"),
    ("Women's Harm Reduction Group", "Женская группа снижения вреда"),
    ("Alliance for Public Health", "Альянс общественного здоровья"),
    ("Light of Hope", "«Свет надежды»"),
    ("Family Support Centre", "Центр поддержки семьи"),
    ("Union of People Living with HIV", "Союз людей, живущих с ВИЧ"),
    ("OAT Patients' Association", "Ассоциация пациентов ОЗТ"),
    ("Youth Harm Reduction Initiative", "Молодёжная инициатива по снижению вреда"),
    ("Sisters Peer Support", "Равная поддержка «Сёстры»"),
    ("Bridge Foundation", "Фонд «Мост»"),
    ("Step Forward", "«Шаг вперёд»"),
    ("Life Charitable Foundation", "Благотворительный фонд «Жизнь»"),
    ("Centre for Drug Policy Research", "Центр исследований наркополитики"),
    ("Open Doors Drop-in Centre", "Пункт доверия «Открытые двери»"),
    ("Hepatitis C Patients' Coalition", "Коалиция пациентов с гепатитом С"),
    ("Humanitarian Action", "«Гуманитарное действие»"),
]
# People's names as they are written in the region, by country group: (women's first names,
# men's first names, surnames in the masculine form). Surnames take the feminine form where the
# language has one (Ivanov, Ivanova).
NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "slavic": (
        [
            "Olena",
            "Iryna",
            "Natalia",
            "Svetlana",
            "Yulia",
            "Oksana",
            "Tatiana",
            "Anna",
            "Maria",
            "Halyna",
            "Ekaterina",
            "Valentina",
            "Lyudmila",
        ],
        [
            "Oleksandr",
            "Dmitri",
            "Sergei",
            "Andrii",
            "Pavel",
            "Mykola",
            "Ivan",
            "Yuri",
            "Artem",
            "Maksim",
            "Vitalii",
            "Roman",
            "Alexei",
        ],
        [
            "Kovalenko",
            "Shevchenko",
            "Melnyk",
            "Bondarenko",
            "Ivanov",
            "Petrov",
            "Lebedev",
            "Sokolov",
            "Novikov",
            "Tkachenko",
            "Kravets",
            "Morozov",
            "Volkov",
            "Savchenko",
        ],
    ),
    "caucasus": (
        ["Nino", "Tamar", "Mariam", "Ani", "Lusine", "Aysel", "Gunel", "Ketevan"],
        ["Giorgi", "Levan", "David", "Armen", "Tigran", "Rashad", "Elchin", "Irakli"],
        [
            "Beridze",
            "Gelashvili",
            "Kapanadze",
            "Hakobyan",
            "Grigoryan",
            "Sargsyan",
            "Aliyev",
            "Mammadov",
            "Huseynov",
            "Lomidze",
            "Petrosyan",
            "Tsereteli",
        ],
    ),
    "central_asia": (
        [
            "Aigerim",
            "Gulnara",
            "Zarina",
            "Dilnoza",
            "Madina",
            "Aizhan",
            "Nodira",
            "Saule",
            "Asel",
            "Mokhira",
            "Gulshan",
            "Dinara",
        ],
        [
            "Aibek",
            "Rustam",
            "Timur",
            "Erlan",
            "Bakyt",
            "Arman",
            "Farrukh",
            "Nurlan",
            "Daniyar",
            "Sherzod",
            "Azamat",
            "Bekzod",
        ],
        [
            "Sultanov",
            "Karimov",
            "Abdullaev",
            "Osmonov",
            "Tursunov",
            "Nazarov",
            "Akhmetov",
            "Rakhimov",
            "Zhumabaev",
            "Usmonov",
            "Yusupov",
            "Ismailov",
        ],
    ),
    "romanian": (
        ["Ana", "Elena", "Ioana", "Cristina", "Mihaela", "Diana"],
        ["Ion", "Andrei", "Vasile", "Mihai", "Sergiu", "Victor"],
        ["Popescu", "Ceban", "Rusu", "Munteanu", "Lungu", "Cojocaru", "Moraru", "Ionescu"],
    ),
    "balkan": (
        ["Ivana", "Jelena", "Marija", "Ana", "Mirela", "Elira", "Sanja", "Maja"],
        ["Marko", "Nikola", "Stefan", "Luka", "Arben", "Dritan", "Goran", "Petar"],
        [
            "Horvat",
            "Marković",
            "Petrović",
            "Jovanović",
            "Hoxha",
            "Krasniqi",
            "Kovačević",
            "Popović",
            "Dimitrov",
            "Georgiev",
            "Nikolovski",
            "Babić",
        ],
    ),
    "central_europe": (
        ["Marta", "Katarzyna", "Eva", "Zuzana", "Kristina", "Agnieszka", "Ieva", "Laura"],
        ["Tomasz", "Piotr", "Jan", "Peter", "Tamás", "Mindaugas", "Andris", "Martin"],
        [
            "Novak",
            "Kowalski",
            "Nowak",
            "Horváth",
            "Svoboda",
            "Kazlauskas",
            "Bērziņš",
            "Tamm",
            "Dvořák",
            "Nagy",
            "Wiśniewski",
            "Kovács",
        ],
    ),
}
NAME_GROUP = {
    **dict.fromkeys(["UA", "RU", "BY"], "slavic"),
    **dict.fromkeys(["GE", "AM", "AZ"], "caucasus"),
    **dict.fromkeys(["KZ", "KG", "UZ", "TJ", "TM"], "central_asia"),
    **dict.fromkeys(["MD", "RO"], "romanian"),
    **dict.fromkeys(["AL", "BA", "BG", "HR", "XK", "MK", "ME", "RS", "SI"], "balkan"),
}
# Languages whose surnames agree with the person: Ivanov/Ivanova, Kowalski/Kowalska.
FEMININE_SURNAMES = {"slavic", "central_asia", "central_europe"}


def _feminine(surname: str) -> str:
    for ending, feminine in (("ski", "ska"), ("ov", "ova"), ("ev", "eva"), ("in", "ina")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + feminine
    return surname


def _person_name(rng: random.Random, iso2: str, used: set[str]) -> str:
    """A name as people are named in the country, different from every name in `used`."""
    group = NAME_GROUP.get(iso2, "central_europe")
    women, men, surnames = NAMES[group]
    while True:
        woman = rng.random() < 0.5
        surname = rng.choice(surnames)
        if woman and group in FEMININE_SURNAMES:
            surname = _feminine(surname)
        name = f"{rng.choice(women if woman else men)} {surname}"
        if name not in used:
            used.add(name)
            return name


# (English, Russian): people describe their expertise in the language they work in.
EXPERTISE = [
    ("Opioid agonist therapy advocacy", "Адвокация опиоидной заместительной терапии"),
    (
        "Community mobilisation of people who use drugs",
        "Мобилизация сообществ людей, употребляющих наркотики",
    ),
    (
        "Global Fund grant writing and country coordinating mechanisms",
        "Заявки в Глобальный фонд и работа в страновых координационных механизмах",
    ),
    (
        "Monitoring and evaluation of harm reduction programmes",
        "Мониторинг и оценка программ снижения вреда",
    ),
    (
        "Legal aid and human rights documentation",
        "Юридическая помощь и документирование нарушений прав человека",
    ),
    ("HCV treatment access", "Доступ к лечению гепатита С"),
    ("Gender-sensitive harm reduction services", "Гендерно-чувствительные услуги снижения вреда"),
]


def _city_of(country: Country) -> tuple[str, str]:
    return (country.names.get("en", country.iso2), country.names.get("ru", country.iso2))


def members_demo_create(*, principles: PrinciplesVersion, actor: Any = None) -> int:
    """Create the demo register unless there is one; returns how many members it made."""
    if Organisation.all_objects.exists():
        return 0
    with transaction.atomic():
        return _create(principles)


def _create(principles: PrinciplesVersion) -> int:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    countries = list(Country.objects.all())
    weights = [WEIGHTS.get(c.iso2, 1) for c in countries]
    issue_areas = list(IssueArea.objects.all())
    org_type = membership_type_default(MembershipType.Kind.ORGANISATIONAL)
    person_type = membership_type_default(MembershipType.Kind.INDIVIDUAL)
    kinds = list(Organisation.Kind.values)

    organisations: list[Organisation] = []
    # Every (country, city, name) once, drawn by the countries' weights; a country whose
    # names are used up is left out of later draws.
    unused = {
        country.pk: [
            (city, org_name)
            for city in CITIES.get(country.iso2, [_city_of(country)])
            for org_name in ORG_NAMES
        ]
        for country in countries
    }
    while len(organisations) < ORGANISATIONS:
        country = rng.choices(countries, weights)[0]
        if not unused[country.pk]:
            weights[countries.index(country)] = 0
            continue
        (city_en, city_ru), (name_en, name_ru) = unused[country.pk].pop(
            rng.randrange(len(unused[country.pk]))
        )
        kind = rng.choice(kinds)
        with translation.override("en"):
            kind_en = str(Organisation.Kind(kind).label)
        with translation.override("ru"):
            kind_ru = str(Organisation.Kind(kind).label)
        number = len(organisations)
        organisation = Organisation(
            names={"en": f"{name_en} ({city_en})", "ru": f"{name_ru} ({city_ru})"},
            kind=kind,
            is_community_led=kind == Organisation.Kind.COMMUNITY_LED or rng.random() < 0.15,
            country=country,
            city=city_en,
            website=f"https://org{number}.example.org",
            email=f"office@org{number}.example.org",
            descriptions={"en": f"{kind_en}, {city_en}.", "ru": f"{kind_ru}, {city_ru}."},
            is_public=rng.random() < 0.8,
        )
        organisation.refresh_name_key()
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations, batch_size=500)

    people: list[Person] = []
    used_names = {"Oleksandr Orgadmin", "Mariam Member"}  # the demo logins' people
    for index in range(INDIVIDUALS + ORGANISATIONS):  # individual members, then staff
        country = rng.choices(countries, weights)[0]
        full_name = _person_name(rng, country.iso2, used_names)
        expertise_en, expertise_ru = rng.choice(EXPERTISE)
        languages = rng.choice([["ru"], ["en", "ru"], ["en"], ["ru", "uk"], ["ka", "ru"]])
        person = Person(
            full_name=full_name,
            email=f"person{index}@demo-members.example",
            country=country,
            # Written as the person writes it: in Russian unless they work in English.
            city=rng.choice(CITIES.get(country.iso2, [("", "")]))[0 if "en" in languages else 1],
            expertise=expertise_en if "en" in languages else expertise_ru,
            languages=languages,
            is_public=index < INDIVIDUALS and rng.random() < 0.6,
        )
        person.refresh_name_key()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    individuals, staff = people[:INDIVIDUALS], people[INDIVIDUALS:]

    through_org = Organisation.issue_areas.through
    through_person = Person.issue_areas.through
    through_org.objects.bulk_create(
        [
            through_org(organisation_id=o.pk, issuearea_id=area.pk)
            for o in organisations
            for area in rng.sample(issue_areas, rng.randint(1, 3))
        ],
        batch_size=1000,
    )
    through_person.objects.bulk_create(
        [
            through_person(person_id=p.pk, issuearea_id=area.pk)
            for p in individuals
            for area in rng.sample(issue_areas, rng.randint(1, 2))
        ],
        batch_size=1000,
    )
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                person=person,
                organisation=organisation,
                role=Affiliation.Role.DIRECTOR if index % 3 == 0 else Affiliation.Role.STAFF,
                is_admin=index % 3 == 0,
                start_date=date(rng.randint(2008, 2025), rng.randint(1, 12), 1),
            )
            for index, (person, organisation) in enumerate(zip(staff, organisations, strict=True))
        ],
        batch_size=500,
    )

    # The last few of each kind are applicants, not (yet) members.
    member_orgs, applicant_orgs = organisations[:-12], organisations[-12:]
    member_people, applicant_people = individuals[:-6], individuals[-6:]
    memberships: list[Membership] = []
    for member in [*member_orgs, *member_people]:
        start = date(rng.randint(2009, today.year), rng.randint(1, 12), 1)
        if start > today:
            start = today.replace(day=1)
        # Most renewed this year; some are in grace or lapsed.
        end_year = rng.choices([today.year, today.year - 1, today.year - 3], [85, 8, 7])[0]
        membership = Membership(
            organisation=member if isinstance(member, Organisation) else None,
            person=member if isinstance(member, Person) else None,
            type=org_type if isinstance(member, Organisation) else person_type,
            start_date=start,
            end_date=max(date(end_year, 12, 31), start),
            principles_version=principles,
        )
        membership.status = status_from_dates(membership, today)
        memberships.append(membership)
    for membership in rng.sample(memberships, 4):
        membership.status_override = membership.status = Membership.Status.SUSPENDED
        membership.override_reason = "Demo: reporting obligations not met"
    for membership in rng.sample(memberships, 4):
        if not membership.status_override:
            membership.status_override = membership.status = Membership.Status.LEFT
            membership.override_reason = "Demo: the organisation closed"
    Membership.objects.bulk_create(memberships, batch_size=500)
    for organisation in member_orgs:
        inherited_memberships_recompute(organisation=organisation)

    statuses = list(Application.Status.values)
    applications = []
    applicants: list[tuple[Organisation | None, Person | None]] = [
        *((organisation, None) for organisation in applicant_orgs),
        *((None, person) for person in applicant_people),
    ]
    for index, (applicant_org, applicant_person) in enumerate(applicants):
        status = statuses[index % len(statuses)]
        applications.append(
            Application(
                kind=Application.Kind.ORGANISATION
                if applicant_org
                else Application.Kind.INDIVIDUAL,
                status=status,
                organisation=applicant_org,
                person=applicant_person,
                contact_name=applicant_person.full_name
                if applicant_person
                else _person_name(rng, applicant_org.country.iso2, used_names),  # type: ignore[union-attr]
                contact_email=f"applicant{index}@demo-members.example",
                language=rng.choice(["en", "ru", "ru"]),
                motivation="We want to join the regional advocacy for sustainable funding.",
                principles_version=principles,
                principles_accepted_at=timezone.now() - timedelta(days=index),
                access_token=Application.new_token(),
                info_request="Please send your registration certificate."
                if status == Application.Status.INFO_REQUESTED
                else "",
                decision_reason="Not working in harm reduction."
                if status == Application.Status.REJECTED
                else "",
            )
        )
    Application.objects.bulk_create(applications)
    # Approved applicants are members too.
    for application in applications:
        if application.status == Application.Status.APPROVED:
            Membership.objects.create(
                organisation=application.organisation,
                person=application.person,
                type=org_type if application.organisation else person_type,
                start_date=today,
                end_date=date(today.year, 12, 31),
                status=Membership.Status.ACTIVE,
                principles_version=principles,
            )
    return len(member_orgs) + len(member_people)


def members_demo_logins_create() -> None:
    """The member register, and the demo logins' places in it (the orgadmin directs an
    active organisation in Kyiv; the member is an individual member in Georgia)."""
    principles = principles_load()
    if not members_demo_create(principles=principles):
        return
    orgadmin = User.objects.get(email=demo_email(Role.ORGADMIN))
    # A Kyiv organisation: the outreach demo gives it a drop-in centre there.
    active_in_ukraine = Organisation.objects.filter(
        country__iso2="UA", memberships__status="active"
    ).order_by("pk")
    organisation = active_in_ukraine.filter(city="Kyiv").first() or active_in_ukraine.first()
    admin = Person.objects.create(
        full_name=orgadmin.full_name,
        email=orgadmin.email,
        country=organisation.country,
        user=orgadmin,
        name_key=orgadmin.full_name.lower(),
    )
    Affiliation.objects.create(
        person=admin, organisation=organisation, role=Affiliation.Role.DIRECTOR, is_admin=True
    )
    inherited_memberships_recompute(organisation=organisation)
    member_user = User.objects.get(email=demo_email(Role.MEMBER))
    member = Person.objects.create(
        full_name=member_user.full_name,
        email=member_user.email,
        country=Country.objects.get(iso2="GE"),
        user=member_user,
        expertise="Community mobilisation",
        languages=["en", "ka", "ru"],
        is_public=True,
        name_key=member_user.full_name.lower(),
    )
    Membership.objects.filter(person=member).delete()
    membership_start(member=member, principles_version=principles, actor=None)
