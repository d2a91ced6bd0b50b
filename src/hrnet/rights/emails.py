"""The emails of rights cases, each in its reader's language:

- a broken glass: the organisation's admins (the secretariat, for an intake case without
  an organisation) are told that an administrator opened their case, by whom, why and
  until when;
- a public report for the secretariat: the intake reviewers are told that one waits, with
  its reference and the link to their queue only (nothing the report says).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.links import site_url
from hrnet.members.models import Person
from hrnet.rights.models import BreakGlass, Case
from hrnet.rights.selectors.intake import intake_reviewers


def break_glass_recipients(case: Case) -> list[tuple[str, str]]:
    """(email, language) of those told that the case was opened: the organisation's
    admins; the secretariat for an intake case without an organisation."""
    if case.organisation_id is None:
        users = User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT).distinct()
        return [(u.email, u.preferred_language) for u in users if u.email]
    today = timezone.localdate()
    people = (
        Person.objects.filter(
            affiliations__organisation_id=case.organisation_id,
            affiliations__is_admin=True,
        )
        .exclude(affiliations__end_date__lt=today)
        .select_related("user")
        .distinct()
    )
    recipients = []
    for person in people:
        email = person.email or (person.user.email if person.user else "")
        language = (
            getattr(person.user, "preferred_language", "") if person.user else ""
        ) or settings.LANGUAGE_CODE
        if email:
            recipients.append((email, language))
    return recipients


def break_glass_notify(*, case: Case, actor: User, grant: BreakGlass) -> None:
    """Send the emails now; an address that fails raises (the caller's transaction with it)."""
    for email, language in break_glass_recipients(case):
        with translation.override(language):
            subject = _("Case %(reference)s was opened by an administrator") % {
                "reference": case.reference
            }
            body = _(
                "An administrator of the network, %(name)s, opened your case %(reference)s "
                "for emergency access until %(until)s.\n\n"
                "The reason they gave:\n%(reason)s\n\n"
                "If you did not expect this, contact the secretariat."
            ) % {
                "name": actor.get_full_name() or actor.email,
                "reference": case.reference,
                "until": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M %Z"),
                "reason": grant.reason,
            }
        EmailMessage(subject=subject, body=body, to=[email]).send()


def intake_waiting_notify(*, case: Case) -> None:
    """Tell every intake reviewer that the public report `case` waits in their queue: its
    reference and the queue's link, nothing else. Sent once the report is stored; an
    address that fails is logged (robust on_commit) and the report stays in the queue."""
    messages = []
    for user in intake_reviewers():
        if not user.email:
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("A public report waits for a reviewer: %(reference)s") % {
                "reference": case.reference
            }
            body = _(
                "A report was sent to the secretariat through the public form. "
                "Its reference is %(reference)s.\n\n"
                "Assign it to a member organisation or share it with a reviewer:\n%(url)s\n\n"
                "You receive this email because you review public reports for the network."
            ) % {"reference": case.reference, "url": site_url(reverse("rights:intake_queue"))}
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    for message in messages:
        transaction.on_commit(message.send, robust=True)
