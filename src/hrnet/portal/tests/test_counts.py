"""One count of members everywhere: the home page, the secretariat's dashboard, the member
directory (its total and its map), the sub-region and country pages and the API show the
same numbers of current member organisations and individual members to each reader.

The numbers are read as a visitor reads them: from the rendered pages (the elements marked
`data-count`) and the API's JSON, never from the selectors.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.geo.models import Country, SubRegion
from hrnet.members.models import Affiliation, Membership, MembershipType
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
    membership_type,
)

Status = Membership.Status

# (status, listed publicly, country, in the trash) of each organisation; "none": no
# membership at all (an applicant's record).
ORGANISATIONS = [
    (Status.ACTIVE, True, "MD", False),  # counted for everyone
    (Status.ACTIVE, False, "MD", False),  # counted for the network
    (Status.GRACE, True, "GE", False),  # in its grace period: still a member
    (Status.GRACE, False, "KZ", False),
    (Status.LAPSED, True, "MD", False),
    (Status.SUSPENDED, True, "GE", False),
    (Status.LEFT, True, "MD", False),
    (Status.PENDING, True, "MD", False),  # approved but not started, or applying
    (Status.ACTIVE, True, "MD", True),  # in the trash
    ("none", True, "KZ", False),
]
# (status, listed publicly, country, in the trash, personal data erased) of each person
# with a membership of their own.
PEOPLE = [
    (Status.ACTIVE, True, "MD", False, False),
    (Status.ACTIVE, False, "GE", False, False),
    (Status.GRACE, True, "KZ", False, False),
    (Status.LAPSED, True, "MD", False, False),
    (Status.SUSPENDED, True, "MD", False, False),
    (Status.LEFT, True, "GE", False, False),
    (Status.PENDING, True, "MD", False, False),
    (Status.ACTIVE, True, "MD", True, False),
    (Status.ACTIVE, True, "KZ", False, True),
    ("none", True, "MD", False, False),
]
# What each reader may count: the public listing, or every current member.
EXPECTED = {
    "anonymous": {"organisations": 2, "individuals": 2},
    "member": {"organisations": 4, "individuals": 3},
    "orgadmin": {"organisations": 4, "individuals": 3},
    "secretariat": {"organisations": 4, "individuals": 3},
}


def _dates(status: str) -> dict[str, date | None]:
    year = timezone.localdate().year
    if status in (Status.LAPSED, Status.LEFT):
        return {"start_date": date(year - 3, 1, 1), "end_date": date(year - 2, 12, 31)}
    if status == Status.GRACE:
        return {"start_date": date(year - 1, 1, 1), "end_date": date(year - 1, 12, 31)}
    if status == Status.PENDING:
        return {"start_date": None, "end_date": None}
    return {}


@pytest.fixture
def register(geography: None) -> dict[str, Any]:
    """Members in every state, public and not, in three countries of three sub-regions."""
    now = timezone.now()
    organisations = []
    for status, public, iso2, trashed in ORGANISATIONS:
        organisation = OrganisationFactory.create(
            is_public=public, country=country(iso2), deleted_at=now if trashed else None
        )
        organisations.append(organisation)
        if status != "none":
            MembershipFactory.create(organisation=organisation, status=status, **_dates(status))
    individual = membership_type(MembershipType.Kind.INDIVIDUAL)
    for status, public, iso2, trashed, erased in PEOPLE:
        person = PersonFactory.create(
            is_public=public,
            country=country(iso2),
            deleted_at=now if trashed else None,
            erased_at=now if erased else None,
        )
        if status != "none":
            MembershipFactory.create(
                organisation=None, person=person, type=individual, status=status, **_dates(status)
            )
    # Staff of the first organisation are members through it, not individual members.
    staff = PersonFactory.create(is_public=True)
    AffiliationFactory.create(person=staff, organisation=organisations[0])
    MembershipFactory.create(
        organisation=None,
        person=staff,
        type=individual,
        inherited_from=organisations[0].memberships.get(),
    )
    return {"organisations": organisations}


def _client_for(role: str, make_user: Any, register: dict[str, Any]) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "orgadmin":
        user = make_user(Role.ORGADMIN)
        # They manage the lapsed organisation: it is theirs to see, not a current member.
        lapsed = register["organisations"][4]
        person = PersonFactory.create(user=user)
        AffiliationFactory.create(person=person, organisation=lapsed, is_admin=True)
        assert Affiliation.objects.filter(is_admin=True).count() == 1
    elif role == "secretariat":
        user = make_user(Role.SECRETARIAT, is_staff=True)
    else:
        user = make_user(Role.MEMBER)
    client.force_login(user)
    return client


COUNT = re.compile(r"<[a-z0-9]+\b[^>]*\bdata-count=\"([a-z_]+)\"[^>]*>([^<]*)")


def shown_counts(client: Client, url: str) -> dict[str, int]:
    """The numbers a page shows in its `data-count` elements, by name."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    counts: dict[str, int] = {}
    for name, text in COUNT.findall(html):
        number = re.search(r"\d[\d\s,.\u00a0\u202f]*", text)
        assert number, f"{url}: no number in {name!r}: {text!r}"
        assert name not in counts, f"{url} shows {name!r} twice"
        counts[name] = int(re.sub(r"\D", "", number.group()))
    return counts


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_page_and_the_api_show_the_same_member_counts(
    role: str, make_user: Any, register: dict[str, Any]
) -> None:
    # given
    client = _client_for(role, make_user, register)
    expected = EXPECTED[role]
    total = expected["organisations"] + expected["individuals"]

    # when / then: the home page
    home = shown_counts(client, reverse("core:home"))
    assert {key: home[key] for key in expected} == expected

    # the directory's total and its map
    directory = shown_counts(client, reverse("members:directory"))
    assert directory["total"] == total
    assert directory["map_total"] == total

    # the secretariat's dashboard
    if role == "secretariat":
        dashboard = shown_counts(client, reverse("members:dashboard"))
        # (it also counts the lapsed, a queue of its own: compare the members' counts)
        assert {key: dashboard[key] for key in (*expected, "total")} == {
            **expected,
            "total": total,
        }

    # the API: the counts, and the directory list's count
    api = client.get("/api/v1/members/counts").json()
    assert api == {**expected, "total": total}
    assert client.get("/api/v1/members", {"limit": 1}).json()["count"] == total

    # sub-region pages and the API per sub-region add up to the network
    by_subregion = {"organisations": 0, "individuals": 0}
    for subregion in SubRegion.objects.all():
        page = shown_counts(client, reverse("geo:subregion_detail", args=[subregion.code.lower()]))
        api = client.get("/api/v1/members/counts", {"subregion": subregion.code}).json()
        assert api == {**page, "total": page["organisations"] + page["individuals"]}
        for key in by_subregion:
            by_subregion[key] += page[key]
    assert by_subregion == expected

    # so do the country pages
    by_country = {"organisations": 0, "individuals": 0}
    for each in Country.objects.all():
        page = shown_counts(client, reverse("geo:country_detail", args=[each.iso2.lower()]))
        for key in by_country:
            by_country[key] += page[key]
    assert by_country == expected


def test_a_member_who_lapses_leaves_every_count(make_user: Any, register: dict[str, Any]) -> None:
    # given
    client = _client_for("secretariat", make_user, register)
    membership = register["organisations"][0].memberships.get()

    # when
    membership.status = Status.LAPSED
    membership.save(update_fields=["status"])

    # then
    assert shown_counts(client, reverse("core:home"))["organisations"] == 3
    assert shown_counts(client, reverse("members:dashboard"))["organisations"] == 3
    assert shown_counts(client, reverse("members:directory"))["total"] == 3 + 3
    assert client.get("/api/v1/members/counts").json()["organisations"] == 3
    moldova = shown_counts(client, reverse("geo:country_detail", args=["md"]))
    assert moldova["organisations"] == 1
