"""The network's demo content: its pages, a project with partners and outputs, and a team
with the contact form's topics.

- Pages: the network's description of itself (who we are, strategy, its role in the
  region, how to join) and a page per issue area, in English and Russian, read from the
  Markdown files in seed/ and published through the page services.
- Project: a regional platform funded by an international donor, in the spirit of the
  network's own description (the first seed document): overviews of donor documents,
  webinars for community leaders, trainings and technical assistance, with partners (a
  network of people who use drugs, a UN agency, the donor) and outputs linked from the
  demo's events, resources and assistance requests where they exist. The project, its
  partners and commitments are made once; each run links the demo records that appeared
  since and are not linked yet.
- Team: a fictional contact person (never the real person of the network's source
  document) as head of network and community capacity development, two more fictional
  team members, and the contact form's topics routed to them. Members are found by name
  and topics by their English name.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.assistance.models import AssistanceRequest
from hrnet.core.demo import DEMO_DOMAIN, demo_email
from hrnet.core.models import IssueArea
from hrnet.events.models import Event
from hrnet.geo.models import Country
from hrnet.library.models import Resource
from hrnet.network.models import Commitment, ContactTopic, Page, Partner, Project, TeamMember
from hrnet.network.services import projects
from hrnet.network.services.pages import page_create, page_draft_save, page_publish
from hrnet.network.services.team import contact_topic_create, team_member_create

# --- pages ------------------------------------------------------------------------------


SEED_DIR = Path(__file__).resolve().parent / "seed"
# Links in the seed name a page or a URL, not an address: "(page:about)", "(url:members:apply)".
LINK = re.compile(r"\]\((page|url):([\w:-]+)\)")


@dataclass(frozen=True)
class SeedText:
    title: str
    summary: str
    body: str


def seed_index(directory: Path = SEED_DIR) -> list[dict[str, Any]]:
    """The seed's pages in menu order: slug, optional issue_area code and in_menu."""
    data = json.loads((directory / "pages.json").read_text(encoding="utf-8"))
    return list(data["pages"])


def _seed_link(match: re.Match[str]) -> str:
    kind, name = match.group(1), match.group(2)
    if kind == "page":
        return f"]({reverse('network:page_detail', kwargs={'slug': name})})"
    return f"]({reverse(name)})"


def seed_text(slug: str, language: str, directory: Path = SEED_DIR) -> SeedText:
    """A seed file's title (its first line, "# Title"), summary (the paragraph after it)
    and body (the rest), with its links made addresses in the file's language."""
    text = (directory / f"{slug}.{language}.md").read_text(encoding="utf-8").strip()
    heading, _, rest = text.partition("\n")
    summary, _, body = rest.strip().partition("\n\n")
    with translation.override(language):
        body = LINK.sub(_seed_link, body.strip())
    return SeedText(
        title=heading.removeprefix("# ").strip(),
        summary=" ".join(summary.split()),
        body=body + "\n",
    )


@transaction.atomic
def network_demo_pages_create(*, actor: User | None = None) -> int:
    """Create and publish the demo pages in both languages; does nothing when the about
    page exists (the secretariat may have edited it). Returns the number of pages made."""
    if Page.objects.filter(slug="about").exists():
        return 0
    languages = [code for code, _name in settings.LANGUAGES]
    areas = {area.code: area for area in IssueArea.objects.all()}
    created = 0
    for position, entry in enumerate(seed_index(), start=1):
        page = page_create(
            actor=actor,
            slug=entry["slug"],
            menu_position=position * 10,
            in_menu=entry.get("in_menu", True),
            # Without the reference data the page is still made, about no issue area.
            issue_area=areas.get(entry.get("issue_area") or ""),
        )
        for language in languages:
            if not (SEED_DIR / f"{page.slug}.{language}.md").exists():
                continue
            text = seed_text(page.slug, language)
            page_draft_save(
                actor=actor,
                page=page,
                language=language,
                title=text.title,
                summary=text.summary,
                body=text.body,
            )
            page_publish(actor=actor, page=page, language=language)
        created += 1
    return created


# --- the project ------------------------------------------------------------------------

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


def _partners(actor: User) -> list[Partner]:
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


def _project(actor: User) -> Project:
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


def _outputs_link(actor: User, commitment: Commitment, records: list[Any], field: str) -> None:
    linked = set(commitment.outputs.values_list(f"{field}_id", flat=True))
    for record in records:
        if record.pk not in linked:
            projects.commitment_output_link(actor=actor, commitment=commitment, **{field: record})


@transaction.atomic
def network_demo_projects_create() -> Project | None:
    """The demo project (made once) with outputs linked from the demo's other modules."""
    actor = User.objects.filter(email=demo_email(Role.SECRETARIAT)).first()
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
            _outputs_link(actor, commitment, records, field)
    return project


# --- the team ---------------------------------------------------------------------------

# Fictional people with fictional (but well-formed) phone numbers.
MEMBERS: list[dict[str, Any]] = [
    {
        "key": "contact",
        "full_name": "Mira Kovalenko",
        "roles": {
            "en": "Head of network and community capacity development",
            "ru": "Руководитель направления по развитию сети и потенциала сообществ",
        },
        "languages": ["en", "ru", "uk"],
        "email": f"contact@{DEMO_DOMAIN}",
        "phone": "+37322555010",
        "publish_email": True,
        "publish_phone": True,
        "position": 1,
    },
    {
        "key": "assistance",
        "full_name": "Timur Saidov",
        "roles": {
            "en": "Technical assistance coordinator",
            "ru": "Координатор технической помощи",
        },
        "languages": ["ru", "en", "uz"],
        "email": f"assistance@{DEMO_DOMAIN}",
        "phone": "+37322555011",
        "publish_email": False,
        "publish_phone": True,
        "position": 2,
    },
    {
        "key": "media",
        "full_name": "Lena Horvat",
        "roles": {"en": "Communications officer", "ru": "Специалист по коммуникациям"},
        "languages": ["en", "ru"],
        "email": f"media@{DEMO_DOMAIN}",
        "phone": "",
        "publish_email": False,
        "publish_phone": False,
        "position": 3,
    },
]

TOPICS: list[tuple[dict[str, str], str]] = [
    ({"en": "Membership", "ru": "Членство в сети"}, "contact"),
    ({"en": "Technical assistance", "ru": "Техническая помощь"}, "assistance"),
    ({"en": "Media", "ru": "СМИ"}, "media"),
]


def network_demo_team_create() -> None:
    """The demo team and topics, through the services (validated and audited), once."""
    actor = User.objects.filter(email=demo_email(Role.SECRETARIAT)).first()
    if actor is None:
        return
    with transaction.atomic():
        members: dict[str, TeamMember] = {}
        for spec in MEMBERS:
            fields = {name: value for name, value in spec.items() if name != "key"}
            member = TeamMember.objects.filter(full_name=spec["full_name"]).first()
            if member is None:
                member = team_member_create(actor=actor, **fields)
            members[spec["key"]] = member
        for position, (names, key) in enumerate(TOPICS, start=1):
            if ContactTopic.objects.filter(names__en=names["en"]).exists():
                continue
            contact_topic_create(
                actor=actor, names=names, recipient=members[key], position=position
            )
