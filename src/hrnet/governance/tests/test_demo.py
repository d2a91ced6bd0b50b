"""The demo governance on the real demo register: an open election the demo organisation
admin may vote in, with candidates in several sub-regions and constituencies; a past
assembly whose results are published; running it again adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email, demo_users_create
from hrnet.core.reference import issue_areas_load
from hrnet.governance.demo import (
    ELECTION_TITLES,
    NEXT_TITLES,
    PAST_TITLES,
    governance_demo_create,
)
from hrnet.governance.models import Assembly, Candidate, Election, VoterRecord
from hrnet.governance.policies import election_policy, roll_entries_of
from hrnet.governance.selectors import minutes_adoption
from hrnet.governance.services.ballots import ballot_cast
from hrnet.members.demo import members_demo_logins_create


@pytest.mark.django_db
def test_the_demo_election_and_assemblies(settings: Any, geography: None, client: Any) -> None:
    # given
    settings.DEBUG = True
    issue_areas_load()
    demo_users_create()
    members_demo_logins_create()
    # when
    assert governance_demo_create() == 3
    counts = (
        Election.objects.count(),
        Candidate.objects.count(),
        Assembly.objects.count(),
        VoterRecord.objects.count(),
    )
    assert governance_demo_create() == 0
    # then: nothing doubled
    assert (
        Election.objects.count(),
        Candidate.objects.count(),
        Assembly.objects.count(),
        VoterRecord.objects.count(),
    ) == counts
    election = Election.objects.get(titles__en=ELECTION_TITLES["en"])
    assert election.status == Election.Status.OPEN
    names = [c.names["en"] for c in election.constituencies.all()]
    assert names == [
        "Whole network",
        "Central Asia",
        "Eastern Europe",
        "Community-led organisations",
    ]
    candidates = Candidate.objects.filter(election=election, status="accepted")
    assert 6 <= candidates.count() <= 8
    assert candidates.values("constituency").distinct().count() == 4
    assert candidates.values("person__country__subregion").distinct().count() >= 4
    assert all(c.statements.get("en") and c.statements.get("ru") for c in candidates)
    orgadmin = User.objects.get(email=demo_email(Role.ORGADMIN))
    committee = set(election.committee.values_list("email", flat=True))
    assert len(committee) == 2
    assert orgadmin.email not in committee
    # the demo organisation admin votes, for the seats open to their organisation
    assert election.roll.frozen_at is not None
    (entry,) = roll_entries_of(orgadmin, election.roll)
    assert election_policy.user_has_permission_for_instance(orgadmin, "vote", election)
    allowed = [
        c
        for c in candidates.select_related("constituency")
        if c.constituency.subregion_id in (None, entry.subregion_id)
    ]
    assert len(allowed) < candidates.count()  # the Central Asia seat is not theirs
    by_seat: dict[int, Candidate] = {}
    for candidate in allowed:
        by_seat.setdefault(candidate.constituency_id, candidate)
    receipt = ballot_cast(
        actor=orgadmin, election=election, choices=[c.pk for c in by_seat.values()]
    )
    assert receipt
    # the past assembly: published, one resolution adopted, the two-thirds one not
    past = Assembly.objects.get(titles__en=PAST_TITLES["en"])
    assert past.published_at is not None
    results = {r.majority: r.result for r in past.resolutions.all()}
    assert results["simple"]["adopted"] is True
    assert results["two_thirds"]["adopted"] is False
    assert results["two_thirds"]["quorum_met"] is True
    assert past.agenda.count() == 4
    assert minutes_adoption(assembly=past) is None  # adopted at the next assembly
    upcoming = Assembly.objects.get(titles__en=NEXT_TITLES["en"])
    assert upcoming.resolutions.get().adopts_minutes_of == past
    # the public sees the published assembly
    page = client.get(reverse("governance:assembly", args=[past.pk]))
    assert page.status_code == 200
    assert "Adopt the strategy 2027–2030" in page.content.decode()
    assert client.get(reverse("governance:assembly", args=[upcoming.pk])).status_code == 404
