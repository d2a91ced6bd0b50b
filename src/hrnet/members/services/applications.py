"""Writes of applications to join: publishing the principles, submitting an application,
the secretariat's decisions, the committee vote and the applicant's answers. Every step is
audited and, where the applicant should know, emailed to them in their language."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.links import site_url
from hrnet.core.models import IssueArea
from hrnet.core.selectors import network_get
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.core.types import Actor
from hrnet.geo.models import Country, normalize_name
from hrnet.geo.selectors import CountryIndex
from hrnet.members.audit import Action
from hrnet.members.models import Application, Organisation, Person, PrinciplesVersion, Vote
from hrnet.members.policies import application_policy, is_secretariat
from hrnet.members.selectors.principles import principles_current
from hrnet.members.services.memberships import membership_start
from hrnet.members.services.onboarding import applicant_onboard
from hrnet.members.services.register import organisation_create, person_create, texts_clean

logger = logging.getLogger(__name__)

Status = Application.Status
DECISIONS = ("approve", "reject", "request_info")


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _user_or_none(user: Actor | None) -> User | None:
    return cast(User, user) if getattr(user, "is_authenticated", False) else None


# --- the principles -------------------------------------------------------------------


@transaction.atomic
def principles_version_publish(
    *, texts: Mapping[str, str], actor: Actor, request: HttpRequest | None = None
) -> PrinciplesVersion:
    """Publish a new version of the principles: the next number, published now.

    `texts` maps language codes (settings.LANGUAGES) to the text; the default language is
    required, the others fall back to it until written.
    """
    codes = _language_codes()
    unknown = sorted(code for code, text in texts.items() if code not in codes and text)
    if unknown:
        raise ValidationError(
            _("“%(value)s” is not a language of this site.") % {"value": ", ".join(unknown)}
        )
    cleaned = texts_clean(texts)
    default = settings.LANGUAGE_CODE
    if not cleaned.get(default):
        language = translation.get_language_info(default)["name_translated"]
        raise ValidationError(
            {
                f"text_{default}": _(
                    "Write the principles in %(language)s at least: it is shown where a "
                    "translation is missing."
                )
                % {"language": language}
            }
        )
    # Lock the latest version so two people publishing at once get different numbers.
    latest = PrinciplesVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and latest.published_at is not None and latest.texts == cleaned:
        raise ValidationError(
            _("The text is the same as version %(number)s, so there is nothing to publish.")
            % {"number": latest.number}
        )
    version = PrinciplesVersion.objects.create(
        number=(latest.number if latest else 0) + 1,
        texts=cleaned,
        published_at=timezone.now(),
        created_by=_user_or_none(actor),
    )
    log_action(
        actor=actor,
        action=Action.PRINCIPLES_PUBLISH,
        obj=version,
        changes={"number": version.number, "languages": sorted(cleaned)},
        request=request,
    )
    return version


# --- submitting an application --------------------------------------------------------

# Model fields whose errors belong to a differently named field of the application form.
_ORGANISATION_FIELDS = {"kind": "organisation_kind", "descriptions": "description"}


def _errors_by_field(error: ValidationError, renames: Mapping[str, str]) -> dict[str, list]:
    if not hasattr(error, "error_dict"):
        return {"__all__": error.error_list}
    return {renames.get(field, field): errors for field, errors in error.error_dict.items()}


def _merge(errors: dict[str, list], more: Mapping[str, list]) -> None:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)


def _resolve_country(value: Any, errors: dict[str, list]) -> Country | None:
    if isinstance(value, Country):
        return value
    if not (value or "").strip():
        errors.setdefault("country", []).append(ValidationError(_("Choose your country.")))
        return None
    try:
        return CountryIndex().resolve(value)
    except ValidationError as error:
        errors.setdefault("country", []).append(error)
        return None


def _resolve_issue_areas(codes: Iterable[Any], errors: dict[str, list]) -> list[IssueArea]:
    wanted = [code if isinstance(code, str) else code.code for code in codes or ()]
    areas = {area.code: area for area in IssueArea.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in areas]
    if unknown:
        errors.setdefault("issue_areas", []).append(
            ValidationError(
                _("Unknown issue area “%(value)s”.") % {"value": ", ".join(unknown)},
                code="unknown_issue_area",
            )
        )
    return [areas[code] for code in dict.fromkeys(wanted) if code in areas]


def _language_keys() -> dict[str, str]:
    """Every way of naming a language: its code, its English and own names, and its name
    in each language of the site ("казахский")."""
    keys: dict[str, str] = {}
    known = {code: info for code, info in LANG_INFO.items() if "name" in info}
    for code, info in known.items():
        for key in (code, info["name"], info.get("name_local", "")):
            if key:
                keys.setdefault(normalize_name(key), code)
    for site_language in _language_codes():
        with translation.override(site_language):
            for code, info in known.items():
                keys.setdefault(normalize_name(translation.gettext(info["name"])), code)
    return keys


def languages_resolve(value: str | Iterable[str]) -> list[str]:
    """Language codes from "Russian, English, ka" or ["ru", "English"].

    Accepts codes and names (English or the language's own); raises ValidationError naming
    what it does not know.
    """
    parts = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    keys = _language_keys()
    codes: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        code = keys.get(normalize_name(part))
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError(
            _("Unknown language “%(value)s”: use a language's name or code, e.g. Russian or ru.")
            % {"value": ", ".join(unknown)},
            code="unknown_language",
        )
    return codes


def _principles_check(
    *, number: int | None, accepted: bool, errors: dict[str, list]
) -> PrinciplesVersion | None:
    current = principles_current()
    if current is None:
        message = _(
            "The network has not published its principles yet, so it cannot take "
            "applications. Please try again later."
        )
    elif not accepted:
        message = _("Please read the principles and tick the box to accept them.")
    elif number is not None and number != current.number:
        message = _(
            "The principles changed to version %(number)s while you filled in the form. "
            "Please read them and accept them again."
        ) % {"number": current.number}
    else:
        return current
    errors.setdefault("accept_principles", []).append(ValidationError(message))
    return None


def _text(details: Mapping[str, Any], field: str) -> str:
    return str(details.get(field) or "").strip()


def _submission_rate_check(request: HttpRequest | None) -> None:
    """The form and the API are open to anyone: refuse a flood from one address."""
    if is_secretariat(getattr(request, "user", None)):
        return
    # Counted inside `application_submit`'s transaction: a refused application gives its
    # hit back, so only applications received count.
    if not throttle_hit(
        scope="members.application",
        key=address_key(request),
        limit=settings.HRNET_APPLICATIONS_PER_HOUR,
        window=timedelta(hours=1),
    ):
        raise ValidationError(
            _("Too many applications from your network address. Please try again in an hour."),
            code="throttled",
        )


@transaction.atomic
def application_submit(
    *,
    kind: str,
    details: Mapping[str, Any],
    principles_number: int | None,
    principles_accepted: bool,
    language: str = "",
    applicant_user: Actor | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Apply to join, as an organisation or an individual.

    `details` holds the application form's fields by name: for an organisation
    `name_<language>`, `name_original`, `organisation_kind`, `is_community_led`, `city`,
    `website`, `email`, `description`, `contact_name`, `contact_email`; for an individual
    `full_name`, `email`, `city`, `expertise`, `languages`; for both `country` (a Country,
    an ISO code or a name), `issue_areas` (codes), `is_public` and `motivation`.
    `principles_number` is the version the applicant was shown.

    Creates the (not yet listed) organisation or person and the application, and emails
    the applicant a link to follow it. Raises ValidationError with a message per field and
    writes nothing when something is wrong.
    """
    errors: dict[str, list] = {}
    _submission_rate_check(request)
    if kind not in Application.Kind.values:
        raise ValidationError(
            {"kind": _("Choose whether you apply as an organisation or as an individual.")}
        )
    language = language if language in _language_codes() else settings.LANGUAGE_CODE
    principles = _principles_check(
        number=principles_number, accepted=principles_accepted, errors=errors
    )
    country = _resolve_country(details.get("country"), errors)
    issue_areas = _resolve_issue_areas(details.get("issue_areas") or (), errors)
    is_organisation = kind == Application.Kind.ORGANISATION

    names = {code: _text(details, f"name_{code}") for code in _language_codes()}
    if is_organisation:
        contact_name, contact_email = (
            _text(details, "contact_name"),
            _text(details, "contact_email"),
        )
        if not any(names.values()) and not _text(details, "name_original"):
            name_field = f"name_{language}"
            errors.setdefault(name_field, []).append(
                ValidationError(_("Give the organisation's name in at least one language."))
            )
        if details.get("organisation_kind") not in Organisation.Kind.values:
            errors.setdefault("organisation_kind", []).append(
                ValidationError(_("Choose the type of organisation."))
            )
        languages: list[str] = []
    else:
        contact_name, contact_email = _text(details, "full_name"), _text(details, "email")
        try:
            languages = languages_resolve(details.get("languages") or ())
        except ValidationError as error:
            errors.setdefault("languages", []).append(error)
            languages = []

    # The application's own fields, checked before anything is created.
    application = Application(
        kind=kind,
        contact_name=" ".join(contact_name.split()),
        contact_email=contact_email.lower(),
        language=language,
        motivation=_text(details, "motivation"),
        applicant_user=_user_or_none(applicant_user),
        access_token=Application.new_token(),
    )
    try:
        application.clean_fields(
            exclude=["principles_version", "principles_accepted_at", "access_token"]
        )
    except ValidationError as error:
        renames = {} if is_organisation else {"contact_name": "full_name", "contact_email": "email"}
        _merge(errors, _errors_by_field(error, renames))
    if errors or principles is None or country is None:
        raise ValidationError(errors)

    try:
        if is_organisation:
            description = _text(details, "description")
            application.organisation = organisation_create(
                names=names,
                name_original=_text(details, "name_original"),
                kind=details["organisation_kind"],
                is_community_led=bool(details.get("is_community_led")),
                country=country,
                city=_text(details, "city"),
                website=_text(details, "website"),
                email=_text(details, "email"),
                descriptions={language: description} if description else {},
                issue_areas=issue_areas,
                is_public=bool(details.get("is_public")),
                actor=applicant_user,
                request=request,
            )
        else:
            # Linked to the signed-in account only if it is theirs (not, say, staff typing
            # in a paper application) and not linked to another record already.
            user = _user_or_none(applicant_user)
            if user is not None and (
                user.email.lower() != contact_email.lower()
                or Person.objects.filter(user=user).exists()
            ):
                user = None
            application.person = person_create(
                full_name=contact_name,
                email=contact_email,
                country=country,
                city=_text(details, "city"),
                expertise=_text(details, "expertise"),
                languages=languages,
                issue_areas=issue_areas,
                is_public=bool(details.get("is_public")),
                user=user,
                actor=applicant_user,
                request=request,
            )
    except ValidationError as error:
        renames = {**_ORGANISATION_FIELDS, "names": f"name_{language}"} if is_organisation else {}
        raise ValidationError(_errors_by_field(error, renames)) from error

    application.principles_version = principles
    application.principles_accepted_at = timezone.now()
    application.save()
    log_action(
        actor=applicant_user,
        action=Action.APPLICATION_SUBMIT,
        obj=application,
        changes={
            "kind": kind,
            "language": language,
            "principles_version": principles.number,
            "principles_accepted_at": application.principles_accepted_at.isoformat(),
        },
        request=request,
    )
    _applicant_notify(application=application, step="submitted")
    return application


# --- emails to the applicant ----------------------------------------------------------


def application_status_url(application: Application) -> str:
    """The applicant's secret link to their application, in their language."""
    with translation.override(application.language):
        path = reverse("members:application_status", kwargs={"token": application.access_token})
    return site_url(path)


def _email_send(message: EmailMessage) -> None:
    message.send()


def _applicant_notify(*, application: Application, step: str) -> None:
    """Email the applicant about `step`, in their language, once the change is saved.

    Rendered now (what the step said), sent after the commit: a mail server that is down
    must not undo the application or the decision; the failure is logged.
    """
    if not application.contact_email:  # erased on request: nobody to write to
        return
    with translation.override(application.language):
        context = {
            "application": application,
            "applicant_name": application.applicant_name,
            "status_url": application_status_url(application),
            "network": network_get(),
        }
        subject = render_to_string(f"members/email/application_{step}_subject.txt", context)
        body = render_to_string(f"members/email/application_{step}_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),  # a header must be one line
        body=body,
        to=[application.contact_email],
        headers={"Content-Language": application.language},
    )
    transaction.on_commit(lambda: _email_send(message), robust=True)


# --- decisions ------------------------------------------------------------------------


def _lock(application: Application) -> None:
    """Lock the application's row and refresh its status, so two reviewers acting at once
    cannot both decide it."""
    application.status = (
        Application.objects.select_for_update()
        .filter(pk=application.pk)
        .values_list("status", flat=True)
        .get()
    )


def _status_move(
    *,
    application: Application,
    status: str,
    action: Action,
    actor: Actor | None,
    request: HttpRequest | None,
    fields: Iterable[str] = (),
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Move `application` to `status`, saving it with `fields` (set by the caller) and
    logging `action` with the status change and `changes`."""
    logged = {"status": {"old": application.status, "new": status}, **(changes or {})}
    application.status = status
    application.save(update_fields=[*fields, "status", "updated_at"])
    log_action(actor=actor, action=action, obj=application, changes=logged, request=request)


def _open_check(application: Application) -> None:
    if not application.is_open:
        raise ValidationError(
            _("This application is no longer open (%(status)s), so it cannot be changed.")
            % {"status": application.get_status_display()},
            code="not_open",
        )


def _approve(
    *,
    application: Application,
    actor: User,
    reason: str = "",
    by_vote: dict[str, int] | None = None,
    request: HttpRequest | None = None,
) -> None:
    member = application.organisation or application.person
    if member is None or getattr(member, "in_trash", False) or getattr(member, "erased_at", None):
        raise ValidationError(
            _("The applicant's record was deleted, so it cannot become a member."),
            code="applicant_missing",
        )
    membership_start(
        member=member,
        principles_version=application.principles_version,
        actor=actor,
        request=request,
    )
    _decision_save(
        application=application,
        status=Status.APPROVED,
        reason=reason,
        actor=actor,
        by_vote=by_vote,
        request=request,
    )
    # The contact gets an account (by invitation) to manage the new member's profile.
    applicant_onboard(application=application, actor=actor, request=request)
    _applicant_notify(application=application, step="approved")


def _reject(
    *,
    application: Application,
    actor: Actor,
    reason: str,
    by_vote: dict[str, int] | None = None,
    request: HttpRequest | None = None,
) -> None:
    _decision_save(
        application=application,
        status=Status.REJECTED,
        reason=reason,
        actor=actor,
        by_vote=by_vote,
        request=request,
    )
    _applicant_notify(application=application, step="rejected")


def _decision_save(
    *,
    application: Application,
    status: str,
    reason: str,
    actor: Actor,
    by_vote: dict[str, int] | None,
    request: HttpRequest | None,
) -> None:
    changes: dict[str, Any] = {"reason": reason}
    if by_vote is not None:
        changes["committee_vote"] = by_vote
    application.decision_reason = reason
    # A committee decides as a body; the audit entry still names whose vote completed it.
    application.decided_by = None if by_vote is not None else _user_or_none(actor)
    application.decided_at = timezone.now()
    _status_move(
        application=application,
        status=status,
        action=(
            Action.APPLICATION_APPROVE if status == Status.APPROVED else Action.APPLICATION_REJECT
        ),
        actor=actor,
        request=request,
        fields=["decision_reason", "decided_by", "decided_at"],
        changes=changes,
    )


@transaction.atomic
def application_decide(
    *,
    application: Application,
    decision: str,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Application:
    """The secretariat's decision on an open application.

    "approve" makes the applicant a member (refused while the committee vote is on: the
    vote decides); "reject" needs a reason, which the applicant sees; "request_info" needs
    the question. The applicant is emailed in their language.
    """
    if decision not in DECISIONS:
        raise ValidationError(
            {"decision": _("“%(value)s” is not a decision.") % {"value": decision}}
        )
    _lock(application)
    _open_check(application)
    reason = reason.strip()
    if decision == "approve":
        if settings.HRNET_COMMITTEE_VOTE:
            raise ValidationError(
                {
                    "decision": _(
                        "The committee votes on applications: put it to a vote instead of "
                        "approving it directly."
                    )
                },
                code="vote_required",
            )
        _approve(application=application, actor=actor, reason=reason, request=request)
    elif decision == "reject":
        if not reason:
            raise ValidationError(
                {"reason": _("Give the reason for the rejection; the applicant will see it.")}
            )
        _reject(application=application, actor=actor, reason=reason, request=request)
    else:
        if not reason:
            raise ValidationError(
                {"reason": _("Write what information you need from the applicant.")}
            )
        application.info_request = reason
        _status_move(
            application=application,
            status=Status.INFO_REQUESTED,
            action=Action.APPLICATION_REQUEST_INFO,
            actor=actor,
            request=request,
            fields=["info_request"],
            changes={"info_request": reason},
        )
        _applicant_notify(application=application, step="info_requested")
    return application


@transaction.atomic
def application_answer(
    *,
    application: Application,
    answer: str,
    actor: Actor | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """The applicant answers a request for information: the question and the answer are
    added to the application, which goes back to the review queue."""
    _lock(application)
    if application.status != Status.INFO_REQUESTED:
        raise ValidationError(
            _("No information was asked for, or it was already sent."), code="not_requested"
        )
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write your answer.")})
    # Stored text, read later in any language: a date and quoting, no translated labels.
    question = "\n".join(f"> {line}" for line in application.info_request.splitlines())
    entry = f"--- {timezone.localdate().isoformat()} ---\n{question}\n{answer}"
    application.motivation = "\n\n".join(part for part in (application.motivation, entry) if part)
    _status_move(
        application=application,
        status=Status.SUBMITTED,
        action=Action.APPLICATION_ANSWER,
        actor=actor,
        request=request,
        fields=["motivation"],
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: Actor | None = None, request: HttpRequest | None = None
) -> Application:
    """The applicant takes back an open application; the hidden record it created stays
    out of the directory (it never became a member)."""
    _lock(application)
    _open_check(application)
    _status_move(
        application=application,
        status=Status.WITHDRAWN,
        action=Action.APPLICATION_WITHDRAW,
        actor=actor,
        request=request,
    )
    return application


# --- the committee vote ---------------------------------------------------------------


def _vote_on_check() -> None:
    if not settings.HRNET_COMMITTEE_VOTE:
        raise ValidationError(
            _("The committee vote is turned off (HRNET_COMMITTEE_VOTE)."), code="vote_off"
        )


@transaction.atomic
def application_vote_start(
    *, application: Application, actor: Actor, request: HttpRequest | None = None
) -> Application:
    """Put a submitted application to the committee's vote."""
    _vote_on_check()
    _lock(application)
    if application.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted application can be put to a vote; this one is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_submitted",
        )
    _status_move(
        application=application,
        status=Status.IN_VOTE,
        action=Action.APPLICATION_START_VOTE,
        actor=actor,
        request=request,
    )
    _applicant_notify(application=application, step="in_vote")
    return application


def _tally(application: Application) -> dict[str, int]:
    counts = dict.fromkeys(Vote.Choice.values, 0)
    # A fresh query without ordering: an ordering (e.g. of prefetched votes) would split
    # the groups.
    rows = (
        Vote.objects.filter(application=application)
        .order_by()
        .values("choice")
        .annotate(n=Count("pk"))
        .values_list("choice", "n")
    )
    counts.update(dict(rows))
    return counts


@transaction.atomic
def application_vote_cast(
    *,
    application: Application,
    reviewer: User,
    choice: str,
    comment: str = "",
    request: HttpRequest | None = None,
) -> Vote:
    """Record (or change) `reviewer`'s vote; with a quorum the votes decide.

    Once HRNET_COMMITTEE_QUORUM votes are cast (abstentions count towards the quorum), the
    application is approved if approve votes are more than HRNET_COMMITTEE_MAJORITY of the
    approve and reject votes, else rejected.
    """
    _vote_on_check()
    application_policy.require(reviewer, "vote")
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Choose approve, reject or abstain.")})
    _lock(application)
    if application.status != Status.IN_VOTE:
        raise ValidationError(
            _("Votes are taken only while the application is before the committee."),
            code="not_in_vote",
        )
    vote = Vote.objects.filter(application=application, reviewer=reviewer).first()
    old_choice = vote.choice if vote else None
    if vote is None:
        vote = Vote(application=application, reviewer=reviewer)
    vote.choice = choice
    vote.comment = comment.strip()
    vote.save()
    log_action(
        actor=reviewer,
        action=Action.APPLICATION_VOTE,
        obj=application,
        changes={"choice": {"old": old_choice, "new": choice}},
        request=request,
    )
    counts = _tally(application)
    if sum(counts.values()) >= settings.HRNET_COMMITTEE_QUORUM:
        approve, reject = counts[Vote.Choice.APPROVE], counts[Vote.Choice.REJECT]
        if approve > settings.HRNET_COMMITTEE_MAJORITY * (approve + reject):
            _approve(application=application, actor=reviewer, by_vote=counts, request=request)
        else:
            with translation.override(application.language):
                reason = _("Rejected by committee vote.")
            _reject(
                application=application,
                actor=reviewer,
                reason=reason,
                by_vote=counts,
                request=request,
            )
    return vote
