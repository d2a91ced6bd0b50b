"""Governance in the admin: the secretariat's only; no page for ballots or who voted;
frozen rolls and published assemblies are read-only; changes are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin

from hrnet.core.models import AuditEntry
from hrnet.governance.models import Ballot, BallotChoice, Notice, VoterRecord
from hrnet.governance.tests.factories import (
    assembly,
    candidate,
    election,
    resolution,
    voting_organisation,
)

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/governance/"


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def test_nothing_in_the_admin_shows_a_ballot_or_who_voted() -> None:
    for model in (Ballot, BallotChoice, VoterRecord, Notice):
        assert not admin.site.is_registered(model)


def test_the_secretariat_opens_every_governance_admin_page(
    client: Any, secretariat: Any, member: Any
) -> None:
    vote = election(status="nominations")
    person = candidate(vote)
    voting_organisation(vote.roll)
    meeting = assembly()
    motion = resolution(meeting, open_now=False)
    client.force_login(secretariat)
    for url in [
        ADMIN,
        f"{ADMIN}election/",
        f"{ADMIN}election/add/",
        f"{ADMIN}election/{vote.pk}/change/",
        f"{ADMIN}candidate/",
        f"{ADMIN}candidate/{person.pk}/change/",
        f"{ADMIN}assembly/",
        f"{ADMIN}assembly/add/",
        f"{ADMIN}assembly/{meeting.pk}/change/",
        f"{ADMIN}resolution/",
        f"{ADMIN}resolution/{motion.pk}/change/",
        f"{ADMIN}roll/",
        f"{ADMIN}roll/{vote.roll_id}/change/",
    ]:
        assert client.get(url).status_code == 200, url
    # a frozen roll and a candidate are read here, not changed
    assert b'name="_save"' not in client.get(f"{ADMIN}roll/{vote.roll_id}/change/").content
    assert b'name="_save"' not in client.get(f"{ADMIN}candidate/{person.pk}/change/").content
    member.is_staff = True
    member.save()
    client.force_login(member)
    assert client.get(f"{ADMIN}election/").status_code == 403


def test_an_assembly_changed_in_the_admin_is_audited(client: Any, secretariat: Any) -> None:
    meeting = assembly()
    client.force_login(secretariat)
    page = client.get(f"{ADMIN}assembly/{meeting.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "titles_en": "General Assembly 2026 (Vilnius)",
            "titles_ru": "Общее собрание 2026 (Вильнюс)",
            "minutes_en": "",
            "minutes_ru": "",
            "descriptions_en": "",
            "descriptions_ru": "",
            "event": "",
            "minutes_document": "",
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
            "agenda-MIN_NUM_FORMS": "0",
            "agenda-MAX_NUM_FORMS": "1000",
        }
    )
    answer = client.post(f"{ADMIN}assembly/{meeting.pk}/change/", data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.titles["ru"] == "Общее собрание 2026 (Вильнюс)"
    assert AuditEntry.objects.filter(action="governance.assembly.change").exists()
