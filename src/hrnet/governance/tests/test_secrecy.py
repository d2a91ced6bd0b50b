"""The secrecy of the vote, read from the database itself: the schema (constraints, foreign
keys, columns of the ballot and voter tables), the stored rows after casting, the SQL the
application runs, Django's model graph, the audit log, the code, and what a voter's
pages and API show after voting.

Who voted (`VoterRecord`, `RollEntry`) and what was voted (`Ballot`, `BallotChoice`) may
share the election (or resolution) and nothing else: no key, no foreign key, no time
finer than the day, no order."""

from __future__ import annotations

import re
import uuid
from collections import deque
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.governance.models import (
    Ballot,
    BallotChoice,
    Election,
    Resolution,
    RollEntry,
    VoterRecord,
)
from hrnet.governance.services.ballots import ballot_cast, resolution_vote_cast
from hrnet.governance.services.results import result_confirm, results_publish
from hrnet.governance.tally import bulletin
from hrnet.governance.tests.factories import (
    assembly,
    candidate,
    election,
    individual_voter,
    resolution,
    voting_organisation,
)

pytestmark = pytest.mark.django_db

BALLOT_SIDE = (Ballot, BallotChoice)
VOTER_SIDE = (VoterRecord, RollEntry)
SHARED = {"election_id", "resolution_id"}  # what the two sides may have in common
TIME_TYPES = {"DateTimeField", "DateField", "TimeField", "DurationField"}
GOVERNANCE = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def _relations(table: str) -> dict[str, tuple[str, str]]:
    """{column: (referenced column, referenced table)} of a table's foreign keys."""
    with connection.cursor() as cursor:
        return connection.introspection.get_relations(cursor, table)


def _foreign_keys(table: str) -> set[str]:
    """The tables a table's foreign-key constraints point to."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}
    return found | {target for _column, target in _relations(table).values()}


def _columns(table: str) -> dict[str, str]:
    """{column: Django field type} as the database describes the table."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
        return {
            column.name: connection.introspection.get_field_type(column.type_code, column)
            for column in description
        }


def _cast_many(count: int) -> tuple[Election, list[int]]:
    """An open election with `count` candidates and `count` voters; voter i chooses
    candidate i, in that order. Returns the election and the candidates' ids in the order
    the ballots were cast."""
    vote = election(seats=count)
    chosen = [candidate(vote).pk for _ in range(count)]
    for candidate_id in chosen:
        _entry, admin = voting_organisation(vote.roll)
        ballot_cast(actor=admin, election=vote, choices=[candidate_id])
    return vote, chosen


# --- the schema ------------------------------------------------------------------------------


def test_no_foreign_key_joins_the_ballot_tables_to_the_voter_tables() -> None:
    voter_tables = {_table(m) for m in VOTER_SIDE}
    ballot_tables = {_table(m) for m in BALLOT_SIDE}
    users = _table(VoterRecord._meta.get_field("cast_by").related_model)  # type: ignore[arg-type]

    assert _foreign_keys(_table(Ballot)) == {_table(Election), _table(Resolution)}
    assert _foreign_keys(_table(BallotChoice)) == {
        _table(Ballot),
        _table(BallotChoice._meta.get_field("candidate").related_model),  # type: ignore[arg-type]
    }
    for table in ballot_tables:
        assert not _foreign_keys(table) & (voter_tables | {users}), table
    for table in voter_tables:
        assert not _foreign_keys(table) & ballot_tables, table
    # Nothing anywhere points at a ballot but its own choices, and nothing at all points
    # at a voter record (no third table to join through).
    with connection.cursor() as cursor:
        every_table = connection.introspection.table_names(cursor)
    pointing_at_ballots = {t for t in every_table if _table(Ballot) in _foreign_keys(t)}
    assert pointing_at_ballots == {_table(BallotChoice)}
    assert not {t for t in every_table if _table(VoterRecord) in _foreign_keys(t)}
    assert not {t for t in every_table if _table(BallotChoice) in _foreign_keys(t)}


def test_the_two_sides_share_no_column_but_the_election() -> None:
    ballot_columns = {c: t for m in BALLOT_SIDE for c, t in _columns(_table(m)).items()}
    voter_columns = {c: t for m in VOTER_SIDE for c, t in _columns(_table(m)).items()}
    shared = set(ballot_columns) & set(voter_columns)
    assert shared - {"id"} <= SHARED
    assert _columns(_table(Ballot)).keys() & _columns(_table(VoterRecord)).keys() - {"id"} == (
        SHARED
    )
    # Both sides have an "id", but no value can be common: a ballot's (and its choices')
    # keys are random UUIDs, the voter side's are integers.
    for model in BALLOT_SIDE:
        assert isinstance(model._meta.pk, models.UUIDField), model
        for other in VOTER_SIDE:
            assert _columns(_table(model))["id"] != _columns(_table(other))["id"], (model, other)


