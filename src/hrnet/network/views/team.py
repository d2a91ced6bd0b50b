"""Network pages: the team, the contact form, and the secretariat's pages for team members,
contact topics and received messages."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.accounts.models import User
from hrnet.core.bulk import bulk_apply, bulk_report, selected_ids
from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.network.forms.team import ContactForm, ContactTopicForm, TeamMemberForm
from hrnet.network.models import ContactTopic, TeamMember
from hrnet.network.policies import (
    contact_message_policy,
    contact_topic_policy,
    team_member_policy,
)
from hrnet.network.selectors import team as selectors
from hrnet.network.services import team as services

MESSAGES_PAGE_SIZE = 25


def team_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/team/team.html",
        {
            "members": selectors.team_members_public(user=request.user),
            "may_manage": team_member_policy.user_has_permission(request.user, "change"),
        },
    )


def contact(request: HttpRequest) -> HttpResponse:
    topics = selectors.contact_topics_active(user=request.user)
    initial = {}
    topic_param = request.GET.get("topic", "")
    if topic_param.isdigit():
        initial["topic"] = int(topic_param)
    form = ContactForm(request.POST or None, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_message_send(
                actor=request.user,
                request=request,
                language=get_language() or "",
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Thank you. Your message has been sent; we will answer by email.")
            )
            return redirect("network:contact")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "network/team/contact.html",
        {
            "form": form,
            "has_topics": topics.exists(),
            "may_read": contact_message_policy.user_has_permission(request.user, "list"),
        },
        status=status,
    )


@policy_required(contact_message_policy, "list")
def message_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "unanswered")
    if state not in selectors.MESSAGE_STATES:
        state = "unanswered"
    rows = selectors.contact_message_list(user=request.user, state=state)
    page = Paginator(rows, MESSAGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/team/contact_messages.html",
        {
            "page": page,
            "state": state,
            "filters": {"state": state},
            "states": [
                ("unanswered", _("Unanswered")),
                ("answered", _("Answered")),
                ("all", _("All")),
            ],
            "bulk_actions": [("answered", _("Mark as answered"))],
        },
    )


def _answered(count: int) -> str:
    return ngettext(
        "%(count)s message marked as answered.", "%(count)s messages marked as answered.", count
    ) % {"count": count}


@policy_required(contact_message_policy, "change")
@require_POST
def message_bulk(request: HttpRequest) -> HttpResponse:
    """Mark the ticked messages as answered, each on its own; those that fail are named."""
    actor = cast(User, request.user)  # the secretariat (policy_required above)
    if request.POST.get("action") != "answered":
        messages.error(request, _("Choose what to do with the selected messages."))
        return redirect("network:message_list")
    result = bulk_apply(
        selectors.contact_message_list(user=actor).filter(pk__in=selected_ids(request)),
        lambda message: services.contact_message_mark_answered(
            message=message, actor=actor, request=request
        ),
        label=lambda message: (
            _("%(name)s, %(date)s")
            % {"name": message.name, "date": date_format(localtime(message.created_at))}
        ),
    )
    bulk_report(request, result, done=_answered)
    return redirect("network:message_list")


@policy_required(team_member_policy, "change")
def team_manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/team/manage.html",
        {
            "members": selectors.team_member_list(user=request.user),
            "topics": selectors.contact_topic_list(user=request.user),
        },
    )


@policy_required(team_member_policy, "add")
def team_member_add(request: HttpRequest) -> HttpResponse:
    form = TeamMemberForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.team_member_create(
                actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": member.full_name})
            return redirect("network:team_manage")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "network/team/member_form.html", {"form": form, "member": None}, status=status
    )


@policy_required(team_member_policy, "change")
def team_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = selectors.team_member_get(user=request.user, pk=pk)
    except TeamMember.DoesNotExist as exc:
        raise Http404 from exc
    form = TeamMemberForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_update(
                member=member,
                actor=request.user,
                request=request,
                photo_clear=form.cleaned_data.get("photo_clear", False),
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": member.full_name})
            return redirect("network:team_manage")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "network/team/member_form.html", {"form": form, "member": member}, status=status
    )


@policy_required(contact_topic_policy, "add")
def contact_topic_add(request: HttpRequest) -> HttpResponse:
    form = ContactTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.contact_topic_create(
                actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The topic “%(name)s” is added.") % {"name": topic.name})
            return redirect("network:team_manage")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "network/team/topic_form.html", {"form": form, "topic": None}, status=status
    )


@policy_required(contact_topic_policy, "change")
def contact_topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        topic = selectors.contact_topic_get(user=request.user, pk=pk)
    except ContactTopic.DoesNotExist as exc:
        raise Http404 from exc
    form = ContactTopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_topic_update(
                topic=topic, actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The topic “%(name)s” is saved.") % {"name": topic.name})
            return redirect("network:team_manage")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "network/team/topic_form.html", {"form": form, "topic": topic}, status=status
    )


urlpatterns: list[URLPattern] = [
    path("team/", team_page, name="team"),
    path("team/manage/", team_manage, name="team_manage"),
    path("team/members/add/", team_member_add, name="team_member_add"),
    path("team/members/<int:pk>/edit/", team_member_edit, name="team_member_edit"),
    path("team/topics/add/", contact_topic_add, name="contact_topic_add"),
    path("team/topics/<int:pk>/edit/", contact_topic_edit, name="contact_topic_edit"),
    path("contact/", contact, name="contact"),
    path("contact/messages/", message_list, name="message_list"),
    path("contact/messages/answered/", message_bulk, name="message_bulk"),
]
