"""How a post's author is named wherever a post is shown (pages, API, emails, feeds): their
name, else their mention name, never their email address; a person erased from the
register (no author left, or a deactivated account without a name) is a "Former member"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _


def author_name(user: Any) -> str:
    if user is None or (not user.is_active and not user.full_name):
        return _("Former member")
    if user.full_name:
        return str(user.full_name)
    try:
        return f"@{user.discussion_preference.handle}"
    except ObjectDoesNotExist:
        return _("A member")
