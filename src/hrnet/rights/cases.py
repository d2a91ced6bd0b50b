"""Services of rights cases: record, change, respond, close, share, break the glass, keep
evidence files, read. Each checks `rights.policies.case_policy` and writes an audit entry
(`log_action`) naming the case by its reference only: never the narrative, the person's
description, contact details, an outcome or a file's name."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrnet.accounts.roles import Role, user_roles
from hrnet.core.audit import log_action
from hrnet.library.uploads import DOCX, PDF, RefusedFile, clean_file_name, sniff
from hrnet.members.models import Organisation, Person
from hrnet.rights import crypto
from hrnet.rights.models import (
    AgeGroup,
    BreakGlass,
    Case,
    CaseFile,
    CaseResponse,
    CaseShare,
    Gender,
    PerpetratorType,
    ViolationType,
)
from hrnet.rights.policies import (
    BREAK_GLASS_HOURS,
    case_policy,
    is_documenter_of,
    is_reviewer,
    may_break_glass,
)

BREAK_GLASS_REASON_MIN = 15
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_FOLDER = "rights"
# Unambiguous letters and digits: a reference is read out over the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Fields a documenter may change with `case_update` (status and closure have their own
# services; the source, reference and organisation never change).
UPDATABLE_FIELDS = frozenset(
    {
        "date_from",
        "date_to",
        "country",
        "locality",
        "age_group",
        "gender",
        "key_populations",
        "violation_types",
        "perpetrator_types",
        "narrative",
        "person_description",
        "consent_to_record",
        "consent_to_share",
        "consent_to_advocacy",
        "consent_date",
        "status",
    }
)
# Encrypted fields: an audit entry names them as changed, never their values.
SECRET_FIELDS = frozenset({"narrative", "person_description", "contact_details", "outcome"})


def _deny(actor: Any, action: str, case: Case | None = None) -> None:
    allowed = (
        case_policy.user_has_permission_for_instance(actor, action, case)
        if case is not None
        else case_policy.user_has_permission(actor, action)
    )
    if not allowed:
        raise PermissionDenied


def _reference_new() -> str:
    while True:
        reference = "C-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        if not Case.objects.filter(reference=reference).exists():
            return reference


def _validate(case: Case, violation_types: Iterable[ViolationType] | None) -> None:
    errors: dict[str, list[str]] = {}
    if not case.consent_to_record:
        errors["consent_to_record"] = [
            _("A case cannot be recorded without the person's consent to record it.")
        ]
    today = timezone.localdate()
    if case.date_from and case.date_from > today:
        errors["date_from"] = [
            _("The date %(date)s is in the future.") % {"date": case.date_from.isoformat()}
        ]
    if case.date_to and case.date_from and case.date_to < case.date_from:
        errors["date_to"] = [
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": case.date_to.isoformat(), "start": case.date_from.isoformat()}
        ]
    unknown = [p for p in case.perpetrator_types if p not in PerpetratorType.values]
    if unknown:
        errors["perpetrator_types"] = [
            _("Unknown perpetrator: %(values)s.") % {"values": ", ".join(map(str, unknown))}
        ]
    if case.age_group not in AgeGroup.values:
        errors["age_group"] = [_("Unknown age group: %(value)s.") % {"value": case.age_group}]
    if case.gender not in Gender.values:
        errors["gender"] = [_("Unknown gender: %(value)s.") % {"value": case.gender}]
    if violation_types is not None:
        inactive = [v.code for v in violation_types if not v.is_active]
        if inactive:
            errors["violation_types"] = [
                _("This violation type is no longer in use: %(values)s.")
                % {"values": ", ".join(inactive)}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_create(
    *,
    actor: Any,
    organisation: Organisation,
    date_from: date,
    country: Any,
    consent_to_record: bool,
    violation_types: Iterable[ViolationType] = (),
    perpetrator_types: Iterable[str] = (),
    narrative: str = "",
    person_description: str = "",
    date_to: date | None = None,
    locality: str = "",
    age_group: str = AgeGroup.UNKNOWN,
    gender: str = Gender.UNKNOWN,
    key_populations: Iterable[str] = (),
    consent_to_share: bool = False,
    consent_to_advocacy: bool = False,
    consent_date: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Record a case for `organisation`, of which `actor` must be a documenter."""
    if not is_documenter_of(actor, organisation):
        raise PermissionDenied
    violation_types = list(violation_types)
    case = Case(
        reference=_reference_new(),
        organisation=organisation,
        status=Case.Status.OPEN,
        source=Case.Source.DOCUMENTER,
        date_from=date_from,
        date_to=date_to,
        country=country,
        locality=locality.strip(),
        age_group=age_group,
        gender=gender,
        key_populations=list(key_populations),
        perpetrator_types=list(perpetrator_types),
        narrative=narrative.strip(),
        person_description=person_description.strip(),
        consent_to_record=bool(consent_to_record),
        consent_to_share=bool(consent_to_share),
        consent_to_advocacy=bool(consent_to_advocacy),
        consent_date=consent_date or timezone.localdate(),
        documenter=actor,
    )
    _validate(case, violation_types)
    case.save()
    case.violation_types.set(violation_types)
    log_action(
        actor=actor,
        action="rights.case.add",
        obj=case,
        changes={"organisation": organisation.pk, "violation_types": _codes(violation_types)},
        request=request,
    )
    return case


