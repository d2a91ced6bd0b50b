"""The moderators' pages (the secretariat's): the flag queue, hiding posts, locking,
pinning, moving and hiding threads, and the working groups that categories can be
restricted to.

A thread or post the person may not read answers 404, as everywhere in the discussions;
one they may read but not moderate answers 403 (a sign-in first for anonymous visitors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from hrnet.core.bulk import bulk_apply, bulk_report, selected_ids
from hrnet.core.forms import (
    add_service_errors,
    per_language_fields,
    per_language_initial,
    per_language_texts,
)
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html, body_text
from hrnet.discussions import selectors
from hrnet.discussions.models import Post, Thread, WorkingGroup
from hrnet.discussions.policies import (
    flag_policy,
    post_policy,
    thread_policy,
    working_group_policy,
)
from hrnet.discussions.services import groups, moderation

# --- forms (small, and used by these pages only) ---------------------------------------


class GroupNamesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        per_language_fields(self, "names", pgettext_lazy("working group", "Name"), max_length=200)


class GroupMemberForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address of the person to add"),
        help_text=gettext_lazy("They need an active account on this site."),
        max_length=254,
    )


# --- helpers ---------------------------------------------------------------------------


def _back(request: HttpRequest, default: str) -> str:
    """Where a moderation form sends the moderator back: `next` when it is a page of
    this site (the flag queue), else `default` (the post or thread)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _refuse(request: HttpRequest) -> HttpResponse:
    """The thread or post can be read but not moderated by this person."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(str(message) for message in error.messages))


# --- the flag queue ----------------------------------------------------------------------


@policy_required(flag_policy, "list")
def flag_queue(request: HttpRequest) -> HttpResponse:
    """Posts with open flags, the longest waiting first. POST keeps the ticked posts (their
    flags dismissed); hiding one is a form per post (`post_moderate`), as it needs a
    reason."""
    if request.method == "POST":
        return _flags_keep(request)
    page = selectors.flag_queue_page(user=request.user, page=request.GET.get("page", 1))
    for post in page.object_list:
        _add_text(post)
    return render(
        request,
        "discussions/flag_queue.html",
        {"page": page, "bulk_actions": [("keep", _("Keep the posts"))]},
    )


EXCERPT_WORDS = 60


def _add_text(post: Post) -> None:
    """The post's text for the queue: a plain excerpt, and the whole post (cleaned by the
    one sanitiser) when the excerpt leaves some out."""
    text = body_text(post.body)
    excerpt = Truncator(text).words(EXCERPT_WORDS)
    post.excerpt = excerpt  # type: ignore[attr-defined]
    post.excerpt_cut = excerpt != text  # type: ignore[attr-defined]
    post.body_rendered = body_html(post.body) if excerpt != text else ""  # type: ignore[attr-defined]


def _flags_keep(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") != "keep":
        messages.error(request, _("Choose what to do with the selected posts."))
        return redirect("discussions:flag_queue")
    actor: Any = request.user
    result = bulk_apply(
        selectors.flagged_posts(user=actor, ids=selected_ids(request)),
        lambda post: moderation.flags_dismiss(actor=actor, post=post, request=request),
        label=lambda post: f"{post.thread.title} #{post.number}",
    )
    bulk_report(
        request,
        result,
        done=lambda count: (
            ngettext(
                "%(count)s post stays as it is; its flags are closed.",
                "%(count)s posts stay as they are; their flags are closed.",
                count,
            )
            % {"count": count}
        ),
    )
    return redirect(_back(request, reverse("discussions:flag_queue")))


# --- a post, a thread ----------------------------------------------------------------------


@require_POST
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """`action` hide (with a `reason` its author will see) or unhide."""
    post = selectors.post_get(user=request.user, post_id=pk)
    if post is None:
        raise Http404
    if not post_policy.user_has_permission_for_instance(request.user, "hide", post):
        return _refuse(request)
    action = request.POST.get("action", "")
    try:
        _post_action(request, post, action)
    except ValidationError as error:
        _error(request, error)
    return redirect(_back(request, reverse("discussions:post", args=[post.pk])))


def _post_action(request: HttpRequest, post: Post, action: str) -> None:
    actor = request.user
    if action == "hide":
        moderation.post_hide(
            actor=actor,  # type: ignore[arg-type]
            post=post,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.success(request, _("The post is hidden. Its author sees your reason."))
    elif action == "unhide":
        moderation.post_unhide(actor=actor, post=post, request=request)  # type: ignore[arg-type]
        messages.success(request, _("The post is shown again."))
    else:
        messages.error(request, _("Choose what to do with the post."))


THREAD_ACTIONS = ("lock", "unlock", "pin", "unpin", "hide", "unhide", "move")


@require_POST
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """`action` lock, unlock, pin, unpin, hide, unhide, or move (to `category`, its id or
    slug)."""
    thread = selectors.thread_get(user=request.user, thread_id=pk)
    if thread is None:
        raise Http404
    if not thread_policy.user_has_permission_for_instance(request.user, "lock", thread):
        return _refuse(request)
    action = request.POST.get("action", "")
    try:
        _thread_action(request, thread, action)
    except ValidationError as error:
        _error(request, error)
    return redirect(_back(request, reverse("discussions:thread", args=[thread.pk])))


def _thread_action(request: HttpRequest, thread: Thread, action: str) -> None:
    actor: Any = request.user
    if action in ("lock", "unlock"):
        moderation.thread_lock(actor=actor, thread=thread, locked=action == "lock", request=request)
        messages.success(
            request,
            _("The thread is locked: only the secretariat can reply.")
            if action == "lock"
            else _("The thread takes replies again."),
        )
    elif action in ("pin", "unpin"):
        moderation.thread_pin(actor=actor, thread=thread, pinned=action == "pin", request=request)
        messages.success(
            request,
            _("The thread is pinned to the top of its category.")
            if action == "pin"
            else _("The thread is no longer pinned."),
        )
    elif action in ("hide", "unhide"):
        moderation.thread_hide(actor=actor, thread=thread, hidden=action == "hide", request=request)
        messages.success(
            request,
            _("The thread is hidden: only the secretariat sees it.")
            if action == "hide"
            else _("The thread is shown again."),
        )
    elif action == "move":
        # The thread page's form names the category by its id; its slug is taken too.
        category = selectors.category_by_key(user=actor, key=request.POST.get("category", ""))
        if category is None:
            raise ValidationError(_("Choose the category to move the thread to."))
        if category.pk == thread.category_id:
            messages.info(request, _("The thread is in this category already."))
            return
        moderation.thread_move(actor=actor, thread=thread, category=category, request=request)
        messages.success(
            request,
            _("The thread is moved to “%(category)s”. Its readers are now that category’s.")
            % {"category": category.name},
        )
    else:
        messages.error(request, _("Choose what to do with the thread."))


# --- working groups ----------------------------------------------------------------------

NEW = "new"  # /groups/new/ creates a group (`groups.RESERVED_SLUGS`)


@policy_required(working_group_policy, "list")
def group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "discussions/group_list.html",
        {"groups": selectors.working_groups(user=request.user), "new_slug": NEW},
    )


@policy_required(working_group_policy, "change")
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A group's names and members; /groups/new/ creates a group."""
    if slug == NEW:
        return _group_new(request)
    group = selectors.working_group_get(user=request.user, slug=slug)
    if group is None:
        raise Http404
    names_form = GroupNamesForm(initial=per_language_initial(group.names, "names"))
    member_form = GroupMemberForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        actor: Any = request.user
        if action == "rename":
            names_form = GroupNamesForm(request.POST)
            if names_form.is_valid():
                try:
                    groups.group_rename(
                        actor=actor,
                        group=group,
                        names=per_language_texts(names_form.cleaned_data, "names"),
                        request=request,
                    )
                except ValidationError as error:
                    add_service_errors(names_form, error)
                else:
                    messages.success(request, _("The group’s name is saved."))
                    return redirect("discussions:group_edit", slug=group.slug)
        elif action == "add":
            member_form = GroupMemberForm(request.POST)
            if member_form.is_valid():
                try:
                    person = groups.group_member_add(
                        actor=actor,
                        group=group,
                        email=member_form.cleaned_data["email"],
                        request=request,
                    )
                except ValidationError as error:
                    add_service_errors(member_form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s is now in the group.")
                        % {"name": person.full_name or person.email},
                    )
                    return redirect("discussions:group_edit", slug=group.slug)
        elif action == "remove":
            user_id = request.POST.get("user", "")
            removed = groups.group_member_remove(
                actor=actor,
                group=group,
                user_id=int(user_id) if user_id.isdigit() else 0,
                request=request,
            )
            if removed is not None:
                messages.success(
                    request,
                    _("%(name)s has left the group.")
                    % {"name": removed.full_name or removed.email},
                )
            return redirect("discussions:group_edit", slug=group.slug)
        else:
            messages.error(request, _("Choose what to change."))
            return redirect("discussions:group_edit", slug=group.slug)
    return _group_page(request, group, names_form, member_form)


def _group_page(
    request: HttpRequest,
    group: WorkingGroup,
    names_form: GroupNamesForm,
    member_form: GroupMemberForm,
) -> HttpResponse:
    status = 400 if names_form.errors or member_form.errors else 200
    return render(
        request,
        "discussions/group_form.html",
        {
            "group": group,
            "names_form": names_form,
            "member_form": member_form,
            "members": selectors.working_group_members(group),
            "categories": group.categories.all(),
        },
        status=status,
    )


def _group_new(request: HttpRequest) -> HttpResponse:
    if not working_group_policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    form = GroupNamesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.group_create(
                actor=request.user,  # type: ignore[arg-type]
                names=per_language_texts(form.cleaned_data, "names"),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The group is created. Now add its members."))
            return redirect("discussions:group_edit", slug=group.slug)
    return render(
        request,
        "discussions/group_form.html",
        {"group": None, "names_form": form},
        status=400 if form.errors else 200,
    )
