"""/api/v1/elections: elections, their candidates, casting a ballot, checking a receipt
and the published results, with the visibility of `governance.policies`.

Who reads what (`governance.selectors`, the pages' own reads):
- An election is readable by those the policy lets "view" it: network members once it is
  announced, the secretariat and its committee from the draft on, and anyone once its
  results are published (anonymous callers list and read published elections only). One
  the caller may not read answers 404, exactly as one that does not exist.
- The results answer only after publication, for everyone (the committee and the
  secretariat check the count before on the pages): 409 with the election's status while
  the caller may read the election, 404 when not even that. The detail never carries a
  tally.
- A receipt check is for anyone (no sign-in), throttled per network address, and says
  only whether a ballot with that receipt is counted: `{"counted": true|false}`; 400 for
  text that is not a receipt, 404 for an election that is not announced.

Casting needs a sign-in (401 without). The answer is `{"receipt": ...}` and nothing else
(201), sent `Cache-Control: no-store`; 409 when this voter has voted or when voting is
not open (the answer's `status` tells which: "open" means the vote is already counted);
403 for a caller without a vote (or not for the organisation named); 400 for choices the
ballot refuses. Casting is not logged anywhere (see `audit.py`).
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.forms import errors_by_field
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.core.types import Actor
from hrnet.governance import selectors
from hrnet.governance.models import Election
from hrnet.governance.policies import election_policy
from hrnet.governance.services.ballots import AlreadyVoted, ballot_cast, receipt_normalise

elections_router = Router(tags=["governance"])
# The one router the API mounts at its root; it carries the elections' own prefix.
router = Router()

# A receipt is 12 characters of a 31-letter alphabet: guessing one is hopeless, and the
# throttle keeps anyone from trying at scale (or using the check to load the server).
RECEIPT_CHECKS_PER_HOUR = 30


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class StateErrorOut(Schema):
    detail: str
    status: str = Field(description="The election's status: draft, nominations, open, ...")


class ElectionOut(Schema):
    id: int
    title: str = Field(description="In the language of the request (Accept-Language).")
    status: str = Field(description="draft, nominations, open, closed or published.")
    opens_at: datetime
    closes_at: datetime


class ConstituencyOut(Schema):
    id: int
    name: str
    names: dict[str, str] = Field(description='Per language: {"en": ..., "ru": ...}.')
    seats: int
    subregion: str | None = Field(description="Only voters of this sub-region vote here.")
    community_led_only: bool


class SeatsOut(Schema):
    total: int
    constituencies: list[ConstituencyOut]


class CandidateOut(Schema):
    id: int
    name: str
    constituency: int = Field(description="The id of the candidate's constituency.")
    nominated_by: str | None = Field(
        description="The nominating member organisation; null for a self-nomination."
    )
    statements: dict[str, str] = Field(description='{"en": ..., "ru": ...}')
    photo: str | None = Field(description="The photo's address, if any.")


class ElectionDetailOut(ElectionOut):
    description: str
    nominations_open_at: datetime | None
    nominations_close_at: datetime | None
    quorum_percent: int
    tie_break: str = Field(description="lot or runoff.")
    seats: SeatsOut
    candidates: list[CandidateOut] = Field(description="The accepted candidates.")
    may_vote: bool = Field(description="The caller has a vote not yet cast, and voting is open.")


class BallotIn(Schema):
    choices: list[Any] = Field(
        description="Ids of accepted candidates, at most a constituency's seats in each; "
        "an empty list is a blank ballot (it counts for the quorum)."
    )
    organisation: int | None = Field(
        None,
        description="The member organisation voting, for an admin who votes for several "
        "(or also as an individual member).",
    )


class ReceiptOut(Schema):
    receipt: str = Field(description="Shown once: keep it to check the ballot is counted.")


class CountedOut(Schema):
    counted: bool


class ResultCandidateOut(Schema):
    id: int
    name: str
    votes: int
    elected: bool
    tied: bool = Field(description="Tied for the last seat (drawn by lot, or to a runoff).")


class ResultConstituencyOut(Schema):
    id: int
    name: str
    seats: int
    candidates: list[ResultCandidateOut]
    runoff_needed: bool


class ResultsOut(Schema):
    id: int
    title: str
    published_at: datetime
    roll: int = Field(description="Votes on the roll.")
    voted: int
    ballots: int
    turnout_percent: float
    quorum_percent: int
    quorum_met: bool
    tie_break: str
    constituencies: list[ResultConstituencyOut]
    elected: list[int] = Field(description="The ids of the elected candidates.")
    runoff_needed: bool
    statements: dict[str, str] = Field(description="The result statement per language.")
    bulletin_sha256: str
    bulletin_url: str = Field(description="Every receipt and every ballot, to recount.")


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _not_found() -> Status:
    return Status(404, {"detail": _("Not found.")})


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _election_get(user: Actor, election_id: int) -> Election | None:
    try:
        return selectors.election_get(user=user, pk=election_id)
    except Election.DoesNotExist:
        return None


def _election_out(election: Election) -> dict[str, Any]:
    return {
        "id": election.pk,
        "title": election.title,
        "status": election.status,
        "opens_at": election.opens_at,
        "closes_at": election.closes_at,
    }


def _detail_out(request: HttpRequest, user: Actor, election: Election) -> dict[str, Any]:
    ballot = selectors.candidates_accepted(election=election)
    return {
        **_election_out(election),
        "description": election.description,
        "nominations_open_at": election.nominations_open_at,
        "nominations_close_at": election.nominations_close_at,
        "quorum_percent": election.quorum_percent,
        "tie_break": election.tie_break,
        "seats": {
            "total": sum(group.constituency.seats for group in ballot),
            "constituencies": [
                {
                    "id": c.pk,
                    "name": c.name,
                    "names": c.names,
                    "seats": c.seats,
                    "subregion": str(c.subregion) if c.subregion else None,
                    "community_led_only": c.community_led_only,
                }
                for c in (group.constituency for group in ballot)
            ],
        },
        "candidates": [
            {
                "id": c.pk,
                "name": c.person.full_name,
                "constituency": c.constituency_id,
                "nominated_by": c.nominated_by.name if c.nominated_by else None,
                "statements": c.statements,
                "photo": request.build_absolute_uri(c.photo.url) if c.photo else None,
            }
            for group in ballot
            for c in group.candidates
        ],
        "may_vote": selectors.voter_state(user=user, election=election).can_vote,
    }


def _results_out(request: HttpRequest, election: Election) -> dict[str, Any]:
    # The count frozen by the committee's first confirmation: what they confirmed is what
    # is published.
    result = selectors.election_result(election=election)
    constituencies = [
        {
            "id": c["id"],
            "name": c["name"] or f"#{c['id']}",
            "seats": c["seats"],
            "candidates": [
                {key: row[key] for key in ("id", "name", "votes", "elected", "tied")}
                for row in c["candidates"]
            ],
            "runoff_needed": c["runoff_needed"],
        }
        for c in result["constituencies"]
    ]
    return {
        "id": election.pk,
        "title": election.title,
        "published_at": election.published_at,
        **{
            key: result[key]
            for key in (
                "roll",
                "voted",
                "ballots",
                "turnout_percent",
                "quorum_percent",
                "quorum_met",
                "tie_break",
                "bulletin_sha256",
            )
        },
        "constituencies": constituencies,
        "elected": [row["id"] for c in constituencies for row in c["candidates"] if row["elected"]],
        "runoff_needed": any(c["runoff_needed"] for c in constituencies),
        "statements": election.result_summaries,
        "bulletin_url": request.build_absolute_uri(
            reverse("governance:bulletin", args=[election.pk])
        ),
    }


@elections_router.get("", response=list[ElectionOut], auth=OPTIONAL_AUTH)
def election_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The elections the caller may read, latest voting first (a short list, not paged,
    as /countries). Anonymous callers get the published ones."""
    elections = election_policy.instances_user_has_permission_for(_caller(request), "list")
    return [_election_out(e) for e in elections]