def _codes(violation_types: Iterable[ViolationType]) -> list[str]:
    return sorted(v.code for v in violation_types)


@transaction.atomic
def case_update(
    *, actor: Any, case: Case, request: HttpRequest | None = None, **fields: Any
) -> Case:
    """Change the fields given (see UPDATABLE_FIELDS). The audit entry names the changed
    fields; values only of those that are not encrypted."""
    _deny(actor, "change", case)
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"case_update cannot change: {', '.join(sorted(unknown))}")
    if fields.get("status") == Case.Status.CLOSED or (
        "status" in fields and fields["status"] not in Case.Status.values
    ):
        raise ValidationError({"status": [_("Close a case with its reason instead.")]})
    case = Case.objects.select_for_update().get(pk=case.pk)
    violation_types = fields.pop("violation_types", None)
    if violation_types is not None:
        violation_types = list(violation_types)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name in {"key_populations", "perpetrator_types"}:
            value = list(value)
        if getattr(case, name) != value:
            setattr(case, name, value)
            changes[name] = "" if name in SECRET_FIELDS else value
    # A type no longer in use may stay on a case that has it, not be added to one.
    current = set(case.violation_types.values_list("pk", flat=True))
    _validate(
        case, [v for v in violation_types if v.pk not in current] if violation_types else None
    )
    if changes:
        case.save(update_fields=[*changes, "updated_at"])
    if violation_types is not None and _codes(violation_types) != _codes(
        case.violation_types.all()
    ):
        case.violation_types.set(violation_types)
        changes["violation_types"] = _codes(violation_types)
    if changes:
        log_action(
            actor=actor, action="rights.case.change", obj=case, changes=changes, request=request
        )
    return case


@transaction.atomic
def case_response_add(
    *,
    actor: Any,
    case: Case,
    action: str,
    responder: str = "",
    date: date,
    outcome: str = "",
    request: HttpRequest | None = None,
) -> CaseResponse:
    _deny(actor, "change", case)
    if action not in CaseResponse.Action.values:
        raise ValidationError({"action": [_("Unknown action: %(value)s.") % {"value": action}]})
    if date > timezone.localdate():
        raise ValidationError(
            {"date": [_("The date %(date)s is in the future.") % {"date": date.isoformat()}]}
        )
    response = CaseResponse.objects.create(
        case=case,
        action=action,
        responder=responder.strip(),
        date=date,
        outcome=outcome.strip(),
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="rights.case.response_add",
        obj=case,
        changes={"response": response.pk, "action": action},
        request=request,
    )
    return response


