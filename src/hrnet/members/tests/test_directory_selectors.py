"""Who sees which members in the directory, each filter, and the map's counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from hrnet.accounts.roles import Role
from hrnet.core.models import IssueArea
from hrnet.members.models import Membership, MembershipType, Organisation
from hrnet.members.selectors.directory import (
    SHAPES_FILE,
    DirectoryFilters,
    band_of,
    directory_entries,
    directory_rows,
    map_shapes,
    member_counts_by_country,
    member_map,
)
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture(autouse=True)
def _english() -> Any:
    # Names are localised; a page requested in Russian earlier leaves Russian active.
    with translation.override("en"):
        yield


def member_organisation(*, status: str = Membership.Status.ACTIVE, **fields: Any) -> Organisation:
    organisation: Organisation = OrganisationFactory.create(**fields)
    MembershipFactory(organisation=organisation, status=status)
    return organisation


def member_person(*, status: str = Membership.Status.ACTIVE, **fields: Any) -> Any:
    person = PersonFactory(**fields)
    MembershipFactory(
        organisation=None,
        person=person,
        status=status,
        type=membership_type(MembershipType.Kind.INDIVIDUAL),
    )
    return person


def names(user: Any, **filters: Any) -> list[str]:
    rows = directory_rows(user=user, filters=DirectoryFilters(**filters))
    return [entry.name for entry in directory_entries(user=user, rows=rows)]


@pytest.fixture
def register(db: None) -> dict[str, Any]:
    """Members in every state of visibility."""
    hiv = IssueArea.objects.create(code="HIV", names={"en": "HIV", "ru": "ВИЧ"})
    public = member_organisation(
        names={"en": "Alpha Public", "ru": "Альфа"}, name_key="alpha public", is_public=True
    )
    public.issue_areas.add(hiv)
    return {
        "hiv": hiv,
        "public": public,
        "members_only": member_organisation(
            names={"en": "Beta Members Only"}, name_key="beta members only"
        ),
        "lapsed": member_organisation(
            names={"en": "Gamma Lapsed"},
            name_key="gamma lapsed",
            is_public=True,
            status=Membership.Status.LAPSED,
        ),
        "applicant": OrganisationFactory(
            names={"en": "Delta Applicant"}, name_key="delta applicant", is_public=True
        ),
        "grace": member_organisation(
            names={"en": "Epsilon Grace"},
            name_key="epsilon grace",
            is_public=True,
            status=Membership.Status.GRACE,
        ),
        "person_public": member_person(
            full_name="Zoe Public", name_key="zoe public", is_public=True
        ),
        "person_private": member_person(full_name="Yuri Private", name_key="yuri private"),
    }


def test_anonymous_visitors_see_only_opted_in_current_members(register):
    assert names(AnonymousUser()) == ["Alpha Public", "Epsilon Grace", "Zoe Public"]


def test_network_members_see_every_current_member(register, member):
    assert names(member) == [
        "Alpha Public",
        "Beta Members Only",
        "Epsilon Grace",
        "Yuri Private",
        "Zoe Public",
    ]


def test_the_secretariat_sees_current_members_too_not_applicants(register, secretariat):
    assert "Delta Applicant" not in names(secretariat)
    assert "Gamma Lapsed" not in names(secretariat)
    assert "Beta Members Only" in names(secretariat)


def test_signed_in_people_without_a_network_role_see_the_public_listing(register, make_user):
    site_staff = make_user(Role.SITESTAFF)

    assert names(site_staff) == names(AnonymousUser())


def test_staff_with_inherited_membership_are_not_individual_members(register, member):
    staff: Any = PersonFactory(
        full_name="Staff Inherited", name_key="staff inherited", is_public=True
    )
    source = register["public"].memberships.get()
    Membership.objects.create(
        person=staff, type=source.type, inherited_from=source, status=Membership.Status.ACTIVE
    )

    assert "Staff Inherited" not in names(member)
    assert "Staff Inherited" not in names(AnonymousUser())


def test_erased_and_trashed_members_are_not_listed(register, member, secretariat):
    register["person_private"].erased_at = register["public"].created_at
    register["person_private"].save()
    register["members_only"].deleted_at = register["public"].created_at
    register["members_only"].save()

    assert "Yuri Private" not in names(secretariat)
    assert "Beta Members Only" not in names(member)


def test_email_of_organisations_is_shown_to_network_members_only(register, member):
    register["public"].email = "office@alpha.example"
    register["public"].save()

    def email_of(user: Any) -> str:
        rows = directory_rows(user=user, filters=DirectoryFilters(q="alpha"))
        return directory_entries(user=user, rows=rows)[0].email

    assert email_of(member) == "office@alpha.example"
    assert email_of(AnonymousUser()) == ""


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "UA"}, ["Kyiv Org", "Ukrainian Person"]),
        ({"subregion": "CENTRAL_ASIA"}, ["Almaty Community"]),
        ({"type": "community_led"}, ["Almaty Community"]),
        ({"type": "individual"}, ["Moldovan Person", "Ukrainian Person"]),
        ({"type": "ngo"}, ["Chisinau NGO", "Kyiv Org"]),
        ({"community_led": True}, ["Almaty Community", "Kyiv Org"]),
        ({"issue_area": "HIV"}, ["Chisinau NGO", "Ukrainian Person"]),
        ({"q": "kyiv"}, ["Kyiv Org"]),
        ({"q": "КИЕВ"}, ["Kyiv Org"]),  # the Russian name, another case
        ({"q": "киев"}, ["Kyiv Org"]),
        ({"q": "Київ"}, ["Kyiv Org"]),  # the original name
        ({"q": "ukrainian pers"}, ["Ukrainian Person"]),
        ({"q": "moldovan-person"}, ["Moldovan Person"]),  # punctuation ignored
        ({"country": "UA", "type": "individual"}, ["Ukrainian Person"]),
        ({"country": "KZ", "q": "nothing"}, []),
    ],
)
def test_each_filter(member, filters, expected):
    hiv = IssueArea.objects.create(code="HIV", names={"en": "HIV"})
    chisinau = member_organisation(names={"en": "Chisinau NGO"}, name_key="chisinau ngo")
    chisinau.issue_areas.add(hiv)
    member_organisation(
        names={"en": "Kyiv Org", "ru": "Киевская организация"},
        name_original="Київська організація",
        name_key="kyiv org",
        country=country("UA"),
        is_community_led=True,
    )
    member_organisation(
        names={"en": "Almaty Community"},
        name_key="almaty community",
        kind=Organisation.Kind.COMMUNITY_LED,
        is_community_led=True,
        country=country("KZ"),
    )
    member_person(full_name="Moldovan Person", name_key="moldovan person")
    ukrainian = member_person(
        full_name="Ukrainian Person", name_key="ukrainian person", country=country("UA")
    )
    ukrainian.issue_areas.add(hiv)

    assert names(member, **filters) == expected


def test_an_organisation_with_several_issue_areas_is_listed_once(member):
    organisation = member_organisation(names={"en": "Many Areas"}, name_key="many areas")
    for code in ("HIV", "HCV", "OST"):
        organisation.issue_areas.add(IssueArea.objects.create(code=code, names={"en": code}))

    assert names(member) == ["Many Areas"]
    assert names(member, issue_area="HCV") == ["Many Areas"]


def test_map_counts_match_the_members_each_viewer_sees(register, member):
    member_organisation(names={"en": "Kyiv"}, name_key="kyiv", country=country("UA"))
    member_person(full_name="Kyiv Person", name_key="kyiv person", country=country("UA"))

    def counts(user: Any) -> dict[str, tuple[int, int]]:
        return {
            c.country.iso2: (c.organisations, c.individuals)
            for c in member_counts_by_country(user)
            if c.total
        }

    assert counts(member) == {"MD": (3, 2), "UA": (1, 1)}
    assert counts(AnonymousUser()) == {"MD": (2, 1)}
    all_counts = member_counts_by_country(AnonymousUser())
    assert len(all_counts) == 29
    moldova = next(c for c in all_counts if c.country.iso2 == "MD")
    assert moldova.url == "/en/members/directory/?country=MD"
    assert moldova.title == "Moldova: 3 members"


def test_map_counts_take_three_queries_whatever_the_number_of_members(
    register, django_assert_num_queries
):
    for _ in range(5):
        member_organisation(is_public=True, country=country("UA"))
    with django_assert_num_queries(3):
        member_counts_by_country(AnonymousUser())


def test_every_network_country_has_a_shape_and_the_file_is_small():
    shapes = map_shapes()
    iso2 = {
        "EE", "LV", "LT", "CZ", "HU", "PL", "SK", "SI", "AL", "BA", "BG", "HR", "XK", "MK",
        "ME", "RO", "RS", "BY", "MD", "UA", "AM", "AZ", "GE", "KZ", "KG", "TJ", "TM", "UZ",
        "RU",
    }  # fmt: skip
    assert set(shapes["countries"]) == iso2
    assert all(shape["d"].startswith("M") for shape in shapes["countries"].values())
    assert SHAPES_FILE.stat().st_size < 300 * 1024
    assert "Natural Earth" in shapes["source"]


def test_member_map_bands_and_highlight(register, member):
    for _ in range(5):
        member_organisation(country=country("UA"))

    result = member_map(member, highlight="ua")

    by_iso = {item.count.country.iso2: item for item in result.countries}
    assert by_iso["UA"].count.total == 5
    assert by_iso["UA"].count.fill != by_iso["KZ"].count.fill
    assert by_iso["UA"].highlighted
    assert result.countries[-1].count.country.iso2 == "UA"  # drawn last, outline on top
    assert [band.label for band in result.legend] == ["0", "1–4", "5–14", "15–29", "30–59", "60+"]
    assert [band_of(n) for n in (0, 1, 4, 5, 59, 60, 600)] == [0, 1, 1, 2, 4, 5, 5]


def test_organisation_admins_see_their_own_organisation_listed_only_when_current(make_user):
    user = make_user(Role.ORGADMIN)
    organisation = OrganisationFactory(names={"en": "Lapsed Mine"}, name_key="lapsed mine")
    MembershipFactory(organisation=organisation, status=Membership.Status.LAPSED)
    AffiliationFactory(organisation=organisation, person=PersonFactory(user=user), is_admin=True)

    assert names(user) == []


def test_pages_of_rows_add_up_to_the_whole_list_in_name_order(member):
    # Same names in both tables: the order must not depend on which table a row is from.
    for n in range(4):
        member_organisation(names={"en": f"Same {n % 2}"}, name_key=f"same {n % 2}")
        member_person(full_name=f"Same {n % 2}", name_key=f"same {n % 2}")
    rows = directory_rows(user=member, filters=DirectoryFilters())

    everything = list(rows)
    pages = [row for start in range(0, 8, 3) for row in rows[start : start + 3]]

    assert len(everything) == rows.count() == 8
    assert pages == everything
    assert everything == sorted(everything, key=lambda row: (row[2], row[0], row[1]))
    assert rows[5:5] == []
    only_people = directory_rows(user=member, filters=DirectoryFilters(type="individual"))
    assert [row[0] for row in only_people[0:10]] == ["individual"] * 4


def test_map_counts_can_be_cached_per_visibility(
    register, member, settings, django_assert_num_queries
):
    from django.core.cache import cache

    settings.HRNET_MEMBER_MAP_CACHE_SECONDS = 60
    cache.clear()
    member_counts_by_country(AnonymousUser())
    member_organisation(is_public=True)

    with django_assert_num_queries(1):  # the countries; both counts from the cache
        cached = member_counts_by_country(AnonymousUser())
    for_member = member_counts_by_country(member)  # another visibility: counted anew
    cache.clear()

    assert next(c for c in cached if c.country.iso2 == "MD").organisations == 2
    assert next(c for c in for_member if c.country.iso2 == "MD").organisations == 4