def test_ballots_have_no_time_and_voter_records_only_the_day() -> None:
    for model in BALLOT_SIDE:
        columns = _columns(_table(model))
        assert not set(columns.values()) & TIME_TYPES, (model, columns)
        assert not [
            f for f in model._meta.concrete_fields if f.get_internal_type() in TIME_TYPES
        ], model
        assert not model._meta.ordering, model  # no default order to leak an insertion order
    for voter_model in VOTER_SIDE:
        columns = _columns(_table(voter_model))
        times = {c: t for c, t in columns.items() if t in TIME_TYPES}
        assert times == ({"voted_on": "DateField"} if voter_model is VoterRecord else {})
    assert VoterRecord._meta.get_field("voted_on").get_internal_type() == "DateField"


# --- the stored rows ---------------------------------------------------------------------------


def test_ballot_ids_are_random_uuids_not_in_the_order_of_voting() -> None:
    vote, chosen = _cast_many(12)

    ballots = list(Ballot.objects.filter(election=vote))
    assert len(ballots) == 12
    for ballot in ballots:
        assert isinstance(ballot.pk, uuid.UUID)
        assert ballot.pk.version == 4
        assert ballot.pk.variant == uuid.RFC_4122
    assert len({b.receipt for b in ballots}) == 12
    # Sorted by key, the ballots are not in the order they were cast (1 chance in 12!).
    by_key = [
        b.choices.get().candidate_id
        for b in sorted(ballots, key=lambda b: str(b.pk))  # as ORDER BY id would
    ]
    assert by_key != chosen
    by_receipt = [b.choices.get().candidate_id for b in sorted(ballots, key=lambda b: b.receipt)]
    assert by_receipt != chosen
    # The voter records are in the order of voting (integer keys): which is why the
    # ballots must not be.
    entries = list(VoterRecord.objects.filter(election=vote).order_by("pk"))
    assert len(entries) == 12


def test_the_choices_do_not_keep_the_order_of_voting() -> None:
    """`BallotChoice` rows are written with the ballot: ordered by their key they must not
    give the order in which the ballots were cast, which `VoterRecord`'s integer keys
    give for the voters (joining the two orders would link each voter to a ballot)."""
    vote, chosen = _cast_many(12)

    by_key = list(
        BallotChoice.objects.filter(ballot__election=vote)
        .order_by("pk")
        .values_list("candidate_id", flat=True)
    )

    assert sorted(by_key) == sorted(chosen)
    assert by_key != chosen


def test_no_stored_value_of_a_ballot_equals_one_of_a_voter_record() -> None:
    vote, _chosen = _cast_many(6)
    meeting = assembly()
    motion = resolution(meeting)
    for answer in ("yes", "no", "abstain"):
        _entry, user = individual_voter(meeting.roll)
        resolution_vote_cast(actor=user, resolution=motion, answer=answer)

    def values(model: type[models.Model], **where: Any) -> set[str]:
        found: set[str] = set()
        for row in model._default_manager.filter(**where).values():
            found |= {
                str(value)
                for column, value in row.items()
                if column not in SHARED and value not in (None, "")
            }
        return found

    for where in ({"election": vote}, {"resolution": motion}):
        ballot_values = values(Ballot, **where)
        voter_values = values(VoterRecord, **where)
        assert ballot_values
        assert voter_values
        assert not ballot_values & voter_values, where
    choice_keys = {str(pk) for pk in BallotChoice.objects.values_list("pk", flat=True)}
    assert not choice_keys & values(VoterRecord, election=vote)


def test_casting_writes_no_audit_entry(client: Client) -> None:
    vote = election()
    a = candidate(vote)
    _entry, admin = voting_organisation(vote.roll)
    _entry, other = voting_organisation(vote.roll)
    meeting = assembly()
    motion = resolution(meeting)
    _entry, member = individual_voter(meeting.roll)
    before = AuditEntry.objects.count()

    ballot_cast(actor=admin, election=vote, choices=[a.pk])
    client.force_login(other)
    response = client.post(
        f"/api/v1/elections/{vote.pk}/ballots", {"choices": [a.pk]}, "application/json"
    )
    assert response.status_code == 201
    resolution_vote_cast(actor=member, resolution=motion, answer="yes")

    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(action__icontains="vote").exists()
    assert not AuditEntry.objects.filter(action__icontains="ballot").exists()


# --- the model graph and the SQL ----------------------------------------------------------------