@transaction.atomic
def case_close(*, actor: Any, case: Case, reason: str, request: HttpRequest | None = None) -> Case:
    _deny(actor, "change", case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is closed.")]})
    case.status = Case.Status.CLOSED
    case.closure_reason = reason
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closure_reason", "closed_at", "updated_at"])
    log_action(
        actor=actor,
        action="rights.case.close",
        obj=case,
        changes={"status": case.status},
        request=request,
    )
    return case


@transaction.atomic
def case_share(
    *, actor: Any, case: Case, reviewer: Any, request: HttpRequest | None = None
) -> CaseShare:
    """Share `case` with a named reviewer of the secretariat."""
    _deny(actor, "share", case)
    # The group itself: a superuser outside the secretariat is no reviewer.
    if not is_reviewer(reviewer) or Role.SECRETARIAT not in user_roles(reviewer):
        raise ValidationError(
            {"reviewer": [_("Cases are shared only with a named reviewer of the secretariat.")]}
        )
    share, created = CaseShare.objects.get_or_create(
        case=case, reviewer=reviewer, defaults={"shared_by": actor}
    )
    if created:
        log_action(
            actor=actor,
            action="rights.case.share",
            obj=case,
            changes={"reviewer": reviewer.pk},
            request=request,
        )
    return share


# --- break-glass ----------------------------------------------------------------------


def _break_glass_recipients(case: Case) -> list[tuple[str, str]]:
    """(email, language) of those told that the case was opened: the organisation's
    admins; the secretariat for an intake case without an organisation."""
    from hrnet.accounts.models import User

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


def _break_glass_notify(*, case: Case, actor: Any, grant: BreakGlass) -> None:
    for email, language in _break_glass_recipients(case):
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
        # Sent inside the transaction on purpose: if the organisation cannot be told, the
        # glass stays unbroken.
        EmailMessage(subject=subject, body=body, to=[email]).send()


@transaction.atomic
def case_break_glass(
    *, actor: Any, case: Case, reason: str, request: HttpRequest | None = None
) -> BreakGlass:
    """An administrator's emergency read access to one case for 24 hours, with a reason;
    the organisation's admins are emailed and the access is audited."""
    if not may_break_glass(actor):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if len(reason) < BREAK_GLASS_REASON_MIN:
        raise ValidationError(
            {
                "reason": [
                    _("Give the reason for opening the case in at least %(count)s characters.")
                    % {"count": BREAK_GLASS_REASON_MIN}
                ]
            }
        )
    grant = BreakGlass.objects.create(
        case=case,
        user=actor,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    log_action(
        actor=actor,
        action="rights.case.break_glass",
        obj=case,
        changes={"reason": reason, "expires_at": grant.expires_at.isoformat()},
        request=request,
    )
    _break_glass_notify(case=case, actor=actor, grant=grant)
    return grant


# --- evidence files -------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceKind:
    content_type: str
    extensions: tuple[str, ...]


JPEG = EvidenceKind("image/jpeg", ("jpg", "jpeg"))
PNG = EvidenceKind("image/png", ("png",))
EVIDENCE_PDF = EvidenceKind(PDF.content_type, ("pdf",))
EVIDENCE_DOCX = EvidenceKind(DOCX.content_type, ("docx",))
EXTENSIONS = {
    kind.content_type: kind.extensions for kind in (JPEG, PNG, EVIDENCE_PDF, EVIDENCE_DOCX)
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx"


def _refused(name: str, found: Any) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is %(found)s. Only PDF, JPEG, PNG and DOCX files are accepted as evidence.")
        % {"name": name, "found": found},
        code="forbidden_type",
    )


def evidence_check(upload: Any) -> tuple[str, str, bytes]:
    """(clean name, content type, bytes) of an accepted evidence file, decided from its
    bytes; ValidationError naming the file otherwise."""
    name = clean_file_name(upload.name or "")
    size = int(upload.size or 0)
    if size > FILE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(FILE_MAX_BYTES)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG.content_type
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG.content_type
    else:
        try:
            kind = sniff(upload)
        except RefusedFile as refused:
            raise _refused(name, refused.found) from refused
        if kind not in (PDF, DOCX):
            raise _refused(name, kind.label)
        content_type = kind.content_type
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if len(data) > FILE_MAX_BYTES:  # the size the browser claimed was wrong
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(len(data)),
                "limit": filesizeformat(FILE_MAX_BYTES),
            },
            code="too_large",
        )
    return name, content_type, data


