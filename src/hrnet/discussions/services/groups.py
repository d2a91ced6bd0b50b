"""The working groups the secretariat keeps, and the categories restricted to them: names,
members, and what changing a category's readers does to the search.

A group's categories are found in search through an audience key per group
(`discussions.group.<id>`), and who holds a key is read at search time from the group's
members: adding or removing a member needs no reindexing. Changing which groups (or
which visibility) a category has does, and so does removing a group."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.discussions.audit import Action
from hrnet.discussions.mentions import handle_base
from hrnet.discussions.models import Category, Post, WorkingGroup
from hrnet.discussions.policies import category_policy, working_group_policy
from hrnet.search.services import index_update

# A group's page is /groups/<slug>/; this slug is the page that creates one.
RESERVED_SLUGS = frozenset({"new"})


def _clean_names(names: dict[str, str]) -> dict[str, str]:
    cleaned = {code: " ".join((names.get(code) or "").split())[:200] for code in LANGUAGE_CODES}
    if not any(cleaned.values()):
        raise ValidationError({"names": _("Give the group a name in at least one language.")})
    return cleaned


def _free_slug(names: dict[str, str]) -> str:
    source = names.get("en") or next((name for name in names.values() if name), "")
    # Latin letters for a Cyrillic name too: "Рабочая группа" -> "rabochaya-gruppa".
    base = slugify(handle_base(source).replace(".", "-"))[:50].strip("-") or "group"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or WorkingGroup.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def group_create(
    *, actor: User, names: dict[str, str], request: HttpRequest | None = None
) -> WorkingGroup:
    working_group_policy.require(actor, "add")
    names = _clean_names(names)
    with transaction.atomic():
        group = WorkingGroup.objects.create(slug=_free_slug(names), names=names)
        log_action(
            actor=actor,
            action=Action.GROUP_CHANGE,
            obj=group,
            changes={"created": True, "names": names},
            request=request,
        )
    return group


def group_rename(
    *, actor: User, group: WorkingGroup, names: dict[str, str], request: HttpRequest | None = None
) -> WorkingGroup:
    working_group_policy.require(actor, "change", group)
    names = _clean_names(names)
    if names == {code: group.names.get(code, "") for code in LANGUAGE_CODES}:
        return group
    old = group.names
    group.names = names
    group.save(update_fields=["names", "updated_at"])
    log_action(
        actor=actor,
        action=Action.GROUP_CHANGE,
        obj=group,
        changes={"names": {"old": old, "new": names}},
        request=request,
    )
    return group


def group_member_add(
    *, actor: User, group: WorkingGroup, email: str, request: HttpRequest | None = None
) -> User:
    """Add the person with this email address (an active account) to the group."""
    working_group_policy.require(actor, "change", group)
    email = email.strip()
    person = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if person is None:
        raise ValidationError(
            {"email": _("No active account has the address %(email)s.") % {"email": email or "—"}}
        )
    if group.members.filter(pk=person.pk).exists():
        raise ValidationError(
            {"email": _("%(name)s is in the group already.") % {"name": person.full_name or email}}
        )
    group.members.add(person)
    log_action(
        actor=actor,
        action=Action.GROUP_CHANGE,
        obj=group,
        changes={"member_added": person.pk},
        request=request,
    )
    return person


def group_member_remove(
    *, actor: User, group: WorkingGroup, user_id: int, request: HttpRequest | None = None
) -> User | None:
    working_group_policy.require(actor, "change", group)
    person = group.members.filter(pk=user_id).first()
    if person is None:
        return None
    group.members.remove(person)
    log_action(
        actor=actor,
        action=Action.GROUP_CHANGE,
        obj=group,
        changes={"member_removed": person.pk},
        request=request,
    )
    return person


def category_reindex(category: Category) -> int:
    """Make every post of the category say in search who may now find it."""
    posts = Post.objects.filter(thread__category=category).select_related(
        "thread", "thread__category", "thread__category__issue_area"
    )
    count = 0
    for post in posts.iterator(chunk_size=500):
        index_update(post)
        count += 1
    return count


def category_saved(
    *,
    actor: User,
    category: Category,
    created: bool,
    changes: dict[str, Any],
    readers_changed: bool,
    request: HttpRequest | None = None,
) -> None:
    """After the admin saved a category (its groups included): audited, and when its
    readers changed (visibility, groups) its posts' search entries follow."""
    category_policy.require(actor, "change")
    if readers_changed and not created:
        category_reindex(category)
    log_action(
        actor=actor,
        action=Action.CATEGORY_CREATE if created else Action.CATEGORY_CHANGE,
        obj=category,
        changes=changes,
        request=request,
    )


def group_delete(*, actor: User, group: WorkingGroup, request: HttpRequest | None = None) -> None:
    """A group removed: its categories lose its readers, in search too."""
    working_group_policy.require(actor, "delete", group)
    with transaction.atomic():
        categories = list(group.categories.all())
        log_action(
            actor=actor,
            action=Action.GROUP_CHANGE,
            obj=group,
            changes={"deleted": True, "categories": [c.pk for c in categories]},
            request=request,
        )
        group.delete()
        for category in categories:
            category_reindex(category)
