"""`{% load members_map %}{% member_map %}`: the member map anywhere (home, country pages).

{% member_map %}                    every country, for the viewer
{% member_map highlight="MD" %}     with Moldova outlined
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from hrnet.members.selectors.directory import member_map as member_map_build

register = template.Library()


@register.inclusion_tag("members/partials/directory_map.html", takes_context=True)
def member_map(context: dict[str, Any], highlight: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    return {"member_map": member_map_build(user, highlight=highlight)}