EVIDENCE_HELP = gettext_lazy("PDF, JPEG, PNG or DOCX, at most 10 MB.")


@transaction.atomic
def case_file_add(
    *, actor: Any, case: Case, upload: Any, request: HttpRequest | None = None
) -> CaseFile:
    """Keep an evidence file encrypted in the private storage under a random name."""
    _deny(actor, "change", case)
    name, content_type, data = evidence_check(upload)
    storage = storages["private"]
    stored_name = storage.save(
        f"{FILE_FOLDER}/{secrets.token_hex(20)}.bin", ContentFile(crypto.encrypt_bytes(data))
    )
    # Should the row not be written, the encrypted file must not stay behind.
    try:
        case_file = CaseFile.objects.create(
            case=case,
            stored_name=stored_name,
            original_name=name,
            content_type=content_type,
            size=len(data),
            uploaded_by=actor,
        )
    except Exception:
        storage.delete(stored_name)
        raise
    log_action(
        actor=actor,
        action="rights.case_file.add",
        obj=case,
        changes={"file": case_file.pk, "type": content_type, "size": len(data)},
        request=request,
    )
    return case_file


def case_file_read(*, actor: Any, case_file: CaseFile, request: HttpRequest | None = None) -> bytes:
    """The decrypted content of an evidence file, for someone who may read its case."""
    _deny(actor, "view", case_file.case)
    with storages["private"].open(case_file.stored_name, "rb") as handle:
        token = handle.read()
    data = crypto.decrypt_bytes(token)
    log_action(
        actor=actor,
        action="rights.case_file.read",
        obj=case_file.case,
        changes={"file": case_file.pk},
        request=request,
    )
    return data


# --- reading and public intake --------------------------------------------------------


def case_read(*, actor: Any, case: Case, request: HttpRequest | None = None) -> Case:
    """`case` for `actor` if they may read it (PermissionDenied otherwise); audited."""
    _deny(actor, "view", case)
    log_action(actor=actor, action="rights.case.read", obj=case, request=request)
    return case


@transaction.atomic
def case_intake_create(
    *,
    organisation: Organisation | None,
    date_from: date,
    country: Any,
    locality: str = "",
    what_happened: str,
    violation_types: Iterable[ViolationType] = (),
    wants_contact: bool = False,
    contact_details: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """A report through the public form: unreviewed, for the organisation chosen (its
    documenters) or the secretariat. The person reports it themselves, so consents to
    its record; contact details are kept only when they asked to be contacted."""
    violation_types = [v for v in violation_types if v.is_active]
    case = Case(
        reference=_reference_new(),
        organisation=organisation,
        status=Case.Status.UNREVIEWED,
        source=Case.Source.PUBLIC_INTAKE,
        date_from=date_from,
        country=country,
        locality=locality.strip(),
        narrative=what_happened.strip(),
        consent_to_record=True,
        consent_date=timezone.localdate(),
        wants_contact=bool(wants_contact),
        contact_details=contact_details.strip() if wants_contact else "",
    )
    _validate(case, violation_types)
    case.save()
    case.violation_types.set(violation_types)
    log_action(
        actor=None,
        action="rights.case.intake",
        obj=case,
        changes={"organisation": organisation.pk if organisation else None},
        request=request,
    )
    return case
