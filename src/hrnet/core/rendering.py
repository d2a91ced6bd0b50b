"""Text that people write in Markdown or simple HTML (article bodies, resource
descriptions, campaign goals) as safe HTML for pages, feeds and the API, and as plain text
for the search and emails. One allow-list for every module.

Markdown passes raw HTML through, so its output is always cleaned by nh3 with a short
allow-list: no scripts, styles, event handlers, images or frames, and links only to http,
https and mailto addresses."""

from __future__ import annotations

import html

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise_html(text: str) -> str:
    return nh3.clean(
        text,
        clean_content_tags={"script", "style"},
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


def body_html(text: str) -> SafeString:
    """The text as HTML that is safe to put in a page."""
    rendered = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    return mark_safe(sanitise_html(rendered))  # noqa: S308 - cleaned by nh3 just above


def body_text(text: str) -> str:
    """The text without markup, for the search index and plain-text emails."""
    stripped = nh3.clean(str(body_html(text)), tags=set())
    return " ".join(html.unescape(stripped).split())
