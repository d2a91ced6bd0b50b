"""Admin of the discussions, for the moderators (the secretariat) only: categories and
working groups are set up here; threads, posts and flags can be looked up. Moderation
itself (hiding, locking, moving) happens on the pages, where it is audited and keeps the
search and the counters right; the thread actions here call the same services.

Changing who can read a category (its visibility or its groups) rewrites the search
entries of its posts (`services.groups.category_saved`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from hrnet.core.audit import log_action
from hrnet.core.forms import per_language_initial, per_language_texts
from hrnet.core.i18n import LANGUAGE_CODES, language_name
from hrnet.core.policies import PolicyAdminMixin
from hrnet.discussions.audit import Action
from hrnet.discussions.models import Category, Flag, Post, Thread, WorkingGroup
from hrnet.discussions.policies import (
    category_policy,
    flag_policy,
    post_policy,
    thread_policy,
    working_group_policy,
)
from hrnet.discussions.services import groups, moderation


def _per_language(prefix: str, label: Any, *, textarea: bool = False) -> dict[str, forms.Field]:
    """`<prefix>_<code>` fields, one per language of the site, declared on the form's class
    (the admin lays out only declared fields), labelled lazily in the reader's language."""
    return {
        f"{prefix}_{code}": forms.CharField(
            label=format_lazy("{} ({})", label, language_name(code)),
            required=False,
            max_length=2000 if textarea else 200,
            widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})
            if textarea
            else forms.TextInput(attrs={"class": "vTextField"}),
        )
        for code in LANGUAGE_CODES
    }


def _declare(form: type[forms.ModelForm], fields: dict[str, forms.Field]) -> None:
    form.declared_fields.update(fields)
    form.base_fields.update(fields)


class ModeratorAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Only moderators see these records here, even those anyone may read on the site
    (the policies let everyone "list" threads and posts: the pages show each reader what
    they may read)."""

    def _moderator(self, request: HttpRequest) -> bool:
        return self.policy.user_has_permission(request.user, "change")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._moderator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._moderator(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if not self._moderator(request):
            return self.model._default_manager.none()
        return super(PolicyAdminMixin, self).get_queryset(request)


class ReadOnlyAdmin(ModeratorAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- working groups ------------------------------------------------------------------


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ("slug", "members")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(per_language_initial(self.instance.names, "names"))

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in groups.RESERVED_SLUGS:
            raise ValidationError(_("This short name is taken by a page; choose another."))
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = per_language_texts(cleaned, "names")
        if not any(names.values()):
            raise ValidationError(_("Give the group a name in at least one language."))
        self.instance.names = names
        return cleaned


_declare(WorkingGroupForm, _per_language("names", pgettext_lazy("working group", "Name")))


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ModeratorAdmin):
    policy = working_group_policy
    form = WorkingGroupForm
    list_display = ("slug", "__str__")
    search_fields = ("slug", "names")
    autocomplete_fields = ("members",)
    fields = ("slug", *(f"names_{code}" for code in LANGUAGE_CODES), "members")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = set(form.instance.members.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.members.values_list("pk", flat=True))
        # Members hold the group's search key at search time: no reindexing needed.
        log_action(
            actor=request.user,
            action=Action.GROUP_CHANGE,
            obj=form.instance,
            changes={
                "created": not change,
                "names": form.instance.names,
                "members_added": sorted(after - before),
                "members_removed": sorted(before - after),
            },
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        groups.group_delete(actor=request.user, group=obj, request=request)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for group in queryset:
            self.delete_model(request, group)


# --- categories ----------------------------------------------------------------------


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("slug", "kind", "issue_area", "subregion", "visibility", "groups", "position")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(per_language_initial(self.instance.names, "names"))
            self.initial.update(per_language_initial(self.instance.descriptions, "descriptions"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = per_language_texts(cleaned, "names")
        if not any(names.values()):
            raise ValidationError(_("Give the category a name in at least one language."))
        if cleaned.get("visibility") == Category.Visibility.GROUP and not cleaned.get("groups"):
            self.add_error(
                "groups",
                _("Choose the working groups who may read it, or another visibility."),
            )
        self.instance.names = names
        self.instance.descriptions = per_language_texts(cleaned, "descriptions")
        return cleaned


_declare(CategoryForm, _per_language("names", pgettext_lazy("discussion category", "Name")))
_declare(CategoryForm, _per_language("descriptions", _("Description"), textarea=True))


def _audit_value(value: Any) -> Any:
    if isinstance(value, QuerySet):
        return sorted(value.values_list("pk", flat=True))
    return getattr(value, "pk", value)


@admin.register(Category)
class CategoryAdmin(ModeratorAdmin):
    policy = category_policy
    form = CategoryForm
    list_display = ("__str__", "slug", "visibility", "kind", "position", "threads")
    list_editable = ("position",)
    list_filter = ("visibility", "kind")
    search_fields = ("slug", "names")
    filter_horizontal = ("groups",)
    readonly_fields = ("threads", "posts", "last_post")
    fields = (
        "slug",
        *(f"names_{code}" for code in LANGUAGE_CODES),
        *(f"descriptions_{code}" for code in LANGUAGE_CODES),
        "kind",
        "issue_area",
        "subregion",
        "visibility",
        "groups",
        "position",
        *readonly_fields,
    )

    # The counters the services keep, read-only.
    @admin.display(description=_("Threads"))
    def threads(self, obj: Category) -> int:
        return obj.thread_count

    @admin.display(description=_("Posts"))
    def posts(self, obj: Category) -> int:
        return obj.post_count

    @admin.display(description=_("Last post"))
    def last_post(self, obj: Category) -> Any:
        return obj.last_post_at

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.save()  # audited with its groups, in save_related

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = set(form.changed_data)
        groups.category_saved(
            actor=request.user,  # type: ignore[arg-type]
            category=form.instance,
            created=not change,
            changes={
                name: _audit_value(form.cleaned_data.get(name))
                for name in sorted(changed)
                if not name.startswith(("names_", "descriptions_"))
            }
            | {"names": form.instance.names},
            readers_changed=bool(changed & {"visibility", "groups"}),
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        log_action(
            actor=request.user, action="discussions.category.delete", obj=obj, request=request
        )
        super().delete_model(request, obj)

    def view_on_site(self, obj: Any) -> str:
        return reverse("discussions:category", args=[obj.slug])


# --- threads, posts, flags -----------------------------------------------------------


def _thread_action(
    name: str, label: Any, call: Any, done: tuple[str, str]
) -> Any:  # an admin action over the services, so each change is audited
    def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for thread in queryset.select_related("category"):
            try:
                call(actor=request.user, thread=thread, request=request)
            except PermissionDenied:
                continue
            count += 1
        modeladmin.message_user(
            request, ngettext(done[0], done[1], count) % {"count": count}, messages.SUCCESS
        )

    action.__name__ = name
    action.short_description = label  # type: ignore[attr-defined]
    return action


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    policy = thread_policy
    list_display = (
        "title",
        "category",
        "author",
        "reply_count",
        "last_post_at",
        "pinned",
        "locked",
        "hidden_at",
    )
    list_filter = ("category", "pinned", "locked", ("hidden_at", admin.EmptyFieldListFilter))
    search_fields = ("title",)
    list_select_related = ("category", "author")
    readonly_fields = (
        "category",
        "title",
        "author",
        "language",
        "pinned",
        "locked",
        "hidden_at",
        "reply_count",
        "post_count",
        "last_post_at",
        "last_author",
        "created_at",
    )
    fields = readonly_fields
    actions = (
        _thread_action(
            "lock",
            _("Lock the selected threads"),
            lambda **kw: moderation.thread_lock(locked=True, **kw),
            ("%(count)s thread locked.", "%(count)s threads locked."),
        ),
        _thread_action(
            "unlock",
            _("Unlock the selected threads"),
            lambda **kw: moderation.thread_lock(locked=False, **kw),
            ("%(count)s thread unlocked.", "%(count)s threads unlocked."),
        ),
        _thread_action(
            "pin",
            _("Pin the selected threads"),
            lambda **kw: moderation.thread_pin(pinned=True, **kw),
            ("%(count)s thread pinned.", "%(count)s threads pinned."),
        ),
        _thread_action(
            "unpin",
            _("Unpin the selected threads"),
            lambda **kw: moderation.thread_pin(pinned=False, **kw),
            ("%(count)s thread unpinned.", "%(count)s threads unpinned."),
        ),
        _thread_action(
            "hide",
            _("Hide the selected threads"),
            lambda **kw: moderation.thread_hide(hidden=True, **kw),
            ("%(count)s thread hidden.", "%(count)s threads hidden."),
        ),
        _thread_action(
            "unhide",
            _("Show the selected threads again"),
            lambda **kw: moderation.thread_hide(hidden=False, **kw),
            ("%(count)s thread shown again.", "%(count)s threads shown again."),
        ),
    )

    def view_on_site(self, obj: Any) -> str:
        return reverse("discussions:thread", args=[obj.pk])


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    policy = post_policy
    list_display = ("__str__", "author", "language", "created_at", "edited_at", "hidden_at")
    list_filter = ("language", ("hidden_at", admin.EmptyFieldListFilter))
    search_fields = ("thread__title",)
    list_select_related = ("thread", "author")
    readonly_fields = (
        "thread",
        "number",
        "author",
        "language",
        "body",
        "reply_to",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_reason",
    )
    fields = readonly_fields

    def view_on_site(self, obj: Any) -> str:
        return reverse("discussions:post", args=[obj.pk])


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    policy = flag_policy
    list_display = ("post", "reason", "flagged_by", "created_at", "outcome", "resolved_by")
    list_filter = ("outcome", "reason")
    list_select_related = ("post", "post__thread", "flagged_by", "resolved_by")
    readonly_fields = (
        "post",
        "flagged_by",
        "reason",
        "note",
        "created_at",
        "outcome",
        "resolved_at",
        "resolved_by",
    )
    fields = readonly_fields