def test_no_model_path_leads_from_a_ballot_to_a_voter() -> None:
    """Walk every relation Django offers (forward and reverse) from Ballot, not through
    the election or the resolution (which both sides name): RollEntry and VoterRecord
    are out of reach."""
    start: type[models.Model] = Ballot
    stop = {Election, Resolution}
    came_from: dict[type[models.Model], tuple[type[models.Model], str] | None] = {start: None}
    queue: deque[type[models.Model]] = deque([start])
    while queue:
        model = queue.popleft()
        for field in model._meta.get_fields():
            target = field.related_model
            if not field.is_relation or target is None or isinstance(target, str):
                continue
            if target in came_from or target in stop:
                continue
            came_from[target] = (model, field.name)
            queue.append(target)

    def path_to(model: type[models.Model]) -> str:
        steps = []
        step = came_from.get(model)
        while step is not None:
            steps.append(f"{step[0].__name__}.{step[1]}")
            step = came_from.get(step[0])
        return " <- ".join([model.__name__, *steps])

    for target in (RollEntry, VoterRecord):
        assert target not in came_from, path_to(target)


def test_no_query_reads_ballots_together_with_voters(secretariat: Any, make_user: Any) -> None:
    """Run the whole life of an election (casting through the API and the service, the
    pages, the receipt check, the count, confirmation, publication, the bulletin) and
    read every SQL statement: none names a ballot table and a voter table together."""
    vote = election(seats=2)
    a, b = candidate(vote), candidate(vote)
    admins = [voting_organisation(vote.roll)[1] for _ in range(3)]
    committee = [make_user(Role.MEMBER), make_user(Role.MEMBER)]
    vote.committee.add(*committee)
    api = f"/api/v1/elections/{vote.pk}"
    pages = [
        reverse("governance:index"),
        reverse("governance:election", args=[vote.pk]),
        reverse("governance:vote", args=[vote.pk]),
        reverse("governance:receipt_check", args=[vote.pk]),
        reverse("governance:results", args=[vote.pk]),
        reverse("governance:bulletin", args=[vote.pk]),
        reverse("core:me"),
    ]

    with CaptureQueriesContext(connection) as queries:
        receipts = []
        for admin, choices in zip(admins, [[a.pk], [a.pk, b.pk], []], strict=True):
            client = Client()
            client.force_login(admin)
            answer = client.post(f"{api}/ballots", {"choices": choices}, "application/json")
            assert answer.status_code == 201
            receipts.append(answer.json()["receipt"])
            for url in [*pages, api, "/api/v1/elections", "/api/v1/me/work"]:
                client.get(url)
        Client().get(f"{api}/receipts/{receipts[0]}")
        Client().get(reverse("governance:receipt_check", args=[vote.pk]), {"receipt": receipts[1]})
        now = timezone.now()
        vote.opens_at, vote.closes_at = now - timedelta(days=3), now - timedelta(days=1)
        vote.save(update_fields=["opens_at", "closes_at"])
        for member in committee:
            result_confirm(actor=member, election=Election.objects.get(pk=vote.pk))
        results_publish(
            actor=secretariat,
            election=Election.objects.get(pk=vote.pk),
            summaries={"en": "Done."},
        )
        for client in (Client(), _signed_in(secretariat), _signed_in(committee[0])):
            for url in [*pages, f"{api}/results", api]:
                client.get(url)
        bulletin(vote)

    ballot_tables = [_table(m) for m in BALLOT_SIDE]
    voter_tables = [_table(m) for m in VOTER_SIDE]
    assert any(_names(q["sql"], ballot_tables) for q in queries.captured_queries)
    assert any(_names(q["sql"], voter_tables) for q in queries.captured_queries)
    joined = [
        q["sql"]
        for q in queries.captured_queries
        if _names(q["sql"], ballot_tables) and _names(q["sql"], voter_tables)
    ]
    assert not joined, joined


def _names(sql: str, tables: list[str]) -> bool:
    return any(re.search(rf'["`]?\b{table}\b["`]?', sql) for table in tables)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the code ------------------------------------------------------------------------------


# An ordering that follows the order rows were written in: by an integer key, or the
# database's own order (first/last/latest pick by key).
_INSERTION_ORDER = re.compile(
    r"""order_by\([^)]*["'](-?(pk|id|ballot|ballot_id|ballot__pk|ballot__id))["']"""
    r"""|\.(first|last|latest|earliest)\(\)"""
)


def _orders_by_insertion(statement: str) -> bool:
    reads_ballots = re.search(r"\bBallot(Choice)?\.objects\b|\bballots\b|\.choices\b", statement)
    return bool(reads_ballots and _INSERTION_ORDER.search(statement))


