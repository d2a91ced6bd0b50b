"""/api/v1/elections: the contract of every endpoint (statuses, shapes, headers) and that
it shows no more than the policy allows: 404 for what the caller may not read, results
only after publication, a receipt check that says counted or not and nothing else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.geo.models import SubRegion
from hrnet.governance import api as governance_api
from hrnet.governance.models import Ballot, Constituency, Election, Roll, VoterRecord
from hrnet.governance.services.results import result_confirm, results_publish
from hrnet.governance.tally import bulletin
from hrnet.governance.tests.factories import (
    candidate,
    election,
    individual_voter,
    voting_organisation,
)
from hrnet.members.models import Affiliation, Person
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/elections"


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> Client:
    _record, key = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def close(vote: Election) -> Election:
    now = timezone.now()
    vote.opens_at, vote.closes_at = now - timedelta(days=10), now - timedelta(days=1)
    vote.save(update_fields=["opens_at", "closes_at"])
    return Election.objects.get(pk=vote.pk)


def publish(vote: Election, secretariat: Any, make_user: Any) -> Election:
    """Close the election, have two committee members confirm and the secretariat
    publish, as the services do it."""
    vote = close(vote)
    first, second = make_user(Role.MEMBER), make_user(Role.MEMBER)
    vote.committee.add(first, second)
    result_confirm(actor=first, election=Election.objects.get(pk=vote.pk))
    result_confirm(actor=second, election=Election.objects.get(pk=vote.pk))
    return results_publish(
        actor=secretariat,
        election=Election.objects.get(pk=vote.pk),
        summaries={"en": "Two members were elected.", "ru": "Избраны два члена."},
    )


@pytest.fixture
def elections() -> dict[str, Election]:
    return {status: election(status=status) for status in Election.Status.values}


# --- list ----------------------------------------------------------------------------------


def test_the_list_shows_each_caller_what_they_may_read(
    elections: dict[str, Election], member: Any, secretariat: Any, make_user: Any
) -> None:
    committee_member = make_user(Role.MEMBER)
    elections["draft"].committee.add(committee_member)

    def statuses(client: Client) -> set[str]:
        response = client.get(API)
        assert response.status_code == 200
        return {row["status"] for row in response.json()}

    announced = {"nominations", "open", "closed", "published"}
    assert statuses(Client()) == {"published"}  # anonymous: results are public
    assert statuses(signed_in(make_user(Role.SITESTAFF))) == {"published"}
    assert statuses(signed_in(make_user(Role.DOCUMENTER))) == {"published"}
    assert statuses(signed_in(member)) == announced
    assert statuses(bearer(member)) == announced
    assert statuses(signed_in(make_user(Role.ORGADMIN))) == announced
    assert statuses(signed_in(make_user(Role.EXPERT))) == announced
    assert statuses(signed_in(committee_member)) == announced | {"draft"}
    assert statuses(signed_in(secretariat)) == announced | {"draft"}


def test_list_rows_have_the_contract_shape_and_the_request_language(
    elections: dict[str, Election], member: Any
) -> None:
    client = signed_in(member)
    rows = client.get(API).json()
    assert len(rows) == len({r["id"] for r in rows}) == 4  # each once (no join duplicates)
    open_row = next(r for r in rows if r["id"] == elections["open"].pk)
    assert set(open_row) == {"id", "title", "status", "opens_at", "closes_at"}
    assert open_row["title"] == "Steering committee 2027"
    assert open_row["status"] == "open"
    russian = client.get(API, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert {r["title"] for r in russian} == {"Координационный комитет 2027"}


def test_a_wrong_token_is_401_not_anonymous(elections: dict[str, Election]) -> None:
    client = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    vote = elections["published"]
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{vote.pk}").status_code == 401
    assert client.get(f"{API}/{vote.pk}/results").status_code == 401


# --- detail --------------------------------------------------------------------------------


def test_detail_has_the_seats_and_the_accepted_candidates(member: Any) -> None:
    vote = election(seats=2)
    network = vote.constituencies.get()
    regional = Constituency.objects.create(
        election=vote,
        names={"en": "Central Asia", "ru": "Центральная Азия"},
        seats=1,
        subregion=SubRegion.objects.get(countries__iso2="KZ"),
        position=1,
    )
    organisation = OrganisationFactory.create(names={"en": "Alliance", "ru": "Альянс"})
    candidate(vote, constituency=network, name="Ana Ionescu", photo="governance/candidates/ana.jpg")
    nominated = candidate(vote, constituency=regional, name="Nurlan Bekov")
    nominated.nominated_by = organisation
    nominated.save(update_fields=["nominated_by"])
    for status in ("nominated", "rejected", "withdrawn"):
        candidate(vote, constituency=network, status=status, name=f"{status} Person")

    response = signed_in(member).get(f"{API}/{vote.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "open"
    assert body["seats"]["total"] == 3
    assert [(c["name"], c["seats"]) for c in body["seats"]["constituencies"]] == [
        ("Whole network", 2),
        ("Central Asia", 1),
    ]
    assert body["seats"]["constituencies"][1]["names"]["ru"] == "Центральная Азия"
    by_name = {c["name"]: c for c in body["candidates"]}
    assert set(by_name) == {"Ana Ionescu", "Nurlan Bekov"}  # accepted only
    ana = by_name["Ana Ionescu"]
    assert ana["statements"] == {"en": "I stand for Ana Ionescu.", "ru": "Я выдвигаюсь."}
    assert ana["nominated_by"] is None  # self-nominated
    assert ana["photo"].startswith("http://testserver/")
    assert ana["photo"].endswith("governance/candidates/ana.jpg")
    assert ana["constituency"] == network.pk
    assert by_name["Nurlan Bekov"]["nominated_by"] == "Alliance"
    assert by_name["Nurlan Bekov"]["photo"] is None
    assert by_name["Nurlan Bekov"]["constituency"] == regional.pk
    assert body["may_vote"] is False  # a member without a vote
    assert "votes" not in response.content.decode()


def test_detail_is_404_where_the_caller_may_not_read(
    elections: dict[str, Election], member: Any, make_user: Any
) -> None:
    anonymous, staff = Client(), signed_in(make_user(Role.SITESTAFF))
    for status in ("draft", "nominations", "open", "closed"):
        pk = elections[status].pk
        assert anonymous.get(f"{API}/{pk}").status_code == 404, status
        assert staff.get(f"{API}/{pk}").status_code == 404, status
    assert signed_in(member).get(f"{API}/{elections['draft'].pk}").status_code == 404
    assert signed_in(member).get(f"{API}/999999").status_code == 404
    assert anonymous.get(f"{API}/999999").json() == {"detail": "Not found.", "errors": {}}


def test_anyone_reads_a_published_election_with_its_candidates(
    elections: dict[str, Election],
) -> None:
    vote = elections["published"]
    candidate(vote, name="Ana Ionescu", photo="governance/candidates/ana.jpg")

    response = Client().get(f"{API}/{vote.pk}")

    assert response.status_code == 200
    body = response.json()
    assert [(c["name"], c["statements"]["en"]) for c in body["candidates"]] == [
        ("Ana Ionescu", "I stand for Ana Ionescu.")
    ]
    assert body["may_vote"] is False
    assert "votes" not in response.content.decode()  # the tallies are under /results


def test_may_vote_says_whether_the_caller_still_has_a_vote() -> None:
    vote = election()
    a = candidate(vote)
    _entry, admin = voting_organisation(vote.roll)
    client = signed_in(admin)
    assert client.get(f"{API}/{vote.pk}").json()["may_vote"] is True
    cast = client.post(f"{API}/{vote.pk}/ballots", {"choices": [a.pk]}, "application/json")
    assert cast.status_code == 201
    assert client.get(f"{API}/{vote.pk}").json()["may_vote"] is False


# --- casting -------------------------------------------------------------------------------


def test_casting_answers_the_receipt_only_and_is_not_cached() -> None:
    vote = election()
    a, b = candidate(vote), candidate(vote)
    _entry, admin = voting_organisation(vote.roll)

    response = bearer(admin).post(
        f"{API}/{vote.pk}/ballots", {"choices": [a.pk, b.pk]}, "application/json"
    )

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"receipt"}
    assert Ballot.objects.get().receipt == body["receipt"]
    assert VoterRecord.objects.count() == 1


def test_a_second_vote_is_409_and_changes_nothing() -> None:
    vote = election()
    a, b = candidate(vote), candidate(vote)
    _entry, admin = voting_organisation(vote.roll)
    client = signed_in(admin)
    first = client.post(f"{API}/{vote.pk}/ballots", {"choices": [a.pk]}, "application/json")
    assert first.status_code == 201

    again = client.post(f"{API}/{vote.pk}/ballots", {"choices": [b.pk]}, "application/json")

    assert again.status_code == 409
    assert again["Cache-Control"] == "no-store"
    assert again.json() == {"detail": "This vote is already counted.", "status": "open"}
    assert list(Ballot.objects.get().choices.values_list("candidate", flat=True)) == [a.pk]


def test_casting_refusals(member: Any, secretariat: Any, make_user: Any) -> None:
    vote = election(seats=1)
    a, b = candidate(vote), candidate(vote)
    pending = candidate(vote, status="nominated")
    voting_organisation(vote.roll)  # someone has a vote; not these callers
    url = f"{API}/{vote.pk}/ballots"

    def cast(client: Client, choices: list[Any]) -> Any:
        return client.post(url, {"choices": choices}, "application/json")

    assert cast(Client(), [a.pk]).status_code == 401
    for user in (member, secretariat, make_user(Role.EXPERT), make_user(Role.ORGADMIN)):
        refused = cast(signed_in(user), [a.pk])
        assert refused.status_code == 403, user
        assert set(refused.json()) == {"detail", "errors"}
    # Site staff and documenters may not read the election at all.
    assert cast(signed_in(make_user(Role.SITESTAFF)), [a.pk]).status_code == 404
    assert cast(signed_in(make_user(Role.DOCUMENTER)), [a.pk]).status_code == 404
    _entry, admin = voting_organisation(vote.roll)
    voter = signed_in(admin)
    for bad in ([a.pk, b.pk], [pending.pk], ["x"], [a.pk, a.pk], [True], [None]):
        refused = cast(voter, bad)
        assert refused.status_code == 400, bad
        assert refused.json()["errors"]["choices"], bad
        assert refused["Cache-Control"] == "no-store"
    assert cast(voter, [a.pk]).status_code == 201
    assert Ballot.objects.count() == VoterRecord.objects.count() == 1


def test_casting_outside_the_voting_period_is_409_with_the_status(
    elections: dict[str, Election], secretariat: Any
) -> None:
    for status in ("nominations", "closed", "published"):
        vote = elections[status]
        a = candidate(vote)
        _entry, admin = voting_organisation(vote.roll)
        response = signed_in(admin).post(
            f"{API}/{vote.pk}/ballots", {"choices": [a.pk]}, "application/json"
        )
        assert response.status_code == 409, status
        assert response.json()["status"] == status
    draft = elections["draft"]
    _entry, admin = voting_organisation(draft.roll)
    # A voter cannot read a draft: it does not exist for them.
    assert (
        signed_in(admin)
        .post(f"{API}/{draft.pk}/ballots", {"choices": []}, "application/json")
        .status_code
        == 404
    )
    assert not Ballot.objects.exists()


def test_an_admin_of_several_voting_organisations_names_the_one_voting(make_user: Any) -> None:
    vote = election()
    a = candidate(vote)
    first, admin = voting_organisation(vote.roll)
    second_org = OrganisationFactory.create()
    MembershipFactory.create(organisation=second_org)
    AffiliationFactory.create(
        person=Person.objects.get(user=admin),
        organisation=second_org,
        is_admin=True,
        role=Affiliation.Role.DIRECTOR,
    )
    second = vote.roll.entries.create(
        organisation=second_org, subregion=first.subregion, name=second_org.name
    )
    stranger_entry, _stranger = voting_organisation(vote.roll)
    client = signed_in(admin)
    url = f"{API}/{vote.pk}/ballots"

    undecided = client.post(url, {"choices": [a.pk]}, "application/json")
    assert undecided.status_code == 400
    assert undecided.json()["errors"]["organisation"]
    foreign = client.post(
        url, {"choices": [a.pk], "organisation": stranger_entry.organisation_id}, "application/json"
    )
    assert foreign.status_code == 403
    for entry in (first, second):
        response = client.post(
            url, {"choices": [a.pk], "organisation": entry.organisation_id}, "application/json"
        )
        assert response.status_code == 201
    assert set(VoterRecord.objects.values_list("roll_entry", flat=True)) == {first.pk, second.pk}


def test_an_individual_member_votes_with_a_blank_ballot() -> None:
    vote = election(voters=Roll.Voters.INDIVIDUALS)
    candidate(vote)
    _entry, user = individual_voter(vote.roll)

    response = signed_in(user).post(f"{API}/{vote.pk}/ballots", {"choices": []}, "application/json")

    assert response.status_code == 201
    assert not Ballot.objects.get().choices.exists()


def test_a_malformed_body_is_refused_without_a_vote() -> None:
    vote = election()
    _entry, admin = voting_organisation(vote.roll)
    response = signed_in(admin).post(f"{API}/{vote.pk}/ballots", {}, "application/json")
    assert response.status_code == 422  # the schema's own answer: no "choices"
    assert not VoterRecord.objects.exists()


# --- receipts ------------------------------------------------------------------------------


def test_a_receipt_check_says_counted_and_nothing_else() -> None:
    vote = election()
    a = candidate(vote)
    _entry, admin = voting_organisation(vote.roll)
    receipt = (
        signed_in(admin)
        .post(f"{API}/{vote.pk}/ballots", {"choices": [a.pk]}, "application/json")
        .json()["receipt"]
    )
    anonymous = Client()

    for written in (receipt, receipt.lower(), receipt.replace("-", ""), f" {receipt} "):
        response = anonymous.get(f"{API}/{vote.pk}/receipts/{written.strip()}")
        assert response.status_code == 200
        assert response.json() == {"counted": True}
        assert response["Cache-Control"] == "no-store"
    other = "2222-3333-4444" if receipt != "2222-3333-4444" else "5555-6666-7777"
    assert anonymous.get(f"{API}/{vote.pk}/receipts/{other}").json() == {"counted": False}
    # The receipt of another election's ballot is not counted in this one.
    elsewhere = election()
    assert anonymous.get(f"{API}/{elsewhere.pk}/receipts/{receipt}").json() == {"counted": False}


def test_receipt_check_refusals(elections: dict[str, Election], secretariat: Any) -> None:
    anonymous = Client()
    assert anonymous.get(f"{API}/{elections['open'].pk}/receipts/nonsense").status_code == 400
    assert anonymous.get(f"{API}/{elections['draft'].pk}/receipts/ABCD-EFGH-JK23").status_code == (
        404
    )
    assert anonymous.get(f"{API}/999999/receipts/ABCD-EFGH-JK23").status_code == 404
    # A draft has no ballots; it does not exist for a receipt check, whoever asks.
    draft = f"{API}/{elections['draft'].pk}/receipts/ABCD-EFGH-JK23"
    assert signed_in(secretariat).get(draft).status_code == 404


def test_receipt_checks_are_throttled_per_address(
    elections: dict[str, Election], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(governance_api, "RECEIPT_CHECKS_PER_HOUR", 3)
    url = f"{API}/{elections['open'].pk}/receipts/ABCD-EFGH-JK23"
    here, there = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert [here.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert there.get(url).status_code == 200


# --- results -------------------------------------------------------------------------------


def test_results_before_publication_are_409_or_404(
    elections: dict[str, Election], member: Any, secretariat: Any
) -> None:
    for status in ("nominations", "open", "closed"):
        url = f"{API}/{elections[status].pk}/results"
        for client in (signed_in(member), signed_in(secretariat)):
            response = client.get(url)
            assert response.status_code == 409, status
            assert response.json() == {
                "detail": "The results are not published yet.",
                "status": status,
            }
        assert Client().get(url).status_code == 404, status
    russian = signed_in(member).get(
        f"{API}/{elections['closed'].pk}/results", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert russian.json()["detail"] == "Итоги ещё не опубликованы."
    draft = f"{API}/{elections['draft'].pk}/results"
    assert signed_in(member).get(draft).status_code == 404
    assert signed_in(secretariat).get(draft).status_code == 409


def test_published_results_for_everyone(secretariat: Any, make_user: Any) -> None:
    vote = election(seats=1, quorum_percent=50)
    ana, boris = candidate(vote, name="Ana Ionescu"), candidate(vote, name="Boris Petrov")
    admins = [voting_organisation(vote.roll)[1] for _ in range(4)]
    for admin, choice in zip(admins[:3], [ana, ana, boris], strict=True):
        response = signed_in(admin).post(
            f"{API}/{vote.pk}/ballots", {"choices": [choice.pk]}, "application/json"
        )
        assert response.status_code == 201
    vote = publish(vote, secretariat, make_user)

    response = Client().get(f"{API}/{vote.pk}/results", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    body = response.json()
    assert (body["roll"], body["voted"], body["ballots"]) == (4, 3, 3)
    assert body["turnout_percent"] == 75.0
    assert body["quorum_percent"] == 50
    assert body["quorum_met"] is True
    assert body["tie_break"] == "lot"
    assert body["elected"] == [ana.pk]
    assert body["runoff_needed"] is False
    assert body["statements"] == {"en": "Two members were elected.", "ru": "Избраны два члена."}
    assert body["bulletin_sha256"] == bulletin(vote)["sha256"]
    assert (
        body["bulletin_url"] == f"http://testserver/ru/governance/elections/{vote.pk}/bulletin.json"
    )
    [seat] = body["constituencies"]
    assert seat["name"] == "Вся сеть"
    assert seat["seats"] == 1
    assert [(c["name"], c["votes"], c["elected"], c["tied"]) for c in seat["candidates"]] == [
        ("Ana Ionescu", 2, True, False),
        ("Boris Petrov", 1, False, False),
    ]
    assert body["published_at"]
    assert signed_in(admins[3]).get(f"{API}/{vote.pk}/results").status_code == 200
    assert signed_in(make_user(Role.SITESTAFF)).get(f"{API}/{vote.pk}/results").status_code == 200


def test_published_results_show_the_runoff(secretariat: Any, make_user: Any) -> None:
    vote = election(seats=1, tie_break=Election.TieBreak.RUNOFF)
    ana, boris = candidate(vote), candidate(vote)
    for choice in (ana, boris):
        _entry, admin = voting_organisation(vote.roll)
        signed_in(admin).post(
            f"{API}/{vote.pk}/ballots", {"choices": [choice.pk]}, "application/json"
        )
    vote = publish(vote, secretariat, make_user)

    body = Client().get(f"{API}/{vote.pk}/results").json()

    assert body["runoff_needed"] is True
    assert body["elected"] == []
    assert {c["id"] for c in body["constituencies"][0]["candidates"] if c["tied"]} == {
        ana.pk,
        boris.pk,
    }


def test_the_openapi_document_lists_the_election_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/elections",
        "/api/v1/elections/{election_id}",
        "/api/v1/elections/{election_id}/ballots",
        "/api/v1/elections/{election_id}/receipts/{receipt}",
        "/api/v1/elections/{election_id}/results",
    } <= set(paths)
