"""The election pages: what each reader sees, the ballot with its confirmation and the
receipt shown once (never cached), the public receipt check, results hidden until
published, the secretariat's and the committee's pages."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.core.models import AuditEntry
from hrnet.geo.models import SubRegion
from hrnet.governance.audit import Action
from hrnet.governance.models import (
    Ballot,
    Candidate,
    Constituency,
    Election,
    ResultConfirmation,
    Roll,
    VoterRecord,
)
from hrnet.governance.services.ballots import ballot_cast
from hrnet.governance.services.results import result_confirm
from hrnet.governance.tests.factories import (
    assembly,
    candidate,
    election,
    voting_organisation,
)
from hrnet.members.models import Affiliation
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _geography(geography: None) -> None:
    return None


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def close(vote: Election) -> Election:
    now = timezone.now()
    vote.opens_at, vote.closes_at = now - timedelta(days=10), now - timedelta(days=1)
    vote.save(update_fields=["opens_at", "closes_at"])
    return Election.objects.get(pk=vote.pk)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the list and an election ---------------------------------------------------------------


def test_the_index_shows_a_voter_where_they_can_vote_and_where_they_have_voted() -> None:
    # given: two open elections on whose rolls the admin's organisation is; it voted in one
    first, second = election(), election()
    second.titles = {"en": "Audit commission", "ru": "Ревизионная комиссия"}
    second.save()
    candidate(first)
    entry, admin = voting_organisation(first.roll)
    organisation = entry.organisation
    from hrnet.governance.models import RollEntry

    RollEntry.objects.create(
        roll=second.roll, organisation=organisation, subregion=entry.subregion, name=entry.name
    )
    second.roll.frozen_at = timezone.now()
    second.roll.save()
    ballot_cast(actor=admin, election=second, choices=[])

    # when
    page = text(signed_in(admin).get("/en/governance/"))

    # then
    first_card = page[page.index(f'data-election="{first.pk}"') :]
    second_card = page[page.index(f'data-election="{second.pk}"') :]
    assert 'data-voter="can-vote"' in first_card[: first_card.index("</li>")]
    assert 'data-voter="voted"' in second_card[: second_card.index("</li>")]
    assert "Voting open" in page


def test_the_index_in_russian_names_the_status_in_words() -> None:
    vote = election()
    _entry, admin = voting_organisation(vote.roll)

    page = text(signed_in(admin).get("/ru/governance/"))

    assert "Координационный комитет 2027" in page
    assert "Голосование открыто" in page
    assert "Вы можете проголосовать" in page


def test_anonymous_visitors_see_only_published_results_and_a_sign_in_hint(
    client: Client,
) -> None:
    published = election(status=Election.Status.PUBLISHED)
    published.titles = {"en": "Steering committee 2025"}
    published.save()
    election()  # open: members only
    past = assembly(published_at=timezone.now())
    past.titles = {"en": "Assembly 2025"}
    past.save()
    coming = assembly()
    coming.titles = {"en": "Assembly 2027"}
    coming.save()

    page = text(client.get("/en/governance/"))

    assert "Steering committee 2025" in page
    assert f'href="/en/governance/elections/{published.pk}/results/"' in page
    assert "Steering committee 2027" not in page
    assert "Assembly 2025" in page
    assert "Assembly 2027" not in page
    assert "/en/accounts/login/" in page


def test_members_see_announced_elections_but_not_drafts(member: Any) -> None:
    draft = election(status=Election.Status.DRAFT)
    draft.titles = {"en": "Draft election"}
    draft.save()
    election(status=Election.Status.NOMINATIONS)

    page = text(signed_in(member).get("/en/governance/"))

    assert "Steering committee 2027" in page
    assert "Draft election" not in page
    assert signed_in(member).get(f"/en/governance/elections/{draft.pk}/").status_code == 404


def test_the_election_page_shows_candidates_with_statements_in_both_languages() -> None:
    vote = election()
    org = OrganisationFactory.create(names={"en": "Harm Reduction Georgia"})
    nino = candidate(vote, name="Nino Beridze", nominated_by=org)
    nino.statements = {"en": "Nino in English.", "ru": "Нино по-русски."}
    nino.save()
    candidate(vote, name="Ion Rusu")
    _entry, admin = voting_organisation(vote.roll)

    english = text(signed_in(admin).get(f"/en/governance/elections/{vote.pk}/"))
    russian = text(signed_in(admin).get(f"/ru/governance/elections/{vote.pk}/"))

    assert "Nino Beridze" in english
    assert "Nominated by Harm Reduction Georgia" in english
    assert "Self-nominated" in english
    # The reader's language first, the other one to open.
    assert english.index("Nino in English.") < english.index("Нино по-русски.")
    assert "Read in Russian" in english
    assert russian.index("Нино по-русски.") < russian.index("Nino in English.")
    assert "Читать на английском" in russian
    assert f'href="/en/governance/elections/{vote.pk}/vote/"' in english


def test_a_member_without_a_vote_is_told_so(member: Any) -> None:
    vote = election()
    voting_organisation(vote.roll)

    page = text(signed_in(member).get(f"/en/governance/elections/{vote.pk}/"))
    ballot = signed_in(member).get(f"/en/governance/elections/{vote.pk}/vote/")

    assert "You have no vote in this election" in page
    assert ballot.status_code == 403
    assert "You have no vote in this election" in text(ballot)


def test_anonymous_visitors_are_asked_to_sign_in_for_an_election(client: Client) -> None:
    vote = election()

    response = client.get(f"/en/governance/elections/{vote.pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- voting -------------------------------------------------------------------------------------


def test_voting_shows_a_confirmation_then_the_receipt_once_and_not_cached() -> None:
    # given
    vote = election(seats=1)
    a, _b = candidate(vote, name="Ana"), candidate(vote, name="Boris")
    _entry, admin = voting_organisation(vote.roll)
    client = signed_in(admin)
    url = f"/en/governance/elections/{vote.pk}/vote/"

    # when: the ballot, then the confirmation step
    ballot = client.get(url)
    review = client.post(url, {"step": "review", "choices": [a.pk]})

    # then: nothing is cast before the confirmation
    assert ballot.status_code == 200
    assert f'value="{a.pk}"' in text(ballot)
    assert "You cannot change your vote after casting it." in text(review)
    assert "Ana" in text(review)
    assert not Ballot.objects.exists()
    assert "no-store" in review["Cache-Control"]

    # when: cast
    cast = client.post(url, {"step": "cast", "choices": [a.pk]})

    # then: the receipt is in the answer itself, never cached, and stored only on the ballot
    stored = Ballot.objects.get()
    assert cast.status_code == 200
    assert stored.receipt in text(cast)
    assert "no-store" in cast["Cache-Control"]
    assert "Location" not in cast
    assert f"/en/governance/elections/{vote.pk}/receipts/" in text(cast)
    assert VoterRecord.objects.count() == 1
    # and: later pages do not show it again
    again = client.get(url)
    assert stored.receipt not in text(again)
    assert "Your vote is counted" in text(again)
    assert stored.receipt not in text(client.get(f"/en/governance/elections/{vote.pk}/"))


def test_posting_the_ballot_again_casts_nothing_more() -> None:
    vote = election(seats=1)
    a = candidate(vote)
    _entry, admin = voting_organisation(vote.roll)
    client = signed_in(admin)
    url = f"/en/governance/elections/{vote.pk}/vote/"
    client.post(url, {"step": "cast", "choices": [a.pk]})

    # The same form posted again (the back button), with the vote already counted.
    again = client.post(url, {"step": "cast", "choices": [a.pk]})

    assert Ballot.objects.count() == 1
    assert "Your vote is counted. A vote cannot be changed." in text(again)


def test_a_vote_cast_meanwhile_elsewhere_is_refused_clearly(monkeypatch: Any) -> None:
    # given: the other admin's vote lands between this page's check and its cast
    from hrnet.governance.services.ballots import AlreadyVoted
    from hrnet.governance.views import elections as views

    def already(**_kwargs: Any) -> str:
        raise AlreadyVoted

    monkeypatch.setattr(views, "ballot_cast", already)
    vote = election(seats=1)
    a = candidate(vote)
    _entry, admin = voting_organisation(vote.roll)

    # when
    response = signed_in(admin).post(
        f"/en/governance/elections/{vote.pk}/vote/",
        {"step": "cast", "choices": [a.pk]},
        follow=True,
    )

    # then
    assert "This vote was already cast" in text(response)
    assert "a vote cannot be cast twice or changed" in text(response)


def test_too_many_choices_keep_the_choices_and_say_why() -> None:
    vote = election(seats=1)
    a, b = candidate(vote), candidate(vote)
    _entry, admin = voting_organisation(vote.roll)

    response = signed_in(admin).post(
        f"/en/governance/elections/{vote.pk}/vote/", {"step": "review", "choices": [a.pk, b.pk]}
    )

    page = text(response)
    assert "Choose at most 1" in page
    assert re.search(rf'value="{a.pk}" id="choice-{a.pk}" checked', page)
    assert re.search(rf'value="{b.pk}" id="choice-{b.pk}" checked', page)
    assert not Ballot.objects.exists()


def test_a_constituency_of_another_subregion_is_shown_disabled() -> None:
    vote = election(seats=1)
    network = vote.constituencies.get()
    caucasus = SubRegion.objects.get(code="CAUCASUS")
    regional = Constituency.objects.create(
        election=vote, names={"en": "Caucasus seat"}, seats=1, subregion=caucasus, position=1
    )
    candidate(vote, constituency=network)
    other = candidate(vote, constituency=regional, name="Giorgi")
    _entry, admin = voting_organisation(vote.roll, "MD")
    url = f"/en/governance/elections/{vote.pk}/vote/"

    page = text(signed_in(admin).get(url))
    refused = signed_in(admin).post(url, {"step": "review", "choices": [other.pk]})

    assert "Not for your sub-region" in page
    assert re.search(rf'id="choice-{other.pk}"[^>]*disabled', page)
    assert "Choose candidates from the ballot." in text(refused)


def test_an_admin_of_two_organisations_picks_whose_vote_to_cast() -> None:
    vote = election(seats=1)
    a = candidate(vote)
    entry, admin = voting_organisation(vote.roll)
    second = OrganisationFactory.create()
    MembershipFactory.create(organisation=second)
    AffiliationFactory.create(person=admin.person, organisation=second, is_admin=True)
    from hrnet.governance.models import RollEntry

    RollEntry.objects.create(roll=vote.roll, organisation=second, name=second.name)
    client = signed_in(admin)
    url = f"/en/governance/elections/{vote.pk}/vote/"

    pick = text(client.get(url))
    cast = client.post(url, {"step": "cast", "vote_for": str(second.pk), "choices": [a.pk]})

    assert f'value="{entry.organisation_id}"' in pick
    assert f'value="{second.pk}"' in pick
    assert cast.status_code == 200
    assert VoterRecord.objects.get().roll_entry.organisation_id == second.pk
    # The other organisation can still vote: its ballot comes straight away.
    assert f"You are voting for {entry.organisation.name}" in text(client.get(url))


def test_a_designated_admin_votes_and_the_other_admins_do_not() -> None:
    vote = election()
    entry, admin = voting_organisation(vote.roll)
    colleague: Any = UserFactory(roles=[Role.ORGADMIN])
    AffiliationFactory.create(
        person=PersonFactory.create(user=colleague),
        organisation=entry.organisation,
        is_admin=True,
    )
    client = signed_in(admin)

    response = client.post(
        f"/en/governance/elections/{vote.pk}/",
        {
            "action": "delegate",
            "entry": entry.pk,
            f"delegate-{entry.pk}-entry": entry.pk,
            f"delegate-{entry.pk}-delegate": colleague.pk,
        },
        follow=True,
    )

    entry.refresh_from_db()
    assert entry.delegate == colleague
    assert "casts the vote of" in text(response)
    assert AuditEntry.objects.filter(action=Action.ROLL_DELEGATE).count() == 1
    assert signed_in(admin).get(f"/en/governance/elections/{vote.pk}/vote/").status_code == 403
    assert signed_in(colleague).get(f"/en/governance/elections/{vote.pk}/vote/").status_code == 200


# --- the public receipt check -------------------------------------------------------------------


def test_the_receipt_check_says_counted_or_not_and_never_the_choices(client: Client) -> None:
    vote = election(seats=1)
    a = candidate(vote, name="Ana Popescu")
    _entry, admin = voting_organisation(vote.roll)
    receipt = ballot_cast(actor=admin, election=vote, choices=[a.pk])
    url = f"/en/governance/elections/{vote.pk}/receipts/"

    counted = client.get(url, {"receipt": receipt.lower().replace("-", " ")})
    missing = client.get(url, {"receipt": "AAAA-BBBB-CCCC"})
    blank = client.get(url)

    assert "A ballot with this receipt is counted." in text(counted)
    assert "Ana Popescu" not in text(counted)
    assert "No ballot with this receipt." in text(missing)
    assert blank.status_code == 200
    assert "no-store" in counted["Cache-Control"]


def test_the_receipt_check_is_throttled_by_address(client: Client, settings: Any) -> None:
    from hrnet.governance.views import elections as views

    vote = election()
    url = f"/en/governance/elections/{vote.pk}/receipts/"
    for _attempt in range(views.RECEIPT_CHECKS_PER_HOUR):
        assert client.get(url, {"receipt": "AAAA-BBBB-CCCC"}).status_code == 200

    refused = client.get(url, {"receipt": "AAAA-BBBB-CCCC"})

    assert refused.status_code == 429
    assert "Too many checks" in text(refused)


def test_there_is_no_receipt_check_for_a_draft(client: Client) -> None:
    draft = election(status=Election.Status.DRAFT)

    assert client.get(f"/en/governance/elections/{draft.pk}/receipts/").status_code == 404


# --- results ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Election.Status.OPEN, Election.Status.CLOSED])
def test_results_are_404_before_publication_for_members_and_visitors(
    client: Client, member: Any, status: str
) -> None:
    vote = election(status=status)
    _entry, admin = voting_organisation(vote.roll)
    results = f"/en/governance/elections/{vote.pk}/results/"
    board = f"/en/governance/elections/{vote.pk}/bulletin.json"

    for reader in (client, signed_in(member), signed_in(admin)):
        assert reader.get(results).status_code == 404
        assert reader.get(board).status_code == 404


def test_the_committee_sees_the_count_after_closing_and_confirms_it(make_user: Any) -> None:
    first, second = make_user(Role.MEMBER), make_user(Role.MEMBER)
    vote = election(seats=1)
    vote.committee.set([first, second])
    a = candidate(vote, name="Ana")
    _entry, admin = voting_organisation(vote.roll)
    ballot_cast(actor=admin, election=vote, choices=[a.pk])
    url = f"/en/governance/elections/{vote.pk}/results/"
    assert signed_in(first).get(url).status_code == 404  # still open
    vote = close(vote)

    page = text(signed_in(first).get(url))
    signed_in(first).post(url, {"action": "confirm"})

    assert "Not published yet" in page
    assert "Confirm the count" in page
    assert ResultConfirmation.objects.filter(election=vote, user=first).exists()
    assert "You confirmed this count." in text(signed_in(first).get(url))


def test_the_secretariat_publishes_after_two_confirmations(
    make_user: Any, secretariat: Any, client: Client
) -> None:
    first, second = make_user(Role.MEMBER), make_user(Role.MEMBER)
    vote = election(seats=1)
    vote.committee.set([first, second])
    a = candidate(vote, name="Ana")
    _entry, admin = voting_organisation(vote.roll)
    receipt = ballot_cast(actor=admin, election=vote, choices=[a.pk])
    vote = close(vote)
    url = f"/en/governance/elections/{vote.pk}/results/"
    result_confirm(actor=first, election=vote)
    assert "Publish the results" not in text(signed_in(secretariat).get(url))
    result_confirm(actor=second, election=vote)

    signed_in(secretariat).post(
        url,
        {
            "action": "publish",
            "summary_en": "Ana is elected.",
            "summary_ru": "Избрана Ана.",
        },
    )

    vote.refresh_from_db()
    assert vote.published_at is not None
    english = text(client.get(url))
    russian = text(client.get(f"/ru/governance/elections/{vote.pk}/results/"))
    assert "Ana is elected." in english
    assert "Quorum met" in english
    assert "Elected" in english
    assert russian.index("Избрана Ана.") < russian.index("Ana is elected.")
    board = client.get(f"/en/governance/elections/{vote.pk}/bulletin.json").json()
    assert board["receipts"] == [receipt]
    assert board["ballots"] == [[a.pk]]


# --- preparing and running an election -----------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title_en": "Steering committee 2028",
        "title_ru": "Координационный комитет 2028",
        "description_en": "",
        "description_ru": "",
        "nominations_open_at": (now + timedelta(days=1)).strftime(fmt),
        "nominations_close_at": (now + timedelta(days=10)).strftime(fmt),
        "opens_at": (now + timedelta(days=12)).strftime(fmt),
        "closes_at": (now + timedelta(days=19)).strftime(fmt),
        "voters": Roll.Voters.ORGANISATIONS,
        "cutoff": (now + timedelta(days=11)).date().isoformat(),
        "quorum_percent": "50",
        "tie_break": Election.TieBreak.LOT,
        "committee": "",
        "constituencies-TOTAL_FORMS": "3",
        "constituencies-INITIAL_FORMS": "0",
        "constituencies-MIN_NUM_FORMS": "0",
        "constituencies-MAX_NUM_FORMS": "20",
        "constituencies-0-name_en": "Whole network",
        "constituencies-0-name_ru": "Вся сеть",
        "constituencies-0-seats": "3",
        "constituencies-1-seats": "1",
        "constituencies-2-seats": "1",
    }
    data.update(overrides)
    return data


def test_the_secretariat_creates_and_announces_an_election(
    secretariat: Any, make_user: Any
) -> None:
    first, second = make_user(Role.MEMBER), make_user(Role.EXPERT)
    client = signed_in(secretariat)

    assert client.get("/en/governance/elections/new/").status_code == 200
    response = client.post("/en/governance/elections/new/", _form(committee=first.email))

    created = Election.objects.get()
    assert response.status_code == 302
    assert created.announced_at is None
    assert created.constituencies.get().seats == 3
    warned = text(client.get(response["Location"]))
    assert "fewer than two members" in warned
    assert "Name at least two members of the election committee" in warned
    client.post(f"/en/governance/elections/{created.pk}/announce/")
    created.refresh_from_db()
    assert created.announced_at is None

    edit = _form(committee=f"{first.email}\n{second.email}")
    edit.update(
        {
            "constituencies-INITIAL_FORMS": "1",
            "constituencies-0-id": str(created.constituencies.get().pk),
        }
    )
    client.post(f"/en/governance/elections/{created.pk}/edit/", edit)
    client.post(f"/en/governance/elections/{created.pk}/announce/")

    created.refresh_from_db()
    assert created.announced_at is not None
    assert created.constituencies.count() == 1
    assert set(created.committee.all()) == {first, second}


def test_unknown_committee_emails_and_dates_out_of_order_are_refused(secretariat: Any) -> None:
    client = signed_in(secretariat)
    now = timezone.localtime()

    response = client.post(
        "/en/governance/elections/new/",
        _form(
            committee="nobody@example.org",
            closes_at=(now + timedelta(days=11)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )

    assert response.status_code == 200
    assert "No account has the email address nobody@example.org" in text(response)
    assert not Election.objects.exists()
    response = client.post(
        "/en/governance/elections/new/",
        _form(closes_at=(now + timedelta(days=11)).strftime("%Y-%m-%dT%H:%M")),
    )
    assert "Voting must close after it opens." in text(response)


def test_members_cannot_create_elections(member: Any) -> None:
    assert signed_in(member).get("/en/governance/elections/new/").status_code == 403


def test_reading_the_roll_is_audited_and_shows_who_voted_as_yes_or_no(
    secretariat: Any, member: Any
) -> None:
    vote = election()
    a = candidate(vote)
    entry, admin = voting_organisation(vote.roll)
    voting_organisation(vote.roll, "GE")
    ballot_cast(actor=admin, election=vote, choices=[a.pk])
    url = f"/en/governance/elections/{vote.pk}/roll/"

    page = text(signed_in(secretariat).get(url))

    assert entry.name in page
    assert page.count("<td>yes</td>") == 1
    assert page.count("<td>no</td>") == 1
    assert AuditEntry.objects.filter(action=Action.ROLL_VIEW).count() == 1
    assert signed_in(member).get(url).status_code == 403


def test_the_secretariat_freezes_the_roll_from_the_cut_off_date(secretariat: Any) -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    organisation = OrganisationFactory.create()
    MembershipFactory.create(organisation=organisation)
    url = f"/en/governance/elections/{vote.pk}/roll/"

    assert "Freeze the roll" in text(signed_in(secretariat).get(url))
    signed_in(secretariat).post(url)

    vote.roll.refresh_from_db()
    assert vote.roll.frozen_at is not None
    assert vote.roll.entries.filter(organisation=organisation).exists()


def test_a_member_nominates_themselves_and_the_committee_accepts(make_user: Any) -> None:
    # given
    vote = election(status=Election.Status.NOMINATIONS)
    committee = make_user(Role.MEMBER)
    vote.committee.set([committee, make_user(Role.MEMBER)])
    nominee = make_user(Role.MEMBER)
    PersonFactory.create(user=nominee, full_name="Olga Petrova")
    constituency = vote.constituencies.get()

    # when
    response = signed_in(nominee).post(
        f"/en/governance/elections/{vote.pk}/nominate/",
        {
            "nominee": "self",
            "constituency": constituency.pk,
            "statement_en": "I will listen.",
            "statement_ru": "Я буду слушать.",
        },
    )

    # then
    nominated = Candidate.objects.get()
    assert response.status_code == 302
    assert nominated.status == Candidate.Status.NOMINATED
    assert nominated.nominated_by is None
    review = f"/en/governance/elections/{vote.pk}/candidates/"
    assert "Olga Petrova" in text(signed_in(committee).get(review))
    assert signed_in(nominee).get(review).status_code == 403
    signed_in(committee).post(review, {"candidate": nominated.pk, "decision": "reject", "note": ""})
    nominated.refresh_from_db()
    assert nominated.status == Candidate.Status.NOMINATED  # a refusal needs a reason
    signed_in(committee).post(review, {"candidate": nominated.pk, "decision": "accept"})
    nominated.refresh_from_db()
    assert nominated.status == Candidate.Status.ACCEPTED
    assert "Olga Petrova" in text(signed_in(nominee).get(f"/en/governance/elections/{vote.pk}/"))


def test_an_organisation_admin_nominates_one_of_its_people() -> None:
    vote = election(status=Election.Status.NOMINATIONS)
    organisation = OrganisationFactory.create()
    admin_user = voting_organisation(vote.roll)[1]
    AffiliationFactory.create(person=admin_user.person, organisation=organisation, is_admin=True)
    colleague = PersonFactory.create(full_name="Petru Ceban")
    AffiliationFactory.create(
        person=colleague, organisation=organisation, role=Affiliation.Role.STAFF
    )
    url = f"/en/governance/elections/{vote.pk}/nominate/"

    form = text(signed_in(admin_user).get(url))
    signed_in(admin_user).post(
        url,
        {
            "nominee": f"{organisation.pk}:{colleague.pk}",
            "constituency": vote.constituencies.get().pk,
            "statement_en": "Petru knows the field.",
        },
    )

    assert "Petru Ceban" in form
    nominated = Candidate.objects.get()
    assert nominated.person == colleague
    assert nominated.nominated_by == organisation


def test_nominating_is_closed_outside_the_nomination_period() -> None:
    vote = election()  # open for voting
    _entry, admin = voting_organisation(vote.roll)

    response = signed_in(admin).get(f"/en/governance/elections/{vote.pk}/nominate/", follow=True)

    assert "Nominations for this election are not open." in text(response)


def test_a_candidate_page_shows_the_photo_and_both_statements(member: Any) -> None:
    vote = election()
    shown = candidate(vote, name="Ana Popescu", photo="governance/candidates/ana.png")
    pending = candidate(vote, name="Not Yet", status=Candidate.Status.NOMINATED)

    page = text(signed_in(member).get(f"/en/governance/candidates/{shown.pk}/"))

    assert "Ana Popescu" in page
    assert "/media/governance/candidates/ana.png" in page
    assert "I stand for Ana Popescu." in page
    assert "Я выдвигаюсь." in page
    assert signed_in(member).get(f"/en/governance/candidates/{pending.pk}/").status_code == 404


# --- the start page ------------------------------------------------------------------------------


def test_the_start_page_lists_votes_reviews_counts_and_results_to_publish(
    make_user: Any, secretariat: Any
) -> None:
    # given: an open election where the admin has not voted, a candidacy to review and a
    # closed election confirmed by both committee members
    voting = election()
    candidate(voting)
    _entry, admin = voting_organisation(voting.roll)
    judge, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    nominations = election(status=Election.Status.NOMINATIONS)
    nominations.committee.set([judge, other])
    candidate(nominations, status=Candidate.Status.NOMINATED)
    closed = election(status=Election.Status.CLOSED)
    closed.committee.set([judge, other])
    result_confirm(actor=other, election=closed)

    # when
    admin_queues = {q["queue"]: q for q in signed_in(admin).get("/api/v1/me/work").json()}
    judge_page = text(signed_in(judge).get("/en/me/"))
    judge_queues = {q["queue"]: q for q in signed_in(judge).get("/api/v1/me/work").json()}
    result_confirm(actor=judge, election=closed)
    office = {q["queue"]: q for q in signed_in(secretariat).get("/api/v1/me/work").json()}

    # then
    assert admin_queues["elections_to_vote"]["count"] == 1
    assert admin_queues["elections_to_vote"]["url"].endswith(
        f"/governance/elections/{voting.pk}/vote/"
    )
    assert "Election committee" in judge_page
    assert judge_queues["candidates_to_review"]["count"] == 1
    assert judge_queues["counts_to_confirm"]["count"] == 1
    assert office["results_to_publish"]["count"] == 1
    assert office["results_to_publish"]["url"].endswith(
        f"/governance/elections/{closed.pk}/results/"
    )
    # Once the vote is cast, the queue stays with 0: the vote is in.
    ballot_cast(actor=admin, election=voting, choices=[])
    after = {q["queue"]: q for q in signed_in(admin).get("/api/v1/me/work").json()}
    assert after["elections_to_vote"]["count"] == 0
