"""Demo rights cases: invented cases (no real people, generic narratives, in Russian) recorded
by the demo documenter for their organisation, most in three countries and a few elsewhere, with
responses, so the statistics page shows both counted cells and "<5" ones; and the demo
secretariat login named an intake reviewer, with two public reports sent to the secretariat
waiting in its queue. Deterministic and idempotent: does nothing once the demo cases exist."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.audit import log_action
from hrnet.core.demo import demo_email
from hrnet.geo.models import Country
from hrnet.members.models import Affiliation, Organisation, Person
from hrnet.rights.audit import Action
from hrnet.rights.models import (
    AgeGroup,
    Case,
    CaseResponse,
    Gender,
    PerpetratorType,
    ReferralService,
    ReferralStatus,
    ViolationType,
)
from hrnet.rights.reference import violation_types_load

SEED = 9
PREFIX = "DEMO-R-"
# Cases per country: three with many, a few with only a handful (suppressed as "<5").
CASES_PER_COUNTRY = {"UA": 16, "MD": 12, "GE": 9, "KZ": 3, "AM": 2, "KG": 1}
# Written in Russian, as the demo documenter (in Moldova) records cases.
NARRATIVES = {
    "police-abuse": "Вымышленный случай (демо): сотрудники полиции остановили человека "
    "у аптеки и требовали деньги за то, чтобы не возбуждать дело.",
    "arbitrary-detention": "Вымышленный случай (демо): человека продержали ночь в отделении "
    "полиции, не оформив задержание.",
    "physical-violence": "Вымышленный случай (демо): человека избили во время обыска.",
    "denial-of-health-services": "Вымышленный случай (демо): в клинике отказали в лечении, "
    "узнав, что человек употребляет наркотики.",
    "breach-of-confidentiality": "Вымышленный случай (демо): клиника сообщила работодателю "
    "о лечении человека.",
    "forced-testing-or-treatment": "Вымышленный случай (демо): человека протестировали на "
    "ВИЧ без его согласия.",
    "discrimination": "Вымышленный случай (демо): человек потерял работу, когда работодатель "
    "узнал о заместительной терапии.",
    "child-custody": "Вымышленный случай (демо): социальные службы угрожали забрать детей "
    "из-за употребления наркотиков.",
    "family-violence": "Вымышленный случай (демо): родственник угрожал человеку дома.",
    "other": "Вымышленный случай (демо): человеку без причины отказали в услуге.",
}
OUTCOMES = (
    "Вымышленный итог: работа продолжается.",
    "Вымышленный итог: вопрос решён.",
    "Вымышленный итог: результата пока нет.",
)
PERSON = "Вымышленный человек, без идентифицирующих данных."
RESPONDER = "Параюрист (демо)"
CLOSURE = "Вымышленный случай: помощь оказана полностью."
# Public reports sent to the secretariat, waiting for the demo intake reviewer (oldest
# first): (reference, country, days ago it happened, violation code, narrative).
INTAKE_PREFIX = "DEMO-I-"
INTAKE_REPORTS = (
    (
        "DEMO-I-0001",
        "UA",
        12,
        "police-abuse",
        "Вымышленный случай (демо): полиция остановила человека у пункта обмена шприцев и "
        "забрала телефон.",
    ),
    (
        "DEMO-I-0002",
        "KZ",
        4,
        "denial-of-health-services",
        "Вымышленный случай (демо): в поликлинике отказались принять человека без "
        "справки от нарколога.",
    ),
)


def _documenter_and_organisation() -> tuple[Any, Organisation] | None:
    """The demo documenter and their organisation, affiliating them to a demo member
    organisation (Moldova first) when they have none."""
    user = get_user_model().objects.filter(email=demo_email(Role.DOCUMENTER)).first()
    if user is None:
        return None
    person = Person.objects.filter(user=user).first()
    affiliation = (
        Affiliation.objects.filter(person=person, end_date__isnull=True).order_by("pk").first()
        if person
        else None
    )
    if affiliation is not None:
        return user, affiliation.organisation
    organisation = (
        Organisation.objects.filter(country__iso2="MD", memberships__status="active")
        .order_by("pk")
        .first()
        or Organisation.objects.filter(memberships__status="active").order_by("pk").first()
        or Organisation.objects.order_by("pk").first()
    )
    if organisation is None:
        return None
    if person is None:
        person = Person.objects.create(
            full_name=user.full_name or "Demo documenter",
            email=user.email,
            country=organisation.country,
            user=user,
            name_key=(user.full_name or "demo documenter").lower(),
        )
    Affiliation.objects.create(
        person=person, organisation=organisation, role=Affiliation.Role.STAFF
    )
    return user, organisation


@transaction.atomic
def rights_demo_create() -> int:
    """Creates the demo cases once; returns how many it created (0 when they exist or
    when there is no demo documenter or organisation)."""
    violations = {violation.code: violation for violation in _violation_types()}
    waiting = _intake_reports_create(violations)
    if Case.objects.filter(reference__startswith=PREFIX).exists():
        return waiting
    found = _documenter_and_organisation()
    if found is None:
        return waiting
    documenter, organisation = found
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in=CASES_PER_COUNTRY)}
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    first_day = date(today.year - 2, 1, 1)
    span = (today - first_day).days
    codes = list(violations)
    perpetrators = [str(value) for value in PerpetratorType.values]
    actions = [str(value) for value in CaseResponse.Action.values]
    number = 0
    for iso2, how_many in CASES_PER_COUNTRY.items():
        country = countries.get(iso2)
        if country is None:
            continue
        for _index in range(how_many):
            number += 1
            happened = first_day + timedelta(days=rng.randrange(span))
            types = rng.sample(codes[:-1], k=rng.choice((1, 1, 2)))
            # A few cases without consent to share, and two public reports not yet
            # reviewed: statistics leave both out.
            public = number % 19 == 0
            status = (
                Case.Status.UNREVIEWED
                if public
                else rng.choice((Case.Status.OPEN, Case.Status.OPEN, Case.Status.CLOSED))
            )
            closed = status == Case.Status.CLOSED
            case = Case.objects.create(
                reference=f"{PREFIX}{number:04d}",
                organisation=organisation,
                status=status,
                source=Case.Source.PUBLIC_INTAKE if public else Case.Source.DOCUMENTER,
                date_from=happened,
                country=country,
                locality="",
                age_group=rng.choice(AgeGroup.values),
                gender=rng.choice(Gender.values),
                key_populations=["pwud"],
                perpetrator_types=sorted(set(rng.sample(perpetrators, k=rng.choice((1, 2))))),
                narrative=NARRATIVES[types[0]],
                person_description=PERSON,
                consent_to_record=True,
                consent_to_share=number % 7 != 0,
                consent_to_advocacy=number % 3 != 0,
                consent_date=happened,
                documenter=None if public else documenter,
                closure_reason=CLOSURE if closed else "",
                closed_at=timezone.now() if closed else None,
            )
            case.violation_types.set([violations[code] for code in types])
            if public:
                continue
            for step in range(rng.choice((1, 1, 2))):
                action = rng.choice(actions)
                # Referrals name a service and how far they went, without drawing from `rng`
                # (the rest of the demo stays as it was).
                referral = action == CaseResponse.Action.REFERRAL
                CaseResponse.objects.create(
                    case=case,
                    action=action,
                    service=SERVICES[number % len(SERVICES)] if referral else "",
                    referral_status=STATUSES[(number + step) % len(STATUSES)] if referral else "",
                    responder=RESPONDER,
                    date=min(happened + timedelta(days=3 + 10 * step), today),
                    outcome=rng.choice(OUTCOMES),
                    created_by=documenter,
                )
    return number + waiting


SERVICES = [str(value) for value in ReferralService.values]
STATUSES = [str(value) for value in ReferralStatus.values]


def _intake_reports_create(violations: dict[str, ViolationType]) -> int:
    """Name the demo secretariat login an intake reviewer and leave two public reports
    waiting for it; how many reports were created (0 once they exist, or without that
    login)."""
    user = get_user_model().objects.filter(email=demo_email(Role.SECRETARIAT)).first()
    if user is None:
        return 0
    if not user.groups.filter(name=Role.INTAKE_REVIEWER).exists():
        user.groups.add(Group.objects.get_or_create(name=Role.INTAKE_REVIEWER)[0])
        log_action(actor=None, action=Action.INTAKE_REVIEWER_ADD, obj=user)
    if Case.objects.filter(reference__startswith=INTAKE_PREFIX).exists():
        return 0
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in=["UA", "KZ"])}
    today = timezone.localdate()
    created = 0
    for reference, iso2, days_ago, code, narrative in INTAKE_REPORTS:
        if iso2 not in countries:
            continue
        happened = today - timedelta(days=days_ago)
        case = Case.objects.create(
            reference=reference,
            organisation=None,
            status=Case.Status.UNREVIEWED,
            source=Case.Source.PUBLIC_INTAKE,
            date_from=happened,
            country=countries[iso2],
            narrative=narrative,
            consent_to_record=True,
            consent_date=happened + timedelta(days=1),
        )
        if code in violations:
            case.violation_types.set([violations[code]])
        created += 1
    return created


def _violation_types() -> list[ViolationType]:
    violation_types_load()
    return list(ViolationType.objects.all())
