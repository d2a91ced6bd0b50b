"""/api/v1/segments and /api/v1/mailings: the secretariat's segments and mailings.
The segment list pages as every API list does.

Everyone else gets 403 (401 without credentials). A mailing is sent at most once per
recipient: `POST /mailings/{id}/send` on a mailing already queued, sending or sent
answers 409 with its state and sends nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from hrnet.core.forms import errors_by_field
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.mailings import selectors
from hrnet.mailings.models import Category, Mailing, Segment
from hrnet.mailings.policies import mailing_policy, segment_policy
from hrnet.mailings.services import mailings, segments

router = Router(tags=["mailings"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class SegmentIn(Schema):
    name: str
    filters: dict[str, Any] = Field(
        default_factory=dict,
        description="subregion, country (ISO2), type (an organisation type or "
        "'individual'), issue_area, community_led, membership_status ('current', 'any' "
        "or a status), language, event ('any' or an event id), open_assistance.",
    )


class SegmentOut(Schema):
    id: int
    name: str
    filters: dict[str, Any]
    count: int = Field(description="Members (organisations and individuals) matching now.")
    recipients: int = Field(description="Email addresses a mailing would go to now.")


class MailingIn(Schema):
    segment: int
    subject: dict[str, str] = Field(description='Per language: {"en": ..., "ru": ...}.')
    body: dict[str, str] = Field(description="Markdown per language.")
    category: str = Category.ANNOUNCEMENTS.value
    send: bool = False


class MailingOut(Schema):
    id: int
    status: str = Field(description="draft, queued, sending, sent or failed.")
    segment: int
    category: str
    subject: dict[str, str]
    body: dict[str, str]
    recipients: int
    sent: int
    failed: int


def _segment_out(segment: Segment, user: Any) -> dict[str, Any]:
    count = selectors.segment_count(
        user=user, filters=selectors.SegmentFilters.from_dict(segment.filters)
    )
    return {
        "id": segment.pk,
        "name": segment.name,
        "filters": segment.filters,
        "count": count.members,
        "recipients": count.recipients,
    }


def _mailing_out(mailing: Mailing) -> dict[str, Any]:
    counts = selectors.mailing_counts(mailing=mailing)
    return {
        "id": mailing.pk,
        "status": mailing.status,
        "segment": mailing.segment_id,
        "category": mailing.category,
        "subject": mailing.subjects,
        "body": mailing.bodies,
        "recipients": counts.recipients,
        "sent": counts.sent,
        "failed": counts.failed,
    }


def _forbidden() -> Status:
    return Status(403, {"detail": _("Only the secretariat manages segments and mailings.")})


def _invalid(exc: ValidationError) -> Status:
    errors = errors_by_field(exc)
    return Status(400, {"detail": next(iter(errors.values()))[0], "errors": errors})


@router.get("/segments", response={200: list[SegmentOut], 403: ErrorOut})
@paginate(LimitOffsetPagination, default_limit=50, max_limit=100)
def segment_list(request: HttpRequest) -> Paged:
    """Every saved segment with its counts now, paged as `{count, limit, offset, items}`
    (the page's segments are counted, not all of them)."""
    user = request.auth  # type: ignore[attr-defined]
    if not segment_policy.user_has_permission(user, "list"):
        raise HttpError(403, _("Only the secretariat manages segments and mailings."))
    return Paged(
        selectors.segment_list(user=user),
        render=lambda page: [_segment_out(s, user) for s in page],
    )


@router.post("/segments", response={201: SegmentOut, 400: ErrorOut, 403: ErrorOut})
def segment_create(request: HttpRequest, data: SegmentIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    if not segment_policy.user_has_permission(user, "add"):
        return _forbidden()
    try:
        segment = segments.segment_create(
            actor=user, name=data.name, filters=data.filters, request=request
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _segment_out(segment, user))


@router.get("/segments/{segment_id}", response={200: SegmentOut, 403: ErrorOut, 404: ErrorOut})
def segment_detail(request: HttpRequest, segment_id: int) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    if not segment_policy.user_has_permission(user, "view"):
        return _forbidden()
    try:
        return Status(200, _segment_out(selectors.segment_get(user=user, pk=segment_id), user))
    except Segment.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})


@router.post("/mailings", response={201: MailingOut, 400: ErrorOut, 403: ErrorOut})
def mailing_create(request: HttpRequest, data: MailingIn) -> Status:
    """A mailing to a segment; with `send`, queued at once (recipients fixed now)."""
    user = request.auth  # type: ignore[attr-defined]
    if not mailing_policy.user_has_permission(user, "add"):
        return _forbidden()
    try:
        segment = selectors.segment_get(user=user, pk=data.segment)
    except Segment.DoesNotExist:
        return _invalid(
            ValidationError({"segment": _("No segment has the id %(id)s.") % {"id": data.segment}})
        )
    try:
        mailing = mailings.mailing_create(
            actor=user,
            segment=segment,
            subjects=data.subject,
            bodies=data.body,
            category=data.category,
            request=request,
        )
    except ValidationError as exc:
        return _invalid(exc)
    if data.send:
        mailing, _queued = mailings.mailing_send(actor=user, mailing=mailing, request=request)
    mailing.refresh_from_db()
    return Status(201, _mailing_out(mailing))


@router.get("/mailings/{mailing_id}", response={200: MailingOut, 403: ErrorOut, 404: ErrorOut})
def mailing_detail(request: HttpRequest, mailing_id: int) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    if not mailing_policy.user_has_permission(user, "view"):
        return _forbidden()
    try:
        return Status(200, _mailing_out(selectors.mailing_get(user=user, pk=mailing_id)))
    except Mailing.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})


@router.post(
    "/mailings/{mailing_id}/send",
    response={202: MailingOut, 403: ErrorOut, 404: ErrorOut, 409: MailingOut},
)
def mailing_send(request: HttpRequest, mailing_id: int) -> Status:
    """Queue a draft (or resume a failed mailing); 409 with the state when it was already
    queued, sending or sent."""
    user = request.auth  # type: ignore[attr-defined]
    if not mailing_policy.user_has_permission(user, "send"):
        return _forbidden()
    try:
        mailing = selectors.mailing_get(user=user, pk=mailing_id)
    except Mailing.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    mailing, queued = mailings.mailing_send(actor=user, mailing=mailing, request=request)
    mailing.refresh_from_db()
    return Status(202 if queued else 409, _mailing_out(mailing))
