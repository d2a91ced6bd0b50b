"""Services of rights cases: record, change, respond (and edit a response, keeping its
earlier versions), close, reopen, share, break the glass, keep evidence files, read
(audited), and the public intake. Each checks
`rights.policies.case_policy` and writes an audit entry (`log_action`) naming the case by
its reference only: never the narrative, the person's description, contact details, an
outcome or a file's name."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role, user_roles
from hrnet.core.audit import log_action
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.rights import crypto
from hrnet.rights.audit import Action
from hrnet.rights.emails import break_glass_notify, intake_waiting_notify
from hrnet.rights.evidence import FILE_FOLDER, evidence_check
from hrnet.rights.models import (
    AgeGroup,
    BreakGlass,
    Case,
    CaseFile,
    CaseResponse,
    CaseResponseVersion,
    CaseShare,
    Gender,
    PerpetratorType,
    ReferralService,
    ReferralStatus,
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
    actor: Actor,
    organisation: Organisation,
    date_from: date,
    country: Country,
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
        documenter=actor if isinstance(actor, User) else None,
    )
    _validate(case, violation_types)
    case.save()
    case.violation_types.set(violation_types)
    log_action(
        actor=actor,
        action=Action.CASE_ADD,
        obj=case,
        changes={"organisation": organisation.pk, "violation_types": _codes(violation_types)},
        request=request,
    )
    return case


def _codes(violation_types: Iterable[ViolationType]) -> list[str]:
    return sorted(v.code for v in violation_types)


@transaction.atomic
def case_update(
    *, actor: Actor, case: Case, request: HttpRequest | None = None, **fields: Any
) -> Case:
    """Change the fields given (see UPDATABLE_FIELDS). The audit entry names the changed
    fields; values only of those that are not encrypted."""
    case_policy.require(actor, "change", case)
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"case_update cannot change: {', '.join(sorted(unknown))}")
    if fields.get("status") == Case.Status.CLOSED or (
        "status" in fields and fields["status"] not in Case.Status.values
    ):
        raise ValidationError({"status": [_("Close a case with its reason instead.")]})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED and fields.get("status", case.status) != case.status:
        raise ValidationError({"status": [_("Reopen a closed case with its reason instead.")]})
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
            actor=actor, action=Action.CASE_CHANGE, obj=case, changes=changes, request=request
        )
    return case


def _closed_refusal(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError(
            _("Case %(reference)s is closed: reopen it, with a reason, to respond again.")
            % {"reference": case.reference}
        )


def _response_checked(
    *, action: str, service: str, referral_status: str, date: date
) -> tuple[str, str]:
    """The service and referral status to keep (empty unless `action` is a referral);
    ValidationError naming the field and the value otherwise."""
    errors: dict[str, list[str]] = {}
    if action not in CaseResponse.Action.values:
        errors["action"] = [_("Unknown action: %(value)s.") % {"value": action}]
    if date > timezone.localdate():
        errors["date"] = [_("The date %(date)s is in the future.") % {"date": date.isoformat()}]
    if action == CaseResponse.Action.REFERRAL:
        if not service:
            errors["service"] = [_("Say which service the person was referred to.")]
        elif service not in ReferralService.values:
            errors["service"] = [_("Unknown service: %(value)s.") % {"value": service}]
        referral_status = referral_status or ReferralStatus.MADE
        if referral_status not in ReferralStatus.values:
            errors["referral_status"] = [
                _("Unknown referral status: %(value)s.") % {"value": referral_status}
            ]
    else:
        # A service or a status belongs only to a referral.
        service, referral_status = "", ""
    if errors:
        raise ValidationError(errors)
    return service, referral_status


@transaction.atomic
def case_response_add(
    *,
    actor: Actor,
    case: Case,
    action: str,
    responder: str = "",
    date: date,
    outcome: str = "",
    service: str = "",
    referral_status: str = "",
    request: HttpRequest | None = None,
) -> CaseResponse:
    """Record a response to an open case; a referral names its service (its status starts
    as "made" unless given)."""
    case_policy.require(actor, "change", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _closed_refusal(case)
    service, referral_status = _response_checked(
        action=action, service=service, referral_status=referral_status, date=date
    )
    response = CaseResponse.objects.create(
        case=case,
        action=action,
        service=service,
        referral_status=referral_status,
        responder=responder.strip(),
        date=date,
        outcome=outcome.strip(),
        created_by=actor if isinstance(actor, User) else None,
    )
    changes: dict[str, Any] = {"response": response.pk, "action": action}
    if service:
        changes.update(service=service, referral_status=referral_status)
    log_action(
        actor=actor, action=Action.CASE_RESPONSE_ADD, obj=case, changes=changes, request=request
    )
    return response


RESPONSE_FIELDS = ("action", "service", "referral_status", "responder", "date", "outcome")


@transaction.atomic
def case_response_update(
    *,
    actor: Actor,
    response: CaseResponse,
    action: str,
    date: date,
    responder: str = "",
    outcome: str = "",
    service: str = "",
    referral_status: str = "",
    request: HttpRequest | None = None,
) -> CaseResponse:
    """Change a response of an open case (e.g. a referral followed to its outcome). The
    version replaced is kept; the audit entry names the changed fields, the outcome's
    value never."""
    case_policy.require(actor, "change", response.case)
    case = Case.objects.select_for_update().get(pk=response.case_id)
    _closed_refusal(case)
    response = CaseResponse.objects.select_for_update().get(pk=response.pk)
    service, referral_status = _response_checked(
        action=action, service=service, referral_status=referral_status, date=date
    )
    new = {
        "action": action,
        "service": service,
        "referral_status": referral_status,
        "responder": responder.strip(),
        "date": date,
        "outcome": outcome.strip(),
    }
    changed = [name for name in RESPONSE_FIELDS if getattr(response, name) != new[name]]
    if not changed:
        return response
    CaseResponseVersion.objects.create(
        response=response,
        changed_by=actor if isinstance(actor, User) else None,
        **{name: getattr(response, name) for name in RESPONSE_FIELDS},
    )
    for name in changed:
        setattr(response, name, new[name])
    response.save(update_fields=[*changed, "updated_at"])
    changes: dict[str, Any] = {"response": response.pk}
    for name in changed:
        value = new[name]
        changes[name] = "" if name in SECRET_FIELDS else str(value)
    log_action(
        actor=actor,
        action=Action.CASE_RESPONSE_CHANGE,
        obj=case,
        changes=changes,
        request=request,
    )
    return response


@transaction.atomic
def case_close(
    *, actor: Actor, case: Case, reason: str, request: HttpRequest | None = None
) -> Case:
    case_policy.require(actor, "change", case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is closed.")]})
    case.status = Case.Status.CLOSED
    case.closure_reason = reason
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closure_reason", "closed_at", "updated_at"])
    log_action(
        actor=actor,
        action=Action.CASE_CLOSE,
        obj=case,
        changes={"status": case.status},
        request=request,
    )
    return case


@transaction.atomic
def case_reopen(
    *, actor: Actor, case: Case, reason: str, request: HttpRequest | None = None
) -> Case:
    """Open a closed case again, with the reason (kept encrypted beside the closure
    reason; the audit entry records the reopening, not the reason's words)."""
    case_policy.require(actor, "change", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.CLOSED:
        raise ValidationError(
            _("Case %(reference)s is not closed.") % {"reference": case.reference}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is reopened.")]})
    case.status = Case.Status.OPEN
    case.reopen_reason = reason
    case.reopened_at = timezone.now()
    case.save(update_fields=["status", "reopen_reason", "reopened_at", "updated_at"])
    log_action(
        actor=actor,
        action=Action.CASE_REOPEN,
        obj=case,
        changes={
            "status": case.status,
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        },
        request=request,
    )
    return case


@transaction.atomic
def case_share(
    *, actor: Actor, case: Case, reviewer: User, request: HttpRequest | None = None
) -> CaseShare:
    """Share `case` with a named reviewer of the secretariat."""
    case_policy.require(actor, "share", case)
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
            action=Action.CASE_SHARE,
            obj=case,
            changes={"reviewer": reviewer.pk},
            request=request,
        )
    return share


# --- break-glass ----------------------------------------------------------------------


@transaction.atomic
def case_break_glass(
    *, actor: Actor, case: Case, reason: str, request: HttpRequest | None = None
) -> BreakGlass:
    """An administrator's emergency read access to one case for 24 hours, with a reason;
    the organisation's admins are emailed and the access is audited."""
    if not may_break_glass(actor) or not isinstance(actor, User):
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
        action=Action.CASE_BREAK_GLASS,
        obj=case,
        changes={"reason": reason, "expires_at": grant.expires_at.isoformat()},
        request=request,
    )
    # Sent inside the transaction on purpose: if the organisation cannot be told, the
    # glass stays unbroken.
    break_glass_notify(case=case, actor=actor, grant=grant)
    return grant


# --- evidence files -------------------------------------------------------------------


@transaction.atomic
def case_file_add(
    *, actor: Actor, case: Case, upload: Any, request: HttpRequest | None = None
) -> CaseFile:
    """Keep an evidence file encrypted in the private storage under a random name."""
    case_policy.require(actor, "change", case)
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
            uploaded_by=actor if isinstance(actor, User) else None,
        )
    except Exception:
        storage.delete(stored_name)
        raise
    log_action(
        actor=actor,
        action=Action.CASE_FILE_ADD,
        obj=case,
        changes={"file": case_file.pk, "type": content_type, "size": len(data)},
        request=request,
    )
    return case_file


