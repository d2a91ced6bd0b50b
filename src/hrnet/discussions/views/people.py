"""Each person's discussion settings (emails, their mention name, what they follow), the
suggestions of people to @mention as a member types, and the one-click unsubscribe that
discussion emails link to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from hrnet.core.forms import add_service_errors
from hrnet.discussions import selectors
from hrnet.discussions.models import Preference
from hrnet.discussions.services import following
from hrnet.discussions.services.people import preference_for
from hrnet.members.policies import is_network_member

MENTION_QUERY_MIN = 2
UNREAD_SHOWN = 50


class EmailPreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=gettext_lazy("Emails about what you follow"),
        choices=Preference.Email.choices,
        widget=forms.RadioSelect,
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """A person's own corner of the discussions: what is unread in what they follow (the
    start page's queue links here), the threads and categories they follow, each with a
    button to stop following it, their email setting and their mention name."""
    actor: Any = request.user
    preference = preference_for(actor)
    form = EmailPreferenceForm(initial={"email": preference.email})
    if request.method == "POST":
        action = request.POST.get("action", "email")
        if action == "email":
            form = EmailPreferenceForm(request.POST)
            if form.is_valid():
                try:
                    following.preference_change(actor=actor, email=form.cleaned_data["email"])
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Your email setting is saved."))
                    return redirect("discussions:settings")
        else:
            _unfollow(request, action)
            return redirect("discussions:settings")
    unread = selectors.unread_followed(user=actor)
    return render(
        request,
        "discussions/settings.html",
        {
            "unread": unread[:UNREAD_SHOWN],
            "unread_count": unread.count(),
            "form": form,
            "preference": preference,
            "threads": selectors.followed_threads(user=actor),
            "categories": selectors.followed_categories(user=actor),
        },
        status=400 if form.errors else 200,
    )


def _unfollow(request: HttpRequest, action: str) -> None:
    """Stop following a thread or a category listed on the page (only those the person
    may still read are listed, and only those can be named here)."""
    actor: Any = request.user
    key = request.POST.get("id", "")
    if action == "unfollow_thread":
        thread = next((t for t in selectors.followed_threads(user=actor) if str(t.pk) == key), None)
        if thread is not None:
            following.thread_watch(actor=actor, thread=thread, watching=False)
            messages.success(
                request, _("You no longer follow “%(title)s”.") % {"title": thread.title}
            )
    elif action == "unfollow_category":
        category = next(
            (c for c in selectors.followed_categories(user=actor) if str(c.pk) == key), None
        )
        if category is not None:
            following.category_watch(actor=actor, category=category, watching=False)
            messages.success(
                request, _("You no longer follow “%(name)s”.") % {"name": category.name}
            )


def mention_suggest(request: HttpRequest) -> HttpResponse:
    """`?q=` (2 characters at least): up to 8 members to @mention, as
    `[{"handle", "name"}]`. Only for signed-in network members, and never an email
    address."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in to mention people.")}, status=403)
    if not is_network_member(request.user):
        return JsonResponse(
            {"detail": _("Only members of the network can mention people.")}, status=403
        )
    query = request.GET.get("q", "")[:100]
    if len(query.strip().lstrip("@").strip()) < MENTION_QUERY_MIN:
        return JsonResponse([], safe=False)
    people = selectors.mention_candidates(user=request.user, query=query)
    suggestions = []
    for person in people:
        handle = preference_for(person).handle  # made now for people who have none yet
        suggestions.append({"handle": handle, "name": person.full_name or handle})
    return JsonResponse(suggestions, safe=False, headers={"Cache-Control": "private, no-store"})


# The signed token in the URL is the credential, as for mailings: mail clients that follow
# RFC 8058 POST here without a CSRF token, and a forged POST would need the token.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners follow links); POST stops every discussion email to the
    person the link was made for. No sign-in needed."""
    person = selectors.unsubscribe_user(token=token)
    if person is None:
        return render(request, "discussions/unsubscribe.html", {"invalid": True}, status=400)
    context: dict[str, Any] = {"email": person.email, "token": token}
    if request.method == "POST":
        following.unsubscribe(token=token, request=request)
        context["done"] = True
    return render(request, "discussions/unsubscribe.html", context)
