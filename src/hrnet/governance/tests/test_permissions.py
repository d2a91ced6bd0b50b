"""Who may do what in an election, for each role (anonymous, member, organisation admin,
site staff, expert, documenter, secretariat, a plain member on the election committee):
through the services (nominate, decide on candidates, freeze the roll, vote, confirm the
count, publish) and through the API; and that the results stay hidden before
publication on every path (API, pages, bulletin, receipt check, start page) while the
readers who should see them after publication do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.governance import selectors
from hrnet.governance.models import Ballot, Candidate, Election, Roll
from hrnet.governance.policies import election_policy
from hrnet.governance.services.ballots import ballot_cast
from hrnet.governance.services.elections import candidate_decide, candidate_nominate
from hrnet.governance.services.results import result_confirm, results_publish
from hrnet.governance.services.roll import roll_freeze
from hrnet.governance.tally import bulletin
from hrnet.governance.tests.factories import candidate, election, roll, voting_organisation
from hrnet.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "member",
    "orgadmin",
    "sitestaff",
    "expert",
    "documenter",
    "secretariat",
    "committee",
)
READERS = {"member", "orgadmin", "expert", "secretariat", "committee"}  # the members' area


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


@dataclass
class World:
    users: dict[str, Any]
    draft: Election
    nominations: Election
    open: Election
    closed: Election  # ballots cast, the count confirmed by two other committee members
    nominee: Candidate  # in `nominations`, waiting for the committee
    names: tuple[str, str]  # the accepted candidates of `open` and `closed`
    receipts: list[str]  # of ballots in `closed`

    def election(self, key: str) -> Election:
        """A fresh copy (the policy caches the committee on the instance)."""
        return Election.objects.get(pk=getattr(self, key).pk)


def _close(vote: Election) -> None:
    now = timezone.now()
    vote.opens_at, vote.closes_at = now - timedelta(days=10), now - timedelta(days=1)
    vote.save(update_fields=["opens_at", "closes_at"])


@pytest.fixture
def world(make_user: Callable[..., Any]) -> World:
    names = ("Ana Ionescu", "Boris Petrov")
    vote = election(seats=1)
    for name in names:
        candidate(vote, name=name)
    _entry, orgadmin = voting_organisation(vote.roll)
    users: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "member": make_user(Role.MEMBER),
        "orgadmin": orgadmin,
        "sitestaff": make_user(Role.SITESTAFF),
        "expert": make_user(Role.EXPERT),
        "documenter": make_user(Role.DOCUMENTER),
        "secretariat": make_user(Role.SECRETARIAT, is_staff=True),
        "committee": make_user(Role.MEMBER),
    }
    for key, user in users.items():
        if key not in ("anonymous", "orgadmin"):
            PersonFactory.create(user=user, full_name=f"{key.title()} Person")
    draft = election(status=Election.Status.DRAFT)
    nominations = election(status=Election.Status.NOMINATIONS)
    closed = election(seats=1)
    accepted = [candidate(closed, name=name) for name in names]
    receipts = []
    for choice in (accepted[0], accepted[0], accepted[1]):
        _entry, admin = voting_organisation(closed.roll)
        receipts.append(ballot_cast(actor=admin, election=closed, choices=[choice.pk]))
    voting_organisation(closed.roll)  # one who did not vote
    _close(closed)
    others = [make_user(Role.MEMBER), make_user(Role.MEMBER)]
    for each in (draft, nominations, vote, closed):
        each.committee.add(users["committee"])
    closed.committee.add(*others)
    for member in others:
        result_confirm(actor=member, election=Election.objects.get(pk=closed.pk))
    return World(
        users=users,
        draft=draft,
        nominations=nominations,
        open=vote,
        closed=Election.objects.get(pk=closed.pk),
        nominee=candidate(nominations, status=Candidate.Status.NOMINATED),
        names=names,
        receipts=receipts,
    )


def _client(user: Any) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def _allowed(action: Callable[[], object]) -> bool:
    """True if the service did it, False if it refused the actor (anything else is a
    failure of the test's set-up and is raised)."""
    try:
        action()
    except PermissionDenied:
        return False
    return True


# --- services ------------------------------------------------------------------------------

SERVICES: dict[str, set[str]] = {
    # Every network member may stand (secretariat staff and committee members included).
    "nominate": {"member", "orgadmin", "expert", "secretariat", "committee"},
    "decide": {"committee"},
    "freeze": {"secretariat"},
    "vote": {"orgadmin"},  # the only one on the roll
    "confirm": {"committee"},
    "publish": {"secretariat"},
}


@pytest.mark.parametrize("role", ROLES)
def test_services_by_role(world: World, role: str) -> None:
    user = world.users[role]
    network = world.nominations.constituencies.get()
    open_roll = roll(cutoff=timezone.localdate())
    done = {
        "nominate": _allowed(
            lambda: candidate_nominate(
                actor=user,
                election=world.election("nominations"),
                constituency=network,
                statements={"en": "I stand.", "ru": "Я выдвигаюсь."},
            )
        ),
        "decide": _allowed(
            lambda: candidate_decide(actor=user, candidate=world.nominee, accept=True)
        ),
        "freeze": _allowed(lambda: roll_freeze(actor=user, roll=open_roll)),
        "vote": _allowed(
            lambda: ballot_cast(
                actor=user,
                election=world.election("open"),
                choices=[world.open.candidates.first().pk],  # type: ignore[union-attr]
            )
        ),
        "confirm": _allowed(lambda: result_confirm(actor=user, election=world.election("closed"))),
        "publish": _allowed(
            lambda: results_publish(
                actor=user, election=world.election("closed"), summaries={"en": "Done."}
            )
        ),
    }

    assert done == {service: role in allowed for service, allowed in SERVICES.items()}
    # What a refused actor tried left nothing behind.
    assert Ballot.objects.filter(election=world.open).count() == int(role == "orgadmin")
    assert (world.election("closed").published_at is not None) == (role == "secretariat")
    assert (Roll.objects.get(pk=open_roll.pk).frozen_at is not None) == (role == "secretariat")


def test_the_committee_decides_only_before_voting_and_confirms_only_after(world: World) -> None:
    committee = world.users["committee"]
    opened = world.election("open")
    pending = candidate(opened, status=Candidate.Status.NOMINATED)
    assert not _allowed(lambda: candidate_decide(actor=committee, candidate=pending, accept=True))
    assert not _allowed(lambda: result_confirm(actor=committee, election=opened))
    assert not _allowed(
        lambda: results_publish(
            actor=world.users["secretariat"], election=opened, summaries={"en": "Early."}
        )
    )


# --- the API -------------------------------------------------------------------------------

# Expected status codes on the open election, per role.
API_OPEN: dict[str, dict[str, int]] = {
    "anonymous": {"detail": 404, "cast": 401, "results": 404, "receipt": 200},
    "sitestaff": {"detail": 404, "cast": 404, "results": 404, "receipt": 200},
    "documenter": {"detail": 404, "cast": 404, "results": 404, "receipt": 200},
    "member": {"detail": 200, "cast": 403, "results": 409, "receipt": 200},
    "expert": {"detail": 200, "cast": 403, "results": 409, "receipt": 200},
    "secretariat": {"detail": 200, "cast": 403, "results": 409, "receipt": 200},
    "committee": {"detail": 200, "cast": 403, "results": 409, "receipt": 200},
    "orgadmin": {"detail": 200, "cast": 201, "results": 409, "receipt": 200},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_by_role(world: World, role: str) -> None:
    client = _client(world.users[role])
    api = f"/api/v1/elections/{world.open.pk}"
    choice = world.open.candidates.first()
    assert choice is not None

    got = {
        "detail": client.get(api).status_code,
        "cast": client.post(
            f"{api}/ballots", {"choices": [choice.pk]}, "application/json"
        ).status_code,
        "results": client.get(f"{api}/results").status_code,
        "receipt": client.get(f"{api}/receipts/ABCD-EFGH-JK23").status_code,
    }

    assert got == API_OPEN[role]
    listed = {row["id"] for row in client.get("/api/v1/elections").json()}
    expected = {world.nominations.pk, world.open.pk, world.closed.pk} if role in READERS else set()
    if role in ("secretariat", "committee"):
        expected.add(world.draft.pk)
    assert listed == expected
    draft = client.get(f"/api/v1/elections/{world.draft.pk}").status_code
    assert draft == (200 if role in ("secretariat", "committee") else 404)


# --- results hidden before publication, on every path --------------------------------------------


def _hidden_markers(world: World, vote: Election) -> list[str]:
    """Text that only a count or the bulletin would show: the bulletin's fingerprint, the
    receipts of the ballots (each is its voter's to know)."""
    markers = [bulletin(vote)["sha256"]]
    if vote.pk == world.closed.pk:
        markers += world.receipts
    return markers


@pytest.mark.parametrize("state", ["draft", "nominations", "open", "closed"])
def test_results_are_hidden_before_publication_on_every_path(world: World, state: str) -> None:
    vote = world.election(state)
    if state == "open":  # a ballot in the box
        ballot_cast(
            actor=world.users["orgadmin"],
            election=vote,
            choices=[vote.candidates.first().pk],  # type: ignore[union-attr]
        )
    markers = _hidden_markers(world, vote)
    api = f"/api/v1/elections/{vote.pk}"
    # Those who check the count before publishing (once voting has closed) see it on the
    # results page; nobody else, on no path.
    counters = {"secretariat", "committee"} if state == "closed" else set()
    for role in ROLES:
        client = _client(world.users[role])
        # The API: no results, and no tally in the election.
        assert client.get(f"{api}/results").status_code in (404, 409), role
        detail = client.get(api)
        assert detail.status_code in (200, 404), role
        assert '"votes"' not in detail.content.decode(), role
        assert "turnout" not in detail.content.decode(), role
        # The bulletin: not before publication, for anyone.
        assert client.get(reverse("governance:bulletin", args=[vote.pk])).status_code == 404
        # The results page.
        page = client.get(reverse("governance:results", args=[vote.pk]))
        if role in counters:
            assert page.status_code == 200, role
            assert markers[0] in page.content.decode(), role  # the count they confirm
        else:
            assert page.status_code in (302, 404), (role, page.status_code)
        # The receipt check: counted or not, nothing else.
        for receipt in world.receipts[:1] if state == "closed" else ["ABCD-EFGH-JK23"]:
            answer = client.get(f"{api}/receipts/{receipt}")
            if state == "draft":
                assert answer.status_code == 404
            else:
                assert set(answer.json()) == {"counted"}, role
                assert answer.json()["counted"] is (state == "closed")
        # The pages where an election shows up and the start page: no count, no receipts.
        urls = [
            reverse("governance:index"),
            reverse("governance:election", args=[vote.pk]),
            reverse("governance:receipt_check", args=[vote.pk]),
            "/api/v1/elections",
        ]
        if role != "anonymous":
            urls += [reverse("core:me"), "/api/v1/me/work"]
        for url in urls:
            text = client.get(url).content.decode()
            for marker in markers:
                assert marker not in text, (role, url)
            assert '"votes"' not in text, (role, url)


@pytest.mark.parametrize("state", ["draft", "nominations", "open", "closed", "published"])
def test_the_policy_and_the_pages_agree_on_who_sees_a_count(world: World, state: str) -> None:
    """`election_policy`'s "view_results" is the one rule: nobody sees a count while
    voting may still go on (not even the secretariat: interim results would sway it);
    the committee and the secretariat once it has closed; everyone once published."""
    if state == "published":
        vote = results_publish(
            actor=world.users["secretariat"],
            election=world.election("closed"),
            summaries={"en": "Done."},
        )
    else:
        vote = world.election(state)
    for role in ROLES:
        user = world.users[role]
        expected = state == "published" or (
            state == "closed" and role in ("secretariat", "committee")
        )
        policy = election_policy.user_has_permission_for_instance(user, "view_results", vote)
        assert policy is expected, (role, "policy")
        assert selectors.results_visible(user=user, election=vote) is expected, (role, "pages")


def test_published_results_are_visible_to_everyone(world: World) -> None:
    vote = results_publish(
        actor=world.users["secretariat"],
        election=world.election("closed"),
        summaries={"en": "Ana Ionescu is elected.", "ru": "Избрана Ана Ионеску."},
    )
    sha256 = bulletin(vote)["sha256"]
    api = f"/api/v1/elections/{vote.pk}"
    for role in ROLES:
        client = _client(world.users[role])
        results = client.get(f"{api}/results")
        assert results.status_code == 200, role
        assert results.json()["bulletin_sha256"] == sha256
        assert [
            (c["name"], c["votes"]) for c in results.json()["constituencies"][0]["candidates"]
        ] == [
            ("Ana Ionescu", 2),
            ("Boris Petrov", 1),
        ]
        page = client.get(reverse("governance:results", args=[vote.pk]))
        assert page.status_code == 200, role
        html = page.content.decode()
        assert "Ana Ionescu" in html
        assert "Boris Petrov" in html
        assert sha256 in html
        board = client.get(reverse("governance:bulletin", args=[vote.pk]))
        assert board.status_code == 200, role
        assert sorted(board.json()["receipts"]) == sorted(world.receipts)
        assert client.get(f"{api}/receipts/{world.receipts[0]}").json() == {"counted": True}
        # Published elections are public: anyone finds them in the list.
        assert vote.pk in {row["id"] for row in client.get("/api/v1/elections").json()}
