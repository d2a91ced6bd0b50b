"""/api/v1/applications: apply to join (anyone), and follow an application (its applicant
and the secretariat). The same form and service check an application as on the web page."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hrnet.accounts.authentication import BearerTokenAuth
from hrnet.members.forms.applications import APPLICATION_FORMS
from hrnet.members.models import Application
from hrnet.members.policies import application_policy
from hrnet.members.selectors.principles import principles_current
from hrnet.members.services import applications as services

router = Router(tags=["membership"])


class PrinciplesOut(Schema):
    number: int
    text: str = Field(description="In the language of `Accept-Language`.")
    texts: dict[str, str] = Field(description="Every language: code → text.")
    published_at: datetime


class ApplicationIn(Schema):
    """An application. Which fields apply depends on `kind`; every problem is reported by
    field name in one 422 answer, as the application form does."""

    kind: Literal["organisation", "individual"]
    country: str = Field("", description="An ISO code or a country name in any language.")
    city: str = ""
    issue_areas: list[str] = Field(default_factory=list, description="Issue area codes.")
    is_public: bool = Field(False, description="Agree to be listed in the public directory.")
    motivation: str = Field("", description="Why the applicant wants to join (required).")
    principles_version: int = Field(
        description="The version of the principles shown to the applicant (GET /principles)."
    )
    accept_principles: bool = Field(description="Must be true.")
    language: str = Field(
        "", description="Language of the emails; defaults to the `Accept-Language` one."
    )
    # An organisation
    names: dict[str, str] = Field(
        default_factory=dict,
        description='Organisation: its name per language code, e.g. {"en": …, "ru": …}.',
    )
    name_original: str = ""
    organisation_kind: str = Field("", description="Organisation: ngo, community_led, …")
    is_community_led: bool = False
    website: str = ""
    email: str = Field("", description="The organisation's or the individual's address.")
    description: str = ""
    contact_name: str = Field("", description="Organisation: the contact person (required).")
    contact_email: str = Field("", description="Organisation: their address (required).")
    # An individual
    full_name: str = Field("", description="Individual: required.")
    expertise: str = ""
    languages: list[str] = Field(default_factory=list, description="Codes or names.")


class ApplicationCreatedOut(Schema):
    id: int
    status: str
    status_url: str = Field(description="The applicant's private page; keep it secret.")


class ApplicationOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    applicant_name: str
    language: str
    principles_version: int
    principles_accepted_at: datetime
    submitted_at: datetime
    decided_at: datetime | None
    decision_reason: str = Field(description="Why it was rejected (empty otherwise).")
    info_request: str = Field(description="The information asked for, while it is awaited.")


class ErrorsOut(Schema):
    errors: dict[str, list[str]] = Field(description="Messages by field name.")


def _form_data(payload: ApplicationIn) -> dict[str, Any]:
    data = payload.dict(exclude={"names", "languages"})
    for code, name in payload.names.items():
        data[f"name_{code}"] = name
    data["languages"] = ", ".join(payload.languages)
    return data


def _api_field(field: str) -> str:
    """The API's name of a form field (`name_en` → `names.en`)."""
    if field.startswith("name_") and field != "name_original":
        return "names." + field.removeprefix("name_")
    return "__all__" if field == "__all__" else field


def _token_user(request: HttpRequest) -> Any:
    if not request.headers.get("Authorization"):
        return None
    return BearerTokenAuth()(request)


def _errors(error_dict: dict[str, list[str]]) -> dict[str, Any]:
    return {"errors": {_api_field(field): messages for field, messages in error_dict.items()}}


@router.get("/principles", response={200: PrinciplesOut, 404: ErrorsOut}, auth=None)
def principles(request: HttpRequest) -> Status:
    """The current principles, which an application must accept (by their number)."""
    current = principles_current()
    if current is None:
        message = _("The network has not published its principles yet.")
        return Status(404, {"errors": {"__all__": [message]}})
    return Status(
        200,
        {
            "number": current.number,
            "text": current.text,
            "texts": current.texts,
            "published_at": current.published_at,
        },
    )


@router.post("", response={201: ApplicationCreatedOut, 422: ErrorsOut}, auth=None)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status:
    """Apply to join, as an organisation or an individual; no account needed.

    The applicant gets an email with the link to their application's page.
    """
    unknown = [code for code in payload.names if code not in dict(settings.LANGUAGES)]
    if unknown:
        message = _("“%(value)s” is not a language of this site.") % {"value": ", ".join(unknown)}
        return Status(422, {"errors": {"names": [message]}})
    current = principles_current()
    form = APPLICATION_FORMS[payload.kind](
        _form_data(payload), principles_number=current.number if current else None
    )
    if not form.is_valid():
        found = form.errors.get_json_data()
        return Status(422, _errors({f: [e["message"] for e in errs] for f, errs in found.items()}))
    language = payload.language or translation.get_language() or settings.LANGUAGE_CODE
    # Anyone may apply; a caller with a token is still recorded as the applicant, so they
    # can follow the application through the API.
    applicant = _token_user(request) or request.user
    try:
        application = services.application_submit(
            kind=payload.kind,
            details=form.details(),
            principles_number=payload.principles_version,
            principles_accepted=payload.accept_principles,
            language=language,
            applicant_user=applicant,
            request=request,
        )
    except ValidationError as error:
        messages = getattr(error, "message_dict", None) or {"__all__": error.messages}
        return Status(422, _errors(messages))
    return Status(
        201,
        {
            "id": application.pk,
            "status": application.status,
            "status_url": services.application_status_url(application),
        },
    )


@router.get("/{int:application_id}", response={200: ApplicationOut, 404: ErrorsOut})
def application_get(request: HttpRequest, application_id: int) -> Status:
    """One application, for the person who submitted it while signed in and for the
    secretariat; 404 for anyone else."""
    user = request.auth  # type: ignore[attr-defined]
    application = (
        application_policy.instances_user_has_permission_for(user, "view")
        .select_related("organisation", "person", "principles_version")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return Status(404, {"errors": {"__all__": [_("Not found.")]}})
    is_rejected = application.status == Application.Status.REJECTED
    awaits_info = application.status == Application.Status.INFO_REQUESTED
    return Status(
        200,
        {
            "id": application.pk,
            "kind": application.kind,
            "status": application.status,
            "status_label": application.get_status_display(),
            "applicant_name": application.applicant_name,
            "language": application.language,
            "principles_version": application.principles_version.number,
            "principles_accepted_at": application.principles_accepted_at,
            "submitted_at": application.created_at,
            "decided_at": application.decided_at,
            "decision_reason": application.decision_reason if is_rejected else "",
            "info_request": application.info_request if awaits_info else "",
        },
    )
