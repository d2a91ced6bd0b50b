"""Following threads and categories, the email setting, read markers, and the one-click
unsubscribe of discussion emails (a signed link per person, no sign-in needed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.discussions.audit import Action
from hrnet.discussions.models import Category, Notification, Preference, Thread, ThreadRead, Watch
from hrnet.discussions.policies import category_policy, thread_policy
from hrnet.discussions.selectors import unsubscribe_user
from hrnet.discussions.services.people import preference_for


def thread_watch(*, actor: User, thread: Thread, watching: bool) -> bool:
    thread_policy.require(actor, "watch", thread)
    if watching:
        Watch.objects.get_or_create(user=actor, thread=thread)
    else:
        Watch.objects.filter(user=actor, thread=thread).delete()
    return watching


def category_watch(*, actor: User, category: Category, watching: bool) -> bool:
    category_policy.require(actor, "watch", category)
    if watching:
        Watch.objects.get_or_create(user=actor, category=category)
    else:
        Watch.objects.filter(user=actor, category=category).delete()
    return watching


def thread_read_mark(*, actor: User, thread: Thread, number: int) -> None:
    """Posts up to `number` are read; a marker never goes back."""
    if not getattr(actor, "is_authenticated", False):
        return
    number = min(number, thread.post_count)
    updated = ThreadRead.objects.filter(
        user=actor, thread=thread, last_read_number__lt=number
    ).update(last_read_number=number, read_at=timezone.now())
    if not updated:
        ThreadRead.objects.get_or_create(
            user=actor, thread=thread, defaults={"last_read_number": number}
        )
    # What was read on the page need not be emailed in the daily summary.
    Notification.objects.filter(
        user=actor,
        post__thread=thread,
        post__number__lte=number,
        emailed_at__isnull=True,
        skipped=False,
    ).update(skipped=True)


def preference_change(*, actor: User, email: str) -> Preference:
    if email not in Preference.Email.values:
        raise ValidationError({"email": _("Choose how you want to hear of new posts.")})
    preference = preference_for(actor)
    preference.email = email
    preference.save(update_fields=["email"])
    return preference


def unsubscribe(*, token: str, request: HttpRequest | None = None) -> User | None:
    """Stop every discussion email to the person the link was made for (RFC 8058 one-click:
    the mail client POSTs here)."""
    user = unsubscribe_user(token=token)
    if user is None:
        return None
    preference = preference_for(user)
    if preference.email != Preference.Email.NEVER:
        preference.email = Preference.Email.NEVER
        preference.save(update_fields=["email"])
        log_action(actor=None, action=Action.PREFERENCE_UNSUBSCRIBE, obj=user, request=request)
    return user
