"""One ballot per voter under concurrency: 50 requests of the same voter at once store
exactly one vote. On PostgreSQL only (the unique `VoterRecord` index makes the others
wait and fail); SQLite runs one write transaction at a time, so it proves nothing."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from hrnet.governance.models import Ballot, BallotChoice, Election, VoterRecord
from hrnet.governance.services.ballots import AlreadyVoted, ballot_cast
from hrnet.governance.tests.factories import candidate, election, voting_organisation

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_casts_of_one_voter_at_once_store_exactly_one(geography: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent transactions need PostgreSQL; SQLite serialises every write "
            "transaction anyway (run with DATABASE_URL=postgres://...)"
        )
    # given: one voter (an organisation's admin) and an open election
    vote = election()
    a, b = candidate(vote), candidate(vote)
    entry, admin = voting_organisation(vote.roll)
    barrier = threading.Barrier(THREADS)
    receipts: list[str] = []
    refused: list[AlreadyVoted] = []
    errors: list[BaseException] = []

    def attempt(choices: list[int]) -> None:
        try:
            # Each thread reads the election on its own connection, as a request would.
            election_here = Election.objects.get(pk=vote.pk)
            barrier.wait()
            receipts.append(ballot_cast(actor=admin, election=election_here, choices=choices))
        except AlreadyVoted as exc:
            refused.append(exc)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    # when: they all cast at once (different choices, so a second ballot would show)
    threads = [
        threading.Thread(target=attempt, args=([a.pk] if i % 2 else [b.pk],))
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then: one vote stored, every other attempt told it was already counted
    assert not errors, errors
    assert len(receipts) == 1
    assert len(refused) == THREADS - 1
    assert VoterRecord.objects.filter(election=vote).count() == 1
    assert VoterRecord.objects.get(election=vote).roll_entry_id == entry.pk
    [ballot] = Ballot.objects.filter(election=vote)
    assert ballot.receipt == receipts[0]
    assert BallotChoice.objects.count() == 1  # no orphan choices of the refused attempts
    assert Ballot.objects.count() == 1  # no orphan ballots either
