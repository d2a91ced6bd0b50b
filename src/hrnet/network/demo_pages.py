"""The demo's network pages: the network's description of itself (who we are, strategy,
its role in the region, how to join) and a page per issue area, in English and Russian,
read from the Markdown files in seed/ and published through the page services."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from hrnet.core.models import IssueArea
from hrnet.network.models import Page
from hrnet.network.pages import page_create, page_draft_save, page_publish

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


def _link(match: re.Match[str]) -> str:
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
        body = LINK.sub(_link, body.strip())
    return SeedText(
        title=heading.removeprefix("# ").strip(),
        summary=" ".join(summary.split()),
        body=body + "\n",
    )


@transaction.atomic
def network_demo_pages_create(*, actor: Any = None) -> int:
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
