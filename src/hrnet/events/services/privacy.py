"""The erasure of a person's event data with the rest of their identity
(members.services.privacy calls it through `personal_data_register`), and of a guest's
(registered without an account, found by email: `guest_data_erase`, the
`events_guest_data --erase` command)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry
from hrnet.core.types import Actor
from hrnet.events.audit import Action
from hrnet.events.models import Certificate, Feedback, Registration
from hrnet.events.selectors.privacy import guest_registrations_q
from hrnet.members.policies import is_secretariat


def _erase(registrations: list[Registration], erased_name: str) -> None:
    """What the registrations say about the person goes; the registrations stay, anonymous,
    so seats and attendance counts do not change. A certificate keeps its code (it may be
    shown to someone) but names nobody; the log keeps what happened, not who."""
    ids = [r.pk for r in registrations]
    Registration.objects.filter(pk__in=ids).update(
        answers={}, gender=Registration.Gender.UNSAID, organisation_name=""
    )
    for registration in registrations:
        if registration.is_guest:
            registration.guest_name = erased_name
            # Also voids every link sent (they carry a hash of the address).
            registration.guest_email = f"erased-registration-{registration.pk}@erased.invalid"
            registration.guest_time_zone = ""
            registration.save(
                update_fields=["guest_name", "guest_email", "guest_time_zone", "updated_at"]
            )
    Feedback.objects.filter(registration__in=ids).update(comment="")
    Certificate.objects.filter(registration__in=ids).update(holder_name=erased_name)
    content_type = ContentType.objects.get_for_model(Registration)
    for registration in Registration.objects.filter(pk__in=ids).select_related("user", "event"):
        AuditEntry.objects.filter(content_type=content_type, object_id=str(registration.pk)).update(
            object_repr=str(registration)[:200]
        )


def account_event_data_erase(user: User | None, erased_name: str, emails: list[str]) -> None:
    condition = guest_registrations_q(emails)
    if user is not None:
        condition |= Q(user=user)
    _erase(list(Registration.objects.filter(condition)), erased_name)


def guest_erased_name() -> str:
    # Stored data, so in the deployment's default language rather than the requester's.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased guest")


@transaction.atomic
def guest_data_erase(
    *, email: str, actor: Actor | None, reason: str, request: HttpRequest | None = None
) -> int:
    """Erase what the events hold about a guest who registered with `email` (on their
    request); returns how many registrations were erased. `actor` None: the command line."""
    if actor is not None and not is_secretariat(actor):
        raise ValidationError(_("Only the secretariat erases personal data."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the data is erased (e.g. the request).")})
    registrations = list(Registration.objects.filter(guest_registrations_q([email])))
    _erase(registrations, guest_erased_name())
    for registration in registrations:
        log_action(
            actor=actor,
            action=Action.REGISTRATION_ERASE,
            obj=registration,
            changes={"reason": reason},
            request=request,
        )
    return len(registrations)
