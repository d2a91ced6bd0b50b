"""Demo technical assistance: an expert roster (the demo expert login and five consultants
nobody signs in as) and requests of demo member organisations in every state of the
workflow, with work logs, deliverables, due dates and ratings. Everything goes through the
app's services, so it is audited like real work. Idempotent: does nothing when a request
exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.assistance.models import AssistanceRequest, Expert, Kind, StatusChange
from hrnet.assistance.services import (
    deliverable_add,
    expert_save,
    request_assign,
    request_close,
    request_create,
    request_decline,
    request_deliver,
    request_rate,
    request_start,
    request_triage,
    worklog_add,
)
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.library.pdfgen import pdf_build
from hrnet.members.models import Membership, Organisation, Person
from hrnet.members.services.onboarding import person_link_account

Status = AssistanceRequest.Status


@dataclass(frozen=True)
class DemoExpert:
    key: str  # "expert" is the demo login; the others get expert.<key>@demo.example
    full_name: str
    preferred_language: str
    time_zone: str
    engagement: str
    areas: tuple[str, ...]
    kinds: tuple[str, ...]
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    availability: str = Expert.Availability.AVAILABLE
    availability_note: str = ""


EXPERTS = (
    DemoExpert(
        key="expert",
        full_name="Erlan Expert",
        preferred_language="ru",
        time_zone="Asia/Almaty",
        engagement=Expert.Engagement.CONSULTANT,
        areas=("ADVOCACY_FUNDING", "INVESTMENT_EVALUATION", "HIV"),
        kinds=(Kind.GRANT_WRITING, Kind.MONITORING),
        languages=("ru", "en", "kk"),
        countries=("KZ", "KG", "UZ", "TJ"),
    ),
    DemoExpert(
        key="bondarenko",
        full_name="Nataliia Bondarenko",
        preferred_language="ru",
        time_zone="Europe/Kyiv",
        engagement=Expert.Engagement.CONSULTANT,
        areas=("DRUG_POLICY", "ACCESS_TO_HEALTH", "HUMAN_RIGHTS"),
        kinds=(Kind.ADVOCACY, Kind.LEGAL),
        languages=("uk", "ru", "en"),
        countries=("UA", "MD", "BY"),
    ),
    DemoExpert(
        key="tsiklauri",
        full_name="Giorgi Tsiklauri",
        preferred_language="en",
        time_zone="Asia/Tbilisi",
        engagement=Expert.Engagement.CONSULTANT,
        areas=("INVESTMENT_EVALUATION", "HIV", "VIRAL_HEPATITIS"),
        kinds=(Kind.MONITORING, Kind.GRANT_WRITING),
        languages=("ka", "en", "ru"),
        countries=("GE", "AM", "AZ"),
    ),
    DemoExpert(
        key="dzhumabaeva",
        full_name="Ainura Dzhumabaeva",
        preferred_language="ru",
        time_zone="Asia/Bishkek",
        engagement=Expert.Engagement.CONSULTANT,
        areas=("COMMUNITY_SYSTEMS", "COMMUNITY_PARTICIPATION", "GENDER_EQUALITY"),
        kinds=(Kind.COMMUNITY, Kind.ORGANISATIONAL),
        languages=("ky", "ru"),
        countries=("KG", "KZ", "TJ", "UZ"),
        availability=Expert.Availability.LIMITED,
        availability_note="Two days a week until the end of the quarter",
    ),
    DemoExpert(
        key="jovanovic",
        full_name="Milica Jovanović",
        preferred_language="en",
        time_zone="Europe/Belgrade",
        engagement=Expert.Engagement.INTERNAL,
        areas=("HUMAN_RIGHTS", "DRUG_POLICY", "GENDER_EQUALITY"),
        kinds=(Kind.LEGAL, Kind.ADVOCACY),
        languages=("sr", "en"),
        countries=("RS", "ME", "BA", "MK", "HR"),
    ),
    DemoExpert(
        key="rusu",
        full_name="Vitalie Rusu",
        preferred_language="ru",
        time_zone="Europe/Chisinau",
        engagement=Expert.Engagement.CONSULTANT,
        areas=("COMMUNITY_SYSTEMS", "ADVOCACY_FUNDING", "VIRAL_HEPATITIS"),
        kinds=(Kind.ORGANISATIONAL, Kind.GRANT_WRITING),
        languages=("ro", "ru", "en"),
        countries=("MD", "RO", "UA"),
    ),
)


@dataclass(frozen=True)
class DemoRequest:
    country: str  # the requesting organisation's; "UA" is the demo orgadmin's organisation
    status: str
    title: str
    area: str
    kind: str
    description: str
    language: str = "en"
    urgency: str = AssistanceRequest.Urgency.NORMAL
    filed_days_ago: int = 3
    experts: tuple[str, ...] = ()
    due_in_days: int = 30
    work: tuple[tuple[int, str, str], ...] = ()  # (days ago, days, notes)
    deliverable: str = ""  # a title; "library:" first takes a published resource
    rating: int | None = None
    rating_comment: str = ""
    triage_note: str = ""
    decline_reason: str = ""
    wished: tuple[int, int] | None = None  # days from today
    own: bool = False  # filed by the demo orgadmin's organisation


REQUESTS = (
    DemoRequest(
        country="UA",
        own=True,
        status=Status.SUBMITTED,
        title="Адвокация выдачи препаратов ЗПТ на руки на 10 дней",
        area="DRUG_POLICY",
        kind=Kind.ADVOCACY,
        language="ru",
        urgency=AssistanceRequest.Urgency.HIGH,
        filed_days_ago=1,
        wished=(14, 60),
        description=(
            "Министерство здравоохранения готовит новый порядок опиоидной заместительной "
            "терапии. Просим помочь подготовить позиционный документ о выдаче препаратов на "
            "руки на срок до 10 дней и аргументы для встречи с рабочей группой: данные "
            "других стран региона, удержание в программе, риски утечки."
        ),
    ),
    DemoRequest(
        country="TJ",
        status=Status.SUBMITTED,
        title="Тестирование на гепатит C среди женщин, употребляющих наркотики",
        area="VIRAL_HEPATITIS",
        kind=Kind.GRANT_WRITING,
        language="ru",
        filed_days_ago=2,
        description=(
            "Мы хотим подать заявку на малый грант для экспресс-тестирования на ВГС и "
            "сопровождения на лечение женщин, употребляющих наркотики, в Душанбе. Нужна "
            "помощь с логической рамкой и бюджетом."
        ),
    ),
    DemoRequest(
        country="KZ",
        status=Status.TRIAGED,
        title="Global Fund funding request: the harm reduction module",
        area="ADVOCACY_FUNDING",
        kind=Kind.GRANT_WRITING,
        urgency=AssistanceRequest.Urgency.URGENT,
        filed_days_ago=6,
        wished=(7, 45),
        triage_note="Fits the roster; waiting for the country dialogue dates from the CCM.",
        description=(
            "The country coordinating mechanism is preparing the funding request for the "
            "next allocation. We need support to cost needle and syringe programmes, "
            "naloxone and OST scale-up, and to write the community-led component so that "
            "it is not cut in the prioritisation."
        ),
    ),
    DemoRequest(
        country="GE",
        status=Status.ASSIGNED,
        title="M&E framework for a community-led needle and syringe programme",
        area="INVESTMENT_EVALUATION",
        kind=Kind.MONITORING,
        filed_days_ago=12,
        experts=("tsiklauri",),
        due_in_days=24,
        description=(
            "Our programme runs four fixed sites and a mobile unit. We need indicators, a "
            "simple data flow from outreach workers to the national HIV programme and a "
            "plan for a client satisfaction survey, in line with the national M&E plan."
        ),
    ),
    DemoRequest(
        country="UA",
        own=True,
        status=Status.IN_PROGRESS,
        title="Правовая помощь людям, употребляющим наркотики: школа параюристов",
        area="HUMAN_RIGHTS",
        kind=Kind.LEGAL,
        language="ru",
        filed_days_ago=20,
        experts=("bondarenko",),
        due_in_days=2,  # soon: `assistance_tick` reminds the expert
        work=(
            (9, "1", "Интервью с аутрич-работниками о типичных нарушениях прав клиентов."),
            (3, "1.5", "Программа трёхдневного обучения и раздаточные материалы."),
        ),
        description=(
            "Клиенты сообщают о задержаниях у пунктов ЗПТ и изъятии рецептов. Мы хотим "
            "обучить шесть равных консультантов первичной правовой помощи и документированию "
            "случаев нарушений прав."
        ),
    ),
    DemoRequest(
        country="KG",
        status=Status.IN_PROGRESS,
        title="Community-led monitoring of OST and HIV services",
        area="COMMUNITY_PARTICIPATION",
        kind=Kind.COMMUNITY,
        filed_days_ago=35,
        experts=("dzhumabaeva", "expert"),
        due_in_days=21,
        work=(
            (21, "2", "Workshop with the community advisory board on what to monitor."),
            (12, "1", "Questionnaire for clients of OST sites, tested in Bishkek and Osh."),
            (4, "0.5", "Call with the national AIDS centre on sharing the findings."),
        ),
        description=(
            "We want people who use drugs to monitor the quality of OST and HIV services "
            "themselves: indicators, data collection by peers, and how to bring the "
            "findings to the country coordinating mechanism."
        ),
    ),
    DemoRequest(
        country="UA",
        own=True,
        status=Status.DELIVERED,
        title="Бюджетная адвокация: переход программ снижения вреда на госфинансирование",
        area="ADVOCACY_FUNDING",
        kind=Kind.ADVOCACY,
        language="ru",
        filed_days_ago=48,
        experts=("bondarenko", "rusu"),
        work=(
            (40, "2", "Анализ государственного бюджета и закупок услуг профилактики."),
            (30, "1.5", "Расчёт стоимости пакета услуг на одного клиента."),
            (20, "1", "Рекомендации к обсуждению с областной администрацией."),
        ),
        deliverable="Бюджетная адвокация: стоимость услуг и рекомендации",
        description=(
            "Финансирование Глобального фонда сокращается, а областные бюджеты пока не "
            "покрывают снижение вреда. Нужна помощь в расчёте стоимости услуг и в "
            "подготовке предложений к бюджетному процессу следующего года."
        ),
    ),
    DemoRequest(
        country="MD",
        status=Status.DELIVERED,
        title="Organisational development plan and board governance",
        area="COMMUNITY_SYSTEMS",
        kind=Kind.ORGANISATIONAL,
        filed_days_ago=70,
        experts=("rusu",),
        work=(
            (60, "1", "Organisational assessment with the staff and the board."),
            (50, "2", "Strategic planning workshop in Chișinău."),
            (42, "1", "Board statutes and a conflict-of-interest policy."),
        ),
        deliverable="Organisational development plan 2026–2028",
        rating=5,
        rating_comment="Very practical; the board adopted the new statutes at once.",
        description=(
            "We grew from a peer group to an organisation of 25 staff in three years. We "
            "need a development plan, clearer roles of the board and the director, and "
            "policies donors ask for (conflict of interest, procurement, safeguarding)."
        ),
    ),
    DemoRequest(
        country="KZ",
        status=Status.CLOSED,
        title="Transition from Global Fund support: costing harm reduction services",
        area="ADVOCACY_FUNDING",
        kind=Kind.GRANT_WRITING,
        filed_days_ago=120,
        experts=("expert",),
        work=(
            (110, "3", "Unit costs of outreach, NSP and OST from three service providers."),
            (95, "2", "Draft costing and a transition scenario for the ministry."),
        ),
        deliverable="library:",
        rating=4,
        rating_comment="Good analysis; we would have liked it in Russian too.",
        description=(
            "Global Fund support for harm reduction ends in two years. The ministry asked "
            "civil society for the real unit costs of services, to plan state social "
            "contracting; we need an expert to lead the costing with us."
        ),
    ),
    DemoRequest(
        country="RS",
        status=Status.DECLINED,
        title="Funding for a mobile outreach van",
        area="ACCESS_TO_HEALTH",
        kind=Kind.OTHER,
        filed_days_ago=15,
        decline_reason=(
            "Technical assistance does not cover equipment or running costs. We have sent "
            "you the small-grant calls open in the Western Balkans and can help you write "
            "the application if you file a grant-writing request."
        ),
        description="Our van broke down; we need money for a new one to reach Roma settlements.",
    ),
)


def _user(email: str) -> Any:
    return get_user_model().objects.filter(email=email).first()


def _join(user: Any, role: str) -> None:
    user.groups.add(Group.objects.get_or_create(name=role)[0])


def _expert_user(spec: DemoExpert) -> Any:
    email = demo_email(Role.EXPERT) if spec.key == "expert" else f"expert.{spec.key}@demo.example"
    user, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "full_name": spec.full_name,
            "preferred_language": spec.preferred_language,
            "time_zone": spec.time_zone,
        },
    )
    if created:  # on the roster only: nobody signs in as them
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _join(user, Role.EXPERT)
    return user


def _roster(secretariat: Any) -> dict[str, Expert]:
    experts = {}
    for spec in EXPERTS:
        user = _expert_user(spec)
        experts[spec.key] = expert_save(
            actor=secretariat,
            user=user,
            engagement=spec.engagement,
            issue_areas=IssueArea.objects.filter(code__in=spec.areas),
            kinds=list(spec.kinds),
            languages=list(spec.languages),
            countries=Country.objects.filter(iso2__in=spec.countries),
            availability=spec.availability,
            availability_note=spec.availability_note,
            expert=Expert.objects.filter(user=user).first(),
        )
    return experts


def _orgadmin_filer() -> tuple[Organisation, Any] | None:
    orgadmin = _user(demo_email(Role.ORGADMIN))
    if orgadmin is None:
        return None
    organisation = (
        Organisation.objects.filter(
            affiliations__person__user=orgadmin, affiliations__is_admin=True
        )
        .order_by("pk")
        .first()
    )
    return (organisation, orgadmin) if organisation else None


def _filer(iso2: str, taken: set[int]) -> tuple[Organisation, Any] | None:
    """A current member organisation of `iso2` whose admin gets a demo account (nobody
    signs in as it) linked to their record in the register."""
    organisation = (
        Organisation.objects.filter(
            country__iso2=iso2,
            memberships__status__in=Membership.CURRENT_STATUSES,
            affiliations__is_admin=True,
        )
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )
    if organisation is None:
        return None
    person = (
        Person.objects.filter(affiliations__organisation=organisation, affiliations__is_admin=True)
        .order_by("pk")
        .first()
    )
    if person is None:
        return None
    if person.user is not None:
        return organisation, person.user
    email = person.email or f"admin{organisation.pk}@demo-members.example"
    user, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={"full_name": person.full_name, "preferred_language": "ru"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _join(user, Role.ORGADMIN)
    person_link_account(user=user)
    return organisation, user


def _pdf(title: str, request: AssistanceRequest) -> SimpleUploadedFile:
    data = pdf_build(
        title=title,
        paragraphs=[
            request.title,
            str(request.organisation),
            request.description,
            "Demo deliverable: findings, recommendations and next steps would follow here.",
        ],
        author="hrnet technical assistance",
    )
    return SimpleUploadedFile(f"deliverable-{request.pk}.pdf", data, content_type="application/pdf")


def _library_resource() -> Resource | None:
    return (
        Resource.objects.filter(status=Resource.Status.PUBLISHED, visibility="public")
        .order_by("pk")
        .first()
    )


def _backdate(request: AssistanceRequest, spec: DemoRequest) -> None:
    """The services stamp every step with the present moment; spread the timeline over
    the days since filing (work starts on the first day logged, delivery follows the
    last) so the page and the report's time to delivery look lived-in. The audit log
    keeps the true moments."""
    now = timezone.now()
    filed = now - timedelta(days=spec.filed_days_ago)
    worked = [now - timedelta(days=days_ago) for days_ago, _days, _notes in spec.work]
    delivered = (worked[-1] if worked else filed + timedelta(days=3)) + timedelta(days=1)
    moments = {
        Status.SUBMITTED: filed,
        Status.TRIAGED: filed + timedelta(hours=20),
        Status.ASSIGNED: filed + timedelta(days=2),
        Status.DECLINED: filed + timedelta(days=2),
        Status.IN_PROGRESS: worked[0] if worked else filed + timedelta(days=3),
        Status.DELIVERED: delivered,
        Status.CLOSED: delivered + timedelta(days=7),
    }
    for change in request.status_changes.all():
        moment = min(moments[Status(change.to_status)], now)
        StatusChange.objects.filter(pk=change.pk).update(created_at=moment)
    fields: dict[str, Any] = {"created_at": filed}
    if request.delivered_at is not None:
        fields["delivered_at"] = min(delivered, now)
        fields["due_date"] = timezone.localdate(delivered) + timedelta(days=5)
    if request.rated_at is not None:
        fields["rated_at"] = min(delivered + timedelta(days=2), now)
    if request.closed_at is not None:
        fields["closed_at"] = min(delivered + timedelta(days=7), now)
    AssistanceRequest.objects.filter(pk=request.pk).update(**fields)


def _file(spec: DemoRequest, filer: tuple[Organisation, Any]) -> AssistanceRequest:
    organisation, user = filer
    today = timezone.localdate()
    wished_from, wished_until = (
        (today + timedelta(days=spec.wished[0]), today + timedelta(days=spec.wished[1]))
        if spec.wished
        else (None, None)
    )
    return request_create(
        actor=user,
        organisation=organisation,
        title=spec.title,
        issue_area=IssueArea.objects.filter(code=spec.area).first(),
        kind=spec.kind,
        country=organisation.country,
        description=spec.description or spec.title,
        urgency=spec.urgency,
        wished_from=wished_from,
        wished_until=wished_until,
        language=spec.language,
    )


def _advance(
    spec: DemoRequest,
    request: AssistanceRequest,
    secretariat: Any,
    requester: Any,
    experts: dict[str, Expert],
) -> None:
    if spec.status == Status.SUBMITTED:
        return
    if spec.status == Status.DECLINED:
        request_decline(request=request, actor=secretariat, reason=spec.decline_reason)
        return
    request_triage(request=request, actor=secretariat, note=spec.triage_note)
    if spec.status == Status.TRIAGED:
        return
    chosen = [experts[key] for key in spec.experts]
    request_assign(
        request=request,
        actor=secretariat,
        experts=chosen,
        due_date=timezone.localdate() + timedelta(days=spec.due_in_days),
    )
    if spec.status == Status.ASSIGNED:
        return
    lead = chosen[0].user
    if spec.work:
        for index, (days_ago, days, notes) in enumerate(spec.work):
            worker = chosen[index % len(chosen)].user
            worklog_add(
                request=request,
                actor=worker,
                date=timezone.localdate() - timedelta(days=days_ago),
                days=Decimal(days),
                notes=notes,
            )
    else:
        request_start(request=request, actor=lead)
    if spec.status == Status.IN_PROGRESS:
        return
    resource = _library_resource() if spec.deliverable.startswith("library:") else None
    if resource is not None:
        deliverable_add(request=request, actor=lead, title="", resource=resource)
    else:
        title = spec.deliverable.removeprefix("library:") or request.title
        deliverable_add(request=request, actor=lead, title=title, upload=_pdf(title, request))
    request_deliver(request=request, actor=lead)
    if spec.rating is not None:
        request_rate(
            request=request, actor=requester, rating=spec.rating, comment=spec.rating_comment
        )
    if spec.status == Status.CLOSED:
        request_close(request=request, actor=secretariat)


def assistance_demo_create() -> None:
    """Create the demo roster and requests; does nothing when a request exists. Needs the
    demo logins and the member register (see `hrnet.core.demo`)."""
    if AssistanceRequest.objects.exists():
        return
    secretariat = _user(demo_email(Role.SECRETARIAT))
    if secretariat is None:
        return
    with transaction.atomic():
        experts = _roster(secretariat)
        own = _orgadmin_filer()
        taken: set[int] = {own[0].pk} if own else set()
        filers: dict[str, tuple[Organisation, Any]] = {}
        for spec in REQUESTS:
            filer = own if spec.own and own else filers.get(spec.country)
            if filer is None:
                filer = _filer(spec.country, taken)
                if filer is None:
                    continue  # a register without members there: skip the request
                filers[spec.country] = filer
                taken.add(filer[0].pk)
            request = _file(spec, filer)
            _advance(spec, request, secretariat, filer[1], experts)
            request.refresh_from_db()
            _backdate(request, spec)
