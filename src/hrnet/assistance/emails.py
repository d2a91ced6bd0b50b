"""Emails of technical assistance, each in the recipient's preferred language, sent after
the change commits (a mail server that is down must not undo a decision; the failure is
logged by Django's robust on_commit)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.assistance.models import AssistanceRequest
from hrnet.core.links import site_url


def _language(user: User) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _schedule(message: EmailMessage) -> None:
    transaction.on_commit(message.send, robust=True)


def request_email(request: AssistanceRequest, step: str, *, to: User | None) -> EmailMessage | None:
    """Tell `to` about `step` of `request`: "declined", "assigned", "delivered" (to the
    requester), "due" or "overdue" (to an expert)."""
    if to is None or not getattr(to, "email", ""):
        return None
    language = _language(to)
    with translation.override(language):
        url = site_url(reverse("assistance:request_detail", args=[request.pk]))
        values = {"title": request.title, "number": request.pk, "url": url}
        if step == "declined":
            subject = _("Your assistance request #%(number)s was declined") % values
            body = _(
                "Your request “%(title)s” was declined for this reason:\n\n%(reason)s\n\n%(url)s"
            ) % {**values, "reason": request.decline_reason}
        elif step == "assigned":
            names = ", ".join(expert.name for expert in request.experts.all())
            subject = _("An expert is assigned to your request #%(number)s") % values
            body = _("%(names)s will work on your request “%(title)s”.\n\n%(url)s") % {
                **values,
                "names": names,
            }
        elif step == "delivered":
            subject = _("Your assistance request #%(number)s is delivered") % values
            body = (
                _(
                    "The work on “%(title)s” is delivered. Please see the deliverables and tell "
                    "us how satisfied you are:\n\n%(url)s"
                )
                % values
            )
        elif step == "due":
            subject = _("Request #%(number)s is due on %(date)s") % {
                **values,
                "date": request.due_date,
            }
            body = _("The request “%(title)s” is due on %(date)s.\n\n%(url)s") % {
                **values,
                "date": request.due_date,
            }
        elif step == "overdue":
            subject = _("Request #%(number)s is overdue") % values
            body = _("The request “%(title)s” was due on %(date)s.\n\n%(url)s") % {
                **values,
                "date": request.due_date,
            }
        else:
            raise ValueError(step)
    message = EmailMessage(
        subject=" ".join(str(subject).split()),
        body=str(body),
        to=[to.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    _schedule(message)
    return message
