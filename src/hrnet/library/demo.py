"""Demo content of the resource library: resources in English and Russian on every issue
area, linked as translations, some for network members only, several with small real PDF
files written now (fpdf2 with the vendored DejaVu Sans), plus a submission waiting in the
moderation queue and a rejected one. Skipped when the library has resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email
from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.library.pdfgen import pdf_build
from hrnet.library.services.resources import resource_create, resource_reject


@dataclass(frozen=True)
class Text:
    title: str
    summary: str
    description: str
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoResource:
    type: str
    area: str
    countries: tuple[str, ...]
    published: date
    publisher: str
    en: Text
    ru: Text | None = None
    members_only: bool = False
    pdf: bool = False
    authors: str = ""
    external_url: str = ""
    extra_areas: tuple[str, ...] = field(default=())


# The publishers and authors as the Russian versions of the resources name them.
IN_RUSSIAN = {
    "Harm Reduction Network": "Сеть снижения вреда",
    "Community network of Kyrgyzstan": "Сеть сообществ Кыргызстана",
    "Women's harm reduction network": "Женская сеть снижения вреда",
    "Network secretariat": "Секретариат сети",
}


def _in(language: str, text: str) -> str:
    return IN_RUSSIAN.get(text, text) if language == "ru" else text


RESOURCES: tuple[DemoResource, ...] = (
    DemoResource(
        type="guidance",
        area="VIRAL_HEPATITIS",
        extra_areas=("ACCESS_TO_HEALTH",),
        countries=("UA", "MD", "GE", "KZ"),
        published=date(2025, 4, 15),
        publisher="Harm Reduction Network",
        authors="Network secretariat",
        pdf=True,
        en=Text(
            "Hepatitis C: access to treatment for people who use drugs",
            "How harm reduction programmes test for hepatitis C and bring people who use "
            "drugs to direct-acting antiviral treatment.",
            "Direct-acting antivirals **cure hepatitis C in 8–12 weeks**. This guidance "
            "shows how outreach workers:\n\n- offer rapid antibody tests during contacts;\n"
            "- arrange RNA confirmation the same week;\n- accompany clients to treatment.",
            (
                "People who use drugs carry most of the hepatitis C burden in the region, "
                "yet few of them receive treatment.",
                "Low-threshold testing at needle and syringe programmes, peer navigation and "
                "treatment without a requirement of abstinence close the gap.",
            ),
        ),
        ru=Text(
            "Гепатит C: доступ к лечению для людей, употребляющих наркотики",
            "Как программы снижения вреда организуют тестирование на гепатит C и приводят "
            "людей, употребляющих наркотики, к лечению препаратами прямого действия.",
            "Препараты прямого противовирусного действия **излечивают гепатит C за 8–12 "
            "недель**. В руководстве описано, как аутрич-работники:\n\n- предлагают экспресс-"
            "тест на антитела;\n- организуют подтверждение РНК в ту же неделю;\n"
            "- сопровождают клиентов на лечение.",
            (
                "На людей, употребляющих наркотики, приходится основная часть случаев "
                "гепатита C в регионе, но лечение получают немногие.",
                "Низкопороговое тестирование в программах обмена шприцев, сопровождение "
                "равными консультантами и лечение без требования воздержания сокращают этот "
                "разрыв.",
            ),
        ),
    ),
    DemoResource(
        type="report",
        area="HIV",
        countries=("UA", "BY", "KZ", "KG", "TJ"),
        published=date(2024, 12, 1),
        publisher="Harm Reduction Network",
        pdf=True,
        en=Text(
            "HIV among people who inject drugs: regional report 2024",
            "New HIV infections, testing and treatment coverage among people who inject "
            "drugs in Eastern Europe and Central Asia.",
            "The region is one of the few in the world where the HIV epidemic is still "
            "growing. The report brings together national data on testing, treatment and "
            "viral suppression.",
            (
                "Coverage of needle and syringe programmes remains below the WHO threshold in "
                "most countries.",
                "Where opioid agonist therapy is available at scale, new infections fall.",
            ),
        ),
        ru=Text(
            "ВИЧ среди людей, употребляющих инъекционные наркотики: региональный отчёт 2024",
            "Новые случаи ВИЧ, охват тестированием и лечением среди людей, употребляющих "
            "инъекционные наркотики, в Восточной Европе и Центральной Азии.",
            "Регион остаётся одним из немногих в мире, где эпидемия ВИЧ продолжает расти. "
            "Отчёт объединяет национальные данные о тестировании, лечении и вирусной "
            "супрессии.",
            (
                "Охват программами обмена игл и шприцев в большинстве стран ниже порога ВОЗ.",
                "Там, где опиоидная заместительная терапия доступна в достаточном объёме, "
                "число новых случаев снижается.",
            ),
        ),
    ),
    DemoResource(
        type="overview",
        area="ADVOCACY_FUNDING",
        extra_areas=("INVESTMENT_EVALUATION",),
        countries=("RO", "BG", "RS", "MK"),
        published=date(2025, 2, 10),
        publisher="Harm Reduction Network",
        pdf=True,
        en=Text(
            "Global Fund guidance on sustainability, transition and co-financing: an overview",
            "What the Global Fund's policy means for harm reduction programmes preparing "
            "for the end of donor funding.",
            "A short overview of the key documents: eligibility, co-financing commitments, "
            "and what countries must show before a grant ends.",
            (
                "Transition plans must name who will pay for needle and syringe programmes, "
                "naloxone and opioid agonist therapy.",
                "Community-led services risk closure when public funding does not follow.",
            ),
        ),
        ru=Text(
            "Руководство Глобального фонда по устойчивости, переходу и софинансированию: обзор",
            "Что политика Глобального фонда означает для программ снижения вреда, которые "
            "готовятся к окончанию донорского финансирования.",
            "Краткий обзор ключевых документов: критерии приемлемости, обязательства по "
            "софинансированию и что страны должны показать до окончания гранта.",
            (
                "В планах перехода должно быть указано, кто будет оплачивать обмен шприцев, "
                "налоксон и заместительную терапию.",
                "Сервисы, которыми руководят сообщества, рискуют закрыться, если "
                "государственное финансирование не придёт им на смену.",
            ),
        ),
    ),
    DemoResource(
        type="case_study",
        area="INVESTMENT_EVALUATION",
        countries=("RO",),
        published=date(2023, 9, 20),
        publisher="Harm Reduction Network",
        members_only=True,
        pdf=True,
        en=Text(
            "What donor withdrawal cost: the Romanian case",
            "HIV outbreaks among people who inject drugs after harm reduction funding ended.",
            "When international funding left, needle and syringe programmes closed and an "
            "HIV outbreak followed. The case study puts figures on the cost of inaction.",
            ("Members-only draft figures; please do not circulate outside the network.",),
        ),
        ru=Text(
            "Чего стоил уход донора: пример Румынии",
            "Вспышки ВИЧ среди людей, употребляющих инъекционные наркотики, после окончания "
            "финансирования снижения вреда.",
            "Когда международное финансирование прекратилось, программы обмена шприцев "
            "закрылись, и последовала вспышка ВИЧ. Исследование показывает цену бездействия.",
            ("Предварительные данные только для членов сети.",),
        ),
    ),
    DemoResource(
        type="best_practice",
        area="COMMUNITY_SYSTEMS",
        countries=("KG", "TJ"),
        published=date(2024, 6, 5),
        publisher="Community network of Kyrgyzstan",
        en=Text(
            "Peer-led outreach in Central Asia",
            "How community organisations run outreach with peer workers and keep it going.",
            "Peer outreach workers reach people that services miss. This practice describes "
            "recruitment, training, supervision and pay.",
        ),
        ru=Text(
            "Аутрич-работа равных в Центральной Азии",
            "Как организации сообществ ведут аутрич-работу с равными консультантами и "
            "сохраняют её.",
            "Равные аутрич-работники достигают людей, которых не видят сервисы. Описаны "
            "набор, обучение, супервизия и оплата труда.",
        ),
    ),
    DemoResource(
        type="guidance",
        area="HUMAN_RIGHTS",
        countries=("GE", "AM", "AZ"),
        published=date(2024, 3, 1),
        publisher="Harm Reduction Network",
        en=Text(
            "Documenting human rights violations against people who use drugs",
            "A practical guide for paralegals and community activists.",
            "How to record a violation with consent, what evidence to keep, and how to refer "
            "a person to legal aid.",
        ),
        ru=Text(
            "Документирование нарушений прав людей, употребляющих наркотики",
            "Практическое руководство для параюристов и активистов сообществ.",
            "Как зафиксировать нарушение с согласия человека, какие доказательства сохранить "
            "и как направить человека за юридической помощью.",
        ),
    ),
    DemoResource(
        type="policy_brief",
        area="DRUG_POLICY",
        countries=("KZ", "UZ", "TM"),
        published=date(2025, 1, 20),
        publisher="Harm Reduction Network",
        en=Text(
            "Decriminalising possession for personal use: a policy brief",
            "Why punishment for possession drives people away from health services.",
            "Evidence from the region and beyond on the health effects of repressive drug "
            "laws, with recommendations for parliaments.",
        ),
        ru=Text(
            "Декриминализация хранения для личного употребления: аналитическая записка",
            "Почему наказание за хранение отталкивает людей от медицинских услуг.",
            "Данные из региона и других стран о влиянии репрессивной наркополитики на "
            "здоровье и рекомендации для парламентов.",
        ),
    ),
    DemoResource(
        type="training",
        area="GENDER_EQUALITY",
        countries=("UA", "MD"),
        published=date(2024, 10, 10),
        publisher="Women's harm reduction network",
        members_only=True,
        en=Text(
            "Gender-sensitive harm reduction services: training module",
            "A one-day training for service staff on the needs of women who use drugs.",
            "Sessions on violence, stigma, pregnancy and child custody, with exercises.",
        ),
        ru=Text(
            "Гендерно-чувствительные услуги снижения вреда: учебный модуль",
            "Однодневный тренинг для сотрудников сервисов о потребностях женщин, "
            "употребляющих наркотики.",
            "Занятия о насилии, стигме, беременности и опеке над детьми, с упражнениями.",
        ),
    ),
    DemoResource(
        type="methodology",
        area="COMMUNITY_PARTICIPATION",
        countries=("LT", "LV", "EE"),
        published=date(2023, 11, 15),
        publisher="Harm Reduction Network",
        en=Text(
            "Community-led monitoring: a methodological guide",
            "How communities collect and use data on the quality of services.",
            "Choosing indicators, collecting feedback safely, and bringing findings to "
            "country coordinating mechanisms.",
        ),
        ru=Text(
            "Мониторинг силами сообществ: методическое руководство",
            "Как сообщества собирают и используют данные о качестве услуг.",
            "Выбор индикаторов, безопасный сбор отзывов и представление результатов "
            "страновым координационным механизмам.",
        ),
    ),
    DemoResource(
        type="dataset",
        area="ACCESS_TO_HEALTH",
        countries=("PL", "CZ", "HU", "SK"),
        published=date(2025, 3, 3),
        publisher="Harm Reduction Network",
        external_url="https://example.org/datasets/naloxone-2024",
        en=Text(
            "Naloxone availability in Central Europe, 2024",
            "Take-home naloxone programmes by country: who distributes, to whom, and how much.",
            "A table of programmes, kits distributed and reported overdose reversals.",
        ),
        ru=Text(
            "Доступность налоксона в Центральной Европе, 2024",
            "Программы выдачи налоксона на руки по странам: кто выдаёт, кому и сколько.",
            "Таблица программ, выданных наборов и зарегистрированных случаев спасения от "
            "передозировки.",
        ),
    ),
    DemoResource(
        type="case_study",
        area="HIV",
        countries=("ME", "AL"),
        published=date(2024, 8, 1),
        publisher="Harm Reduction Network",
        pdf=True,
        en=Text(
            "Mobile harm reduction units in the Western Balkans",
            "Bringing testing and sterile equipment to small towns by van.",
            "Two programmes describe routes, staffing and the number of people reached.",
            ("Mobile units reached three times more people in rural areas than fixed sites.",),
        ),
        ru=Text(
            "Мобильные пункты снижения вреда на Западных Балканах",
            "Тестирование и стерильный инструментарий — в небольшие города на микроавтобусе.",
            "Две программы рассказывают о маршрутах, составе команд и числе охваченных людей.",
            (
                "Мобильные пункты охватили в сельской местности втрое больше людей, чем "
                "стационарные.",
            ),
        ),
    ),
)


def _demo_user(role: str) -> Any:
    return get_user_model().objects.filter(email=demo_email(role)).first()


def _pdf_upload(text: Text, language: str, slug: str, publisher: str) -> SimpleUploadedFile:
    data = pdf_build(
        title=text.title, paragraphs=[text.summary, *text.paragraphs], author=publisher
    )
    return SimpleUploadedFile(f"{slug}-{language}.pdf", data, content_type="application/pdf")


def _create(
    item: DemoResource, text: Text, language: str, actor: Actor, original: Resource | None
) -> Resource:
    slug = item.en.title.split(":")[0].lower().replace(" ", "-")[:40]
    areas = IssueArea.objects.filter(code__in=[item.area, *item.extra_areas])
    return resource_create(
        actor=actor,
        type=item.type,
        title=text.title,
        summary=text.summary,
        description=text.description,
        language=language,
        publication_date=item.published,
        visibility="members" if item.members_only else "public",
        publisher=_in(language, item.publisher),
        authors=_in(language, item.authors),
        # Without a file, a resource points to where it is published (a placeholder).
        external_url=item.external_url or ("" if item.pdf else f"https://example.org/{slug}"),
        issue_areas=areas,
        countries=Country.objects.filter(iso2__in=item.countries),
        uploads=[_pdf_upload(text, language, slug, _in(language, item.publisher))]
        if item.pdf
        else [],
        translation_of=original,
    )


def library_demo_create() -> None:
    """Create the demo library; does nothing when resources exist. Needs the reference
    data (issue areas, countries) and the demo logins."""
    if Resource.all_objects.exists():
        return
    secretariat = _demo_user(Role.SECRETARIAT)
    member = _demo_user(Role.MEMBER) or secretariat
    if secretariat is None:
        secretariat = get_user_model().objects.filter(is_superuser=True).first()
    if secretariat is None:
        return  # no one to publish as
    with transaction.atomic():
        for item in RESOURCES:
            original = _create(item, item.en, "en", secretariat, None)
            if item.ru is not None:
                _create(item, item.ru, "ru", secretariat, original)
        if member is not None and member != secretariat:
            _member_submissions(member, secretariat)


def _member_submissions(member: Any, secretariat: Any) -> None:
    """One submission in the moderation queue, one rejected with a reason."""
    resource_create(
        actor=member,
        type="best_practice",
        title="Night-time outreach with naloxone in Tbilisi",
        summary="How our team reaches people at night and hands out naloxone kits.",
        description="Two outreach workers, one van, **four nights a week**.",
        language="en",
        publication_date=date(2025, 5, 20),
        issue_areas=IssueArea.objects.filter(code="ACCESS_TO_HEALTH"),
        countries=Country.objects.filter(iso2="GE"),
        uploads=[
            SimpleUploadedFile(
                "night-outreach.pdf",
                pdf_build(
                    title="Night-time outreach with naloxone in Tbilisi",
                    paragraphs=["A submission waiting for the secretariat's review."],
                ),
            )
        ],
    )
    rejected = resource_create(
        actor=member,
        type="report",
        title="Annual report of our organisation",
        summary="Our activities last year.",
        language="en",
        publication_date=date(2025, 1, 31),
        external_url="https://example.org/annual-report",
    )
    resource_reject(
        resource=rejected,
        actor=secretariat,
        reason="Organisations' own annual reports belong on their profile page, not in the "
        "library. Please submit the evaluation chapter as a case study instead.",
    )