@elections_router.get(
    "/{election_id}", response={200: ElectionDetailOut, 404: ErrorOut}, auth=OPTIONAL_AUTH
)
def election_detail(request: HttpRequest, election_id: int) -> Status:
    """An election with its seats and accepted candidates; never a tally. 404 when it
    does not exist or the caller may not read it."""
    user = _caller(request)
    election = _election_get(user, election_id)
    if election is None:
        return _not_found()
    return Status(200, _detail_out(request, user, election))


@elections_router.post(
    "/{election_id}/ballots",
    response={
        201: ReceiptOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: StateErrorOut,
    },
)
def ballot_create(
    request: HttpRequest, response: HttpResponse, election_id: int, data: BallotIn
) -> Status:
    """Cast the caller's vote (for `organisation` when they vote for one). Once cast, a
    vote cannot be changed."""
    _no_store(response)
    user = request.auth  # type: ignore[attr-defined]
    election = _election_get(user, election_id)
    if election is None:
        return _not_found()
    try:
        receipt = ballot_cast(
            actor=user,
            election=election,
            choices=data.choices,
            organisation_id=data.organisation,
        )
    except AlreadyVoted:
        return Status(
            409, {"detail": _("This vote is already counted."), "status": election.status}
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or _("You have no vote in this election.")})
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") and exc.code == "not_open":
            return Status(409, {"detail": exc.messages[0], "status": election.status})
        errors = errors_by_field(exc)
        return Status(400, {"detail": next(iter(errors.values()))[0], "errors": errors})
    return Status(201, {"receipt": receipt})


@elections_router.get(
    "/{election_id}/receipts/{receipt}",
    response={200: CountedOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    auth=OPTIONAL_AUTH,
)
def receipt_check(
    request: HttpRequest, response: HttpResponse, election_id: int, receipt: str
) -> Status:
    """Whether a ballot with this receipt is in the election's count (anyone may ask;
    dashes and case do not matter). Never anything about the ballot's choices."""
    _no_store(response)
    if not throttle_hit(
        scope="governance.receipt_check",
        key=address_key(request),
        limit=RECEIPT_CHECKS_PER_HOUR,
        window=timedelta(hours=1),
    ):
        return Status(
            429, {"detail": _("Too many checks from your network address. Try again in an hour.")}
        )
    try:
        election = selectors.election_public_get(pk=election_id)
    except Election.DoesNotExist:
        return _not_found()
    if not receipt_normalise(receipt):
        message = _("A receipt code has 12 letters and digits, like ABCD-EFGH-JKMN.")
        return Status(400, {"detail": message, "errors": {"receipt": [message]}})
    return Status(200, {"counted": selectors.receipt_counted(election=election, receipt=receipt)})


@elections_router.get(
    "/{election_id}/results",
    response={200: ResultsOut, 404: ErrorOut, 409: StateErrorOut},
    auth=OPTIONAL_AUTH,
)
def election_results(request: HttpRequest, election_id: int) -> Status:
    """The published count: turnout, quorum, votes per candidate and constituency, the
    elected, the statement and the bulletin's SHA-256. 409 (with the status) before
    publication, for everyone; 404 when the caller may not read the election."""
    election = _election_get(_caller(request), election_id)
    if election is None:
        return _not_found()
    if election.published_at is None:
        return Status(
            409,
            {
                "detail": _("The results are not published yet."),
                "status": election.status,
            },
        )
    return Status(200, _results_out(request, election))


router.add_router("/elections", elections_router)
