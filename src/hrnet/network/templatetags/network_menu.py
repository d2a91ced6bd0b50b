"""`{% load network_menu %}{% network_menu %}`: the network's published pages in the menu,
each by its title in the current language (or, not yet translated, in the one it has)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import translation

from hrnet.network.selectors.pages import page_menu

register = template.Library()


@register.inclusion_tag("network/pages/partials/page_menu.html", takes_context=True)
def network_menu(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    current = ""
    if request is not None:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name == "network:page_detail":
            current = match.kwargs.get("slug", "")
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {"entries": page_menu(language=language), "current": current}
