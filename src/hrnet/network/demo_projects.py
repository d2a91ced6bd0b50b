"""Demo project: a regional platform funded by an international donor, in the spirit of the
network's own description (the first seed document): overviews of donor documents,
webinars for community leaders, trainings and technical assistance, with partners (a
network of people who use drugs, a UN agency, the donor) and outputs linked from the
demo's events, resources and assistance requests where they exist.

Idempotent: the project, its partners and commitments are made once; each run links the
demo records that appeared since and are not linked yet.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from hrnet.accounts.roles import Role
from hrnet.assistance.models import AssistanceRequest
from hrnet.core.demo import demo_email
from hrnet.events.models import Event
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.network import projects
from hrnet.network.models import Commitment, Partner, Project

SLUG = "regional-platform"
COUNTRIES = ("MD", "UA", "BY", "GE", "AM", "AZ", "KZ", "KG", "TJ", "UZ")

PARTNERS: list[dict[str, Any]] = [
    {
        "names": {"en": "Example Foundation", "ru": "Фонд «Пример»"},
        "kind": Partner.Kind.DONOR,
        "url": "https://foundation.example.org/",
        "initials": "EF",
        "colour": (30, 90, 160),
    },
    {
        "names": {
            "en": "Eurasian Network of People who Use Drugs (example)",
            "ru": "Евразийская сеть людей, употребляющих наркотики (пример)",
        },
        "kind": Partner.Kind.COMMUNITY,
        "url": "https://community-network.example.org/",
        "initials": "PUD",
        "colour": (150, 40, 90),
    },
    {
        "names": {"en": "UN agency on HIV (example)", "ru": "Агентство ООН по ВИЧ (пример)"},
        "kind": Partner.Kind.UN_AGENCY,
        "url": "https://un-agency.example.org/",
        "initials": "UN",
        "colour": (0, 120, 190),
    },
]

COMMITMENTS: list[dict[str, Any]] = [
    {
        "kind": Commitment.Kind.DOCUMENT_OVERVIEW,
        "target": 4,
        "descriptions": {
            "en": "Short overviews of the donor's main documents on its funding model and on "
            "communities, human rights and gender, and of international guidance on key "
            "communities.",
            "ru": "Краткие обзоры основных документов донора о модели финансирования и о "
            "сообществах, правах человека и гендере, а также международных руководств по "
            "ключевым сообществам.",
        },
    },
    {
        "kind": Commitment.Kind.WEBINAR,
        "target": 6,
        "descriptions": {
            "en": "Webinars for community leaders and activists ahead of global events (UN "
            "General Assembly special sessions, the donor's board, international conferences).",
            "ru": "Вебинары для лидеров и активистов сообществ перед глобальными событиями "
            "(специальные сессии Генеральной Ассамблеи ООН, правление донора, международные "
            "конференции).",
        },
    },
    {
        "kind": Commitment.Kind.TRAINING,
        "target": 2,
        "descriptions": {
            "en": "Trainings for community leaders and activists on the regional community "
            "network development model.",
            "ru": "Тренинги для лидеров и активистов сообществ по региональной модели развития "
            "сетей сообществ.",
        },
    },
    {
        "kind": Commitment.Kind.TECHNICAL_ASSISTANCE,
        "target": 5,
        "descriptions": {
            "en": "Technical assistance to national organisations and to the capacity building "
            "of the network of people who use drugs.",
            "ru": "Техническая помощь национальным организациям и в укреплении потенциала сети "
            "людей, употребляющих наркотики.",
        },
    },
]


def _logo(initials: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (240, 120), colour)
    ImageDraw.Draw(image).text((20, 45), initials, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{initials.lower()}.png", buffer.getvalue(), "image/png")


def _partners(actor: Any) -> list[Partner]:
    partners = []
    for position, spec in enumerate(PARTNERS):
        partner = Partner.objects.filter(names__en=spec["names"]["en"]).first()
        if partner is None:
            partner = projects.partner_create(
                actor=actor,
                names=spec["names"],
                kind=spec["kind"],
                url=spec["url"],
                logo=_logo(spec["initials"], spec["colour"]),
                logo_alt=spec["names"]["en"],
                position=position,
            )
        partners.append(partner)
    return partners


def _project(actor: Any) -> Project:
    project = Project.objects.filter(slug=SLUG).first()
    if project is not None:
        return project
    donor, community, agency = _partners(actor)
    project = projects.project_create(
        actor=actor,
        slug=SLUG,
        names={
            "en": "Regional platform on communities, rights and gender",
            "ru": "Региональная платформа по вопросам сообществ, прав и гендера",
        },
        summaries={
            "en": "A regional platform through which the network brings the voices of people "
            "who use drugs into the programmes of an international donor in Eastern Europe "
            "and Central Asia.",
            "ru": "Региональная платформа, через которую сеть доносит голос людей, "
            "употребляющих наркотики, до программ международного донора в Восточной Европе и "
            "Центральной Азии.",
        },
        objectives={
            "en": "- Communities of people who use drugs take part in the donor's processes "
            "at country and regional level.\n"
            "- Community leaders know the donor's rules and speak at global events.\n"
            "- National organisations get technical assistance when they need it.",
            "ru": "- Сообщества людей, употребляющих наркотики, участвуют в процессах донора "
            "на страновом и региональном уровне.\n"
            "- Лидеры сообществ знают правила донора и выступают на глобальных событиях.\n"
            "- Национальные организации получают техническую помощь, когда она нужна.",
        },
        donors=[donor],
        partners=[community, agency],
        countries=Country.objects.filter(iso2__in=COUNTRIES),
        start_date=date(2024, 1, 1),
        end_date=date(2026, 12, 31),
        is_published=True,
    )
    for position, spec in enumerate(COMMITMENTS):
        projects.commitment_create(actor=actor, project=project, position=position, **spec)
    return project


def _link(actor: Any, commitment: Commitment, records: list[Any], field: str) -> None:
    linked = set(commitment.outputs.values_list(f"{field}_id", flat=True))
    for record in records:
        if record.pk not in linked:
            projects.commitment_output_link(actor=actor, commitment=commitment, **{field: record})


@transaction.atomic
def network_demo_projects_create() -> Project | None:
    """The demo project (made once) with outputs linked from the demo's other modules."""
    actor = get_user_model().objects.filter(email=demo_email(Role.SECRETARIAT)).first()
    if actor is None:
        return None
    project = _project(actor)
    by_kind = {c.kind: c for c in project.commitments.all()}
    published = Event.objects.exclude(status=Event.Status.DRAFT).order_by("starts_at", "pk")
    outputs: list[tuple[str, list[Any], str]] = [
        (
            Commitment.Kind.DOCUMENT_OVERVIEW,
            list(
                Resource.objects.filter(
                    type=Resource.Type.OVERVIEW, status=Resource.Status.PUBLISHED
                )[:2]
            ),
            "resource",
        ),
        (
            Commitment.Kind.WEBINAR,
            list(published.filter(kind__in=[Event.Kind.WEBINAR, Event.Kind.DISCUSSION])[:3]),
            "event",
        ),
        (Commitment.Kind.TRAINING, list(published.filter(kind=Event.Kind.TRAINING)[:1]), "event"),
        (
            Commitment.Kind.TECHNICAL_ASSISTANCE,
            list(AssistanceRequest.objects.order_by("pk")[:2]),
            "assistance_request",
        ),
    ]
    for kind, records, field in outputs:
        commitment = by_kind.get(kind)
        if commitment is not None:
            _link(actor, commitment, records, field)
    return project