def test_no_code_orders_ballots_by_the_order_they_were_cast() -> None:
    """A grep over governance's code (not its tests or migrations): wherever ballots or
    their choices are read, nothing orders them by key or takes the first or last one;
    the bulletin sorts by content."""
    # The check finds what it is meant to find.
    assert _orders_by_insertion('Ballot.objects.filter(election=e).order_by("pk")')
    assert _orders_by_insertion("BallotChoice.objects.filter(\n    ballot__election=e\n).last()")
    assert _orders_by_insertion('election.ballots.order_by("-id")')
    assert not _orders_by_insertion('Ballot.objects.filter(election=e).order_by("receipt")')
    offenders = []
    for path in sorted(GOVERNANCE.rglob("*.py")):
        relative = path.relative_to(GOVERNANCE)
        if relative.parts[0] in ("tests", "migrations"):
            continue
        # One statement at a time (a statement may span lines inside its brackets).
        for statement in _statements(path.read_text(encoding="utf-8")):
            if _orders_by_insertion(statement):
                offenders.append(f"{relative}: {statement.strip()[:160]}")
    assert not offenders, offenders


def _statements(text: str) -> list[str]:
    statements: list[str] = []
    current: list[str] = []
    depth = 0
    for line in text.splitlines():
        current.append(line)
        depth += line.count("(") + line.count("[") + line.count("{")
        depth -= line.count(")") + line.count("]") + line.count("}")
        if depth <= 0:
            statements.append("\n".join(current))
            current, depth = [], 0
    return statements


def test_the_bulletin_is_sorted_by_content() -> None:
    vote, _chosen = _cast_many(8)
    board = bulletin(vote)
    assert board["receipts"] == sorted(board["receipts"])
    assert board["ballots"] == sorted(board["ballots"])
    assert all(choices == sorted(choices) for choices in board["ballots"])


# --- what a voter sees after voting ----------------------------------------------------------


def _normalised(html: str, entry: RollEntry, user: Any, *private: str) -> str:
    """The page without what differs from one voter to another: the CSRF token, their
    names, the ids of their roll entry and account (in the delegate form)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'content="[A-Za-z0-9]{40,}"', "", html)  # a CSRF meta tag
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = html.replace(f'name="entry" value="{entry.pk}"', 'name="entry" value="ENTRY"')
    html = html.replace(f"-{entry.pk}-", "-ENTRY-")
    html = html.replace(f'<option value="{user.pk}"', '<option value="USER"')
    for text in private:
        if text:
            html = html.replace(text, "VOTER")
    return html


def test_a_voter_is_never_shown_what_they_chose() -> None:
    """Two voters choose different candidates; afterwards every page and API answer they
    get about the election is the same for both (but for their own names), so nothing
    in it depends on the choice. And the receipt is not shown again."""
    vote = election(seats=1)
    elsewhere = election()
    for _ in range(5):  # candidates' ids apart from the voters' entry and user ids
        candidate(elsewhere)
    ana, boris = candidate(vote, name="Ana Ionescu"), candidate(vote, name="Boris Petrov")
    voters: list[tuple[Client, str, tuple[Any, ...]]] = []
    for choice in (ana, boris):
        entry, admin = voting_organisation(vote.roll)
        client = _signed_in(admin)
        answer = client.post(
            f"/api/v1/elections/{vote.pk}/ballots", {"choices": [choice.pk]}, "application/json"
        )
        assert answer.status_code == 201
        private = (
            admin.full_name,
            admin.email,
            entry.name,
            entry.organisation.name,
            str(entry.organisation.names.get("ru", "")),
        )
        voters.append((client, answer.json()["receipt"], (entry, admin, *private)))

    api_answers = [
        f"/api/v1/elections/{vote.pk}",
        "/api/v1/elections",
        f"/api/v1/elections/{vote.pk}/results",
    ]
    for url in api_answers:
        (first, *_rest), (second, *_other) = voters
        assert first.get(url).json() == second.get(url).json(), url

    pages = [
        reverse("governance:index"),
        reverse("governance:election", args=[vote.pk]),
        reverse("governance:vote", args=[vote.pk]),
        reverse("governance:receipt_check", args=[vote.pk]),
    ]
    for url in pages:
        seen = []
        for client, receipt, private in voters:
            response = client.get(url)
            html = response.content.decode()
            assert receipt not in html, url  # shown once, when cast
            seen.append((response.status_code, _normalised(html, *private)))
        assert seen[0] == seen[1], url
        if url == reverse("governance:election", args=[vote.pk]):  # a real page, not a 404
            assert seen[0][0] == 200
            assert "Ana Ionescu" in seen[0][1]
            assert "Boris Petrov" in seen[0][1]
    # The start page says there is nothing left to vote for, not how.
    for client, receipt, _private in voters:
        for answer in (client.get("/api/v1/me/work"), client.get(reverse("core:me"))):
            assert answer.status_code == 200
            text = answer.content.decode()
            assert receipt not in text
            assert "Ana Ionescu" not in text
            assert "Boris Petrov" not in text
