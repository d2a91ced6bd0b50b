"""/api/v1/events and /api/v1/me/registrations.

The same visibility as the pages (`events.policies`): anonymous callers get public
published events; network members also members-only ones; the secretariat and organisers
their drafts. The online link is in an event only for its confirmed participants and those
who manage it. Registering and cancelling need a token (`Authorization: Bearer ...`) or
the browser session; refusals answer 400 (or 409 for "already registered", "full") with
the same translated message as the pages.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.i18n import localized
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.core.types import Actor
from hrnet.events.ics import event_url
from hrnet.events.models import Event, Registration
from hrnet.events.selectors import calendar as selectors
from hrnet.events.services import registration as services
from hrnet.geo.models import Country
from hrnet.members.models import Organisation

events_router = Router(tags=["events"])
me_router = Router(tags=["events"])
# The one router the API mounts at its root; it carries the events' own prefixes.
router = Router()


class EventFiltersIn(Schema):
    kind: str = Field("", description="webinar, training, discussion, meeting, conference, global")
    language: str = Field("", description="Events held in this language, e.g. ru.")
    issue_area: str = Field("", description="Issue-area code, e.g. HIV.")
    when: Literal["upcoming", "past"] = Field("upcoming", description="upcoming or past.")

    def to_filters(self) -> selectors.EventFilters:
        return selectors.EventFilters(
            kind=self.kind.strip(),
            language=self.language.strip(),
            issue_area=self.issue_area.strip(),
            when=self.when,
        )


class SessionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime


class EventOut(Schema):
    id: int
    kind: str
    status: str
    visibility: str
    title: str
    description: str
    preparation_notes: str = Field(description="Global events: how the network prepares.")
    external_url: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field(description="The organisers' time zone (IANA name).")
    sessions: list[SessionOut]
    venue: str
    city: str
    country: str | None = Field(description="ISO 3166 alpha-2 code.")
    languages: list[str]
    interpretation: str
    online: bool = Field(description="Whether the event has an online link.")
    online_url: str | None = Field(
        description="Only for confirmed participants and the organisers; null otherwise."
    )
    recording_url: str
    capacity: int | None
    seats_free: int | None
    waiting_list: bool
    approval_required: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    takes_registrations: bool
    issue_areas: list[str]
    sequence: int
    url: str
    ics_url: str


class RegistrationIn(Schema):
    country: str = Field("", description="ISO 3166 alpha-2 code of the country you work in.")
    organisation_id: int | None = Field(None, description="A member organisation's id.")
    organisation_name: str = Field("", max_length=300)
    gender: Literal["woman", "man", "non_binary", "unsaid"] = "unsaid"
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the event's questions by question id (choice: the index).",
    )


class RegistrationOut(Schema):
    id: int
    event_id: int
    event_title: str
    event_starts_at: datetime
    status: str
    status_label: str
    waiting_position: int | None
    offer_expires_at: datetime | None
    created_at: datetime


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _event_out(event: Event, user: Actor) -> dict[str, Any]:
    sees_link = selectors.sees_online_link(user=user, event=event)
    return {
        "id": event.pk,
        "kind": event.kind,
        "status": event.status,
        "visibility": event.visibility,
        "title": event.title,
        "description": event.description,
        "preparation_notes": localized(event.preparation_notes),
        "external_url": event.external_url,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "sessions": [
            {
                "id": s.pk,
                "title": localized(s.titles),
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
            }
            for s in event.sessions.all()
        ],
        "venue": event.venue,
        "city": event.city,
        "country": event.country.iso2 if event.country else None,
        "languages": list(event.languages or []),
        "interpretation": event.interpretation,
        "online": bool(event.online_url),
        "online_url": event.online_url if sees_link else None,
        "recording_url": event.recording_url,
        "capacity": event.capacity,
        "seats_free": services.seats_free(event) if event.takes_registrations else None,
        "waiting_list": event.waiting_list,
        "approval_required": event.approval_required,
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
        "takes_registrations": event.takes_registrations,
        "issue_areas": [area.code for area in event.issue_areas.all()],
        "sequence": event.sequence,
        "url": event_url(event),
        "ics_url": event_url(event) + "event.ics",
    }


def _registration_out(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "event_id": registration.event_id,
        "event_title": registration.event.title,
        "event_starts_at": registration.event.starts_at,
        "status": registration.status,
        "status_label": str(registration.get_status_display()),
        "waiting_position": services.waiting_position(registration),
        "offer_expires_at": registration.offer_expires_at,
        "created_at": registration.created_at,
    }


def _error(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        errors = exc.message_dict
        first = next(iter(errors.values()))[0]
        return {"detail": first, "errors": errors}
    return {"detail": exc.messages[0], "errors": None}


@events_router.get("", response=list[EventOut], auth=OPTIONAL_AUTH)
@paginate(LimitOffsetPagination, default_limit=20, max_limit=100)
def event_list(request: HttpRequest, filters: Query[EventFiltersIn]) -> Paged:
    """Upcoming events, soonest first (or past ones, latest first), with the calendar's
    filters."""
    user = _caller(request)
    events = selectors.event_list(user=user, filters=filters.to_filters())
    return Paged(events, render=lambda page: [_event_out(event, user) for event in page])


@events_router.get("/{event_id}", response={200: EventOut, 404: ErrorOut}, auth=OPTIONAL_AUTH)
def event_detail(request: HttpRequest, event_id: int) -> Status:
    """One event; 404 when it does not exist or the caller may not see it."""
    user = _caller(request)
    try:
        event = selectors.event_get(user=user, pk=event_id)
    except Event.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    return Status(200, _event_out(event, user))


@events_router.post(
    "/{event_id}/registrations",
    response={201: RegistrationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def registration_create(request: HttpRequest, event_id: int, data: RegistrationIn) -> Status:
    """Register the caller: `confirmed`, `pending` (the organisers approve) or `waiting`
    (full, on the waiting list)."""
    user = request.auth  # type: ignore[attr-defined]
    try:
        event = selectors.event_get(user=user, pk=event_id)
    except Event.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    country = None
    if data.country:
        country = Country.objects.filter(iso2=data.country.strip().upper()).first()
        if country is None:
            message = _("“%(code)s” is not a known country code.") % {"code": data.country}
            return Status(400, {"detail": message, "errors": {"country": [message]}})
    organisation = None
    if data.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=data.organisation_id).first()
        if organisation is None:
            message = _("No organisation has the id %(id)s.") % {"id": data.organisation_id}
            return Status(400, {"detail": message, "errors": {"organisation_id": [message]}})
    try:
        registration = services.registration_create(
            event=event,
            user=user,
            country=country,
            organisation=organisation,
            organisation_name=data.organisation_name,
            gender=data.gender,
            answers=data.answers,
            request=request,
        )
    except PermissionDenied:
        return Status(403, {"detail": _("You may not register for this event.")})
    except ValidationError as exc:
        code = getattr(exc, "code", None)
        return Status(409 if code in ("already", "full") else 400, _error(exc))
    return Status(201, _registration_out(registration))


@events_router.delete(
    "/{event_id}/registrations", response={200: RegistrationOut, 400: ErrorOut, 404: ErrorOut}
)
def registration_cancel(request: HttpRequest, event_id: int) -> Status:
    """Cancel the caller's own registration (or place on the waiting list, or offer)."""
    user = request.auth  # type: ignore[attr-defined]
    registration = (
        Registration.objects.filter(
            event__pk=event_id,  # through the relation, so an out-of-range id is no match
            user=user,
            status__in=Registration.ACTIVE,
            event__deleted_at__isnull=True,
        )
        .select_related("event")
        .first()
    )
    if registration is None:
        return Status(404, {"detail": _("You have no active registration for this event.")})
    try:
        registration = services.registration_cancel(
            registration=registration, actor=user, request=request
        )
    except ValidationError as exc:
        return Status(400, _error(exc))
    return Status(200, _registration_out(registration))


@me_router.get("", response=list[RegistrationOut])
def my_registrations(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's registrations, soonest event first, in every status."""
    user = request.auth  # type: ignore[attr-defined]
    return [_registration_out(r) for r in selectors.my_registrations(user=user)]


router.add_router("/events", events_router)
router.add_router("/me/registrations", me_router)
