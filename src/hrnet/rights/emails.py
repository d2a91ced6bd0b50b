"""The email of a broken glass: the organisation's admins (the secretariat, for an intake
case without an organisation) are told that an administrator opened their case, by whom,
why and until when, each in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.members.models import Person
from hrnet.rights.models import BreakGlass, Case


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