# --- audited reads ---------------------------------------------------------------------
# A read of a case or a file is an act on it: it is checked and leaves an audit entry, so
# it is a service like the writes (the side-effect-free reads are `rights.selectors`).


def case_read(*, actor: Actor, case: Case, request: HttpRequest | None = None) -> Case:
    """`case` for `actor` if they may read it (PermissionDenied otherwise); audited."""
    case_policy.require(actor, "view", case)
    log_action(actor=actor, action=Action.CASE_READ, obj=case, request=request)
    return case


def case_file_read(
    *, actor: Actor, case_file: CaseFile, request: HttpRequest | None = None
) -> bytes:
    """The decrypted content of an evidence file, for someone who may read its case."""
    case_policy.require(actor, "view", case_file.case)
    with storages["private"].open(case_file.stored_name, "rb") as handle:
        token = handle.read()
    data = crypto.decrypt_bytes(token)
    log_action(
        actor=actor,
        action=Action.CASE_FILE_READ,
        obj=case_file.case,
        changes={"file": case_file.pk},
        request=request,
    )
    return data


# --- public intake -------------------------------------------------------------------


@transaction.atomic
def case_intake_create(
    *,
    organisation: Organisation | None,
    date_from: date,
    country: Country,
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
        action=Action.CASE_INTAKE,
        obj=case,
        changes={"organisation": organisation.pk if organisation else None},
        request=request,
    )
    if organisation is None:
        # The intake reviewers learn that a report waits (its reference only).
        intake_waiting_notify(case=case)
    return case
