"""Demo content of the member register: 600+ fictional members in every country and of
every type, with applications in every state. Deterministic (a fixed seed), written in
bulk so `hrnet demo` stays quick, and skipped when a register already exists."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

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

CITIES = {
    "EE": ["Tallinn", "Narva"],
    "LV": ["Riga", "Daugavpils"],
    "LT": ["Vilnius", "Kaunas"],
    "CZ": ["Prague", "Brno"],
    "HU": ["Budapest", "Debrecen"],
    "PL": ["Warsaw", "Kraków"],
    "SK": ["Bratislava", "Košice"],
    "SI": ["Ljubljana", "Maribor"],
    "AL": ["Tirana", "Durrës"],
    "BA": ["Sarajevo", "Banja Luka"],
    "BG": ["Sofia", "Plovdiv"],
    "HR": ["Zagreb", "Split"],
    "XK": ["Pristina", "Prizren"],
    "MK": ["Skopje", "Bitola"],
    "ME": ["Podgorica", "Bar"],
    "RO": ["Bucharest", "Cluj-Napoca"],
    "RS": ["Belgrade", "Novi Sad"],
    "BY": ["Minsk", "Gomel"],
    "MD": ["Chișinău", "Bălți"],
    "UA": ["Kyiv", "Odesa", "Kharkiv", "Dnipro"],
    "AM": ["Yerevan", "Gyumri"],
    "AZ": ["Baku", "Ganja"],
    "GE": ["Tbilisi", "Batumi"],
    "KZ": ["Almaty", "Astana", "Shymkent"],
    "KG": ["Bishkek", "Osh"],
    "TJ": ["Dushanbe", "Khujand"],
    "TM": ["Ashgabat", "Mary"],
    "UZ": ["Tashkent", "Samarkand"],
    "RU": ["Moscow", "Saint Petersburg", "Kazan", "Yekaterinburg"],
}
# Where the network has most members: bigger epidemics, bigger civil society.
WEIGHTS = {"UA": 8, "RU": 7, "KZ": 4, "GE": 3, "MD": 3, "KG": 3, "BY": 2, "UZ": 2, "TJ": 2}

ORG_PATTERNS = [
    ("{city} Harm Reduction Centre", "Центр снижения вреда «{city}»"),
    ("Positive Movement {city}", "Позитивное движение {city}"),
    ("{city} Community of People Who Use Drugs", "Сообщество ЛУН «{city}»"),
    ("New Way {city}", "Новый путь {city}"),
    ("{city} Health and Rights Initiative", "Инициатива «Здоровье и права», {city}"),
    ("{city} Recovery Network", "Сеть восстановления «{city}»"),
    ("Street Outreach {city}", "Уличная работа {city}"),
    ("{city} Institute for Public Health", "Институт общественного здоровья, {city}"),
    ("Legal Aid {city}", "Юридическая помощь {city}"),
    ("{city} Women's Harm Reduction Group", "Женская группа снижения вреда «{city}»"),
]
FIRST_NAMES = [
    "Olena",
    "Aibek",
    "Nino",
    "Dmitri",
    "Aigerim",
    "Ion",
    "Mariam",
    "Rustam",
    "Ivana",
    "Tamar",
    "Sergei",
    "Dilnoza",
    "Marta",
    "Arman",
    "Ana",
    "Bakyt",
    "Irina",
    "Giorgi",
    "Zarina",
    "Pavel",
    "Elena",
    "Timur",
    "Kristina",
    "Levan",
    "Gulnara",
    "Andrei",
]
LAST_NAMES = [
    "Kovalenko",
    "Beridze",
    "Sultanova",
    "Popescu",
    "Ivanova",
    "Karimov",
    "Horvat",
    "Nazarbayeva",
    "Melnyk",
    "Gelashvili",
    "Abdullaev",
    "Novak",
    "Petrova",
    "Osmonov",
    "Ceban",
    "Hakobyan",
    "Aliyev",
    "Shevchenko",
    "Tursunova",
    "Marković",
    "Lebedev",
]
EXPERTISE = [
    "Opioid agonist therapy advocacy",
    "Community mobilisation of people who use drugs",
    "Global Fund grant writing and country coordinating mechanisms",
    "Monitoring and evaluation of harm reduction programmes",
    "Legal aid and human rights documentation",
    "HCV treatment access",
    "Gender-sensitive harm reduction services",
]


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
    used: set[str] = set()
    while len(organisations) < ORGANISATIONS:
        country = rng.choices(countries, weights)[0]
        city = rng.choice(CITIES.get(country.iso2, [country.names.get("en", country.iso2)]))
        en, ru = rng.choice(ORG_PATTERNS)
        name_en = en.format(city=city)
        if name_en in used:
            name_en = f"{name_en} {len(organisations)}"
        used.add(name_en)
        kind = rng.choice(kinds)
        organisation = Organisation(
            names={"en": name_en, "ru": ru.format(city=city)},
            kind=kind,
            is_community_led=kind == Organisation.Kind.COMMUNITY_LED or rng.random() < 0.15,
            country=country,
            city=city,
            website=f"https://org{len(organisations)}.example.org",
            email=f"office@org{len(organisations)}.example.org",
            descriptions={"en": f"{Organisation.Kind(kind).label}, {city}."},
            is_public=rng.random() < 0.8,
        )
        organisation.refresh_name_key()
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations, batch_size=500)

    people: list[Person] = []
    for index in range(INDIVIDUALS + ORGANISATIONS):  # individual members, then staff
        country = rng.choices(countries, weights)[0]
        full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        person = Person(
            full_name=full_name,
            email=f"person{index}@demo-members.example",
            country=country,
            city=rng.choice(CITIES.get(country.iso2, [""])),
            expertise=rng.choice(EXPERTISE),
            languages=rng.choice([["ru"], ["en", "ru"], ["en"], ["ru", "uk"], ["ka", "ru"]]),
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
                contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
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
    active Ukrainian organisation; the member is an individual member in Georgia)."""
    principles = principles_load()
    if not members_demo_create(principles=principles):
        return
    orgadmin = User.objects.get(email=demo_email(Role.ORGADMIN))
    organisation = (
        Organisation.objects.filter(country__iso2="UA", memberships__status="active")
        .order_by("pk")
        .first()
    )
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
