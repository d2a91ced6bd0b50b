"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import SafeString

from hrnet.accounts.roles import user_has_role
from hrnet.core.i18n import localized as localized_text
from hrnet.core.types import Actor

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The current page in every interface language, for the language switcher."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            native = str(name)
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "label": native,
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


@register.filter
def has_role(user: Actor, roles: str) -> bool:
    """`{% if user|has_role:"secretariat,orgadmin" %}`."""
    return user_has_role(user, *[r.strip() for r in roles.split(",") if r.strip()])


@register.filter
def localized(values: dict[str, str] | None) -> str:
    return localized_text(values)


@register.simple_tag(takes_context=True)
def nav_current(context: dict[str, Any], url_name: str) -> str:
    """aria-current for the navigation link of the page being shown."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match and (match.view_name == url_name or match.namespace == url_name):
        # A constant attribute: safe, so the template does not escape its quotes.
        return SafeString('aria-current="page"')
    return ""
