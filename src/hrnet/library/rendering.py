"""Resource descriptions are Markdown written by members: rendered to HTML and sanitised
with nh3 (an allow-list), so no script, style or event handler ever reaches a page."""

from __future__ import annotations

import html

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_html(text: str) -> SafeString:
    """Sanitised HTML of Markdown `text`; raw HTML in it is escaped or dropped."""
    rendered = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 allow-list output


def markdown_to_text(text: str) -> str:
    """Plain text of Markdown `text` (for the search index and e-mails)."""
    rendered = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    stripped = nh3.clean(rendered, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(stripped).split())
