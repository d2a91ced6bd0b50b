"""The secretariat's dashboard: the numbers it shows and who may see it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hrnet.core.trash import trash_move
from hrnet.members.models import Application, Membership, Organisation
from hrnet.members.selectors.dashboard import dashboard_get
from hrnet.members.tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    MembershipFactory,
    PersonFactory,
    country,
    membership_type,
)

TODAY = date(2025, 8, 1)


def _member(iso2="MD", kind=Organisation.Kind.NGO, **fields):
    fields.setdefault("start_date", date(2018, 1, 1))
    fields.setdefault("end_date", date(2025, 12, 31))
    return MembershipFactory.create(
        organisation__country=country(iso2), organisation__kind=kind, **fields
    )


@pytest.fixture
def register(geography):
    """Current: 2 NGOs in Moldova, a community-led organisation in Ukraine, an individual in
    Georgia. Not current or not counted: a lapsed member, inherited staff, a trashed one."""
    moldova = _member("MD", start_date=date(2018, 3, 1))
    _member("MD", start_date=date(2020, 5, 1), end_date=TODAY + timedelta(days=10))
    _member("UA", Organisation.Kind.COMMUNITY_LED, start_date=date(2018, 6, 1))
    MembershipFactory.create(
        organisation=None,
        person=PersonFactory.create(country=country("GE")),
        type=membership_type("individual"),
        start_date=date(2025, 2, 1),
    )
    _member(  # its grace period ended in March this year
        "KZ", status=Membership.Status.LAPSED, start_date=date(2016, 1, 1),
        end_date=date(2024, 12, 31),
    )  # fmt: skip
    _member(  # lapsed long ago
        "KZ", status=Membership.Status.LAPSED, start_date=date(2010, 1, 1),
        end_date=date(2012, 12, 31),
    )  # fmt: skip
    staff = AffiliationFactory.create(organisation=moldova.organisation).person
    MembershipFactory.create(
        organisation=None, person=staff, inherited_from=moldova, type=moldova.type
    )
    trashed = _member("MD")
    trash_move(obj=trashed.organisation, actor=None)
    ApplicationFactory.create_batch(2)
    ApplicationFactory.create(status=Application.Status.INFO_REQUESTED)
    ApplicationFactory.create(status=Application.Status.APPROVED)


def _counts(rows):
    return {row.code: row.count for row in rows if row.count}


def test_current_members_by_subregion_country_and_type(register, secretariat):
    dashboard = dashboard_get(user=secretariat, today=TODAY)

    assert dashboard.total == 4
    assert (dashboard.organisations, dashboard.individuals) == (3, 1)
    assert _counts(dashboard.by_country) == {"MD": 2, "UA": 1, "GE": 1}
    assert _counts(dashboard.by_subregion) == {"EUROPEAN_CIS": 3, "CAUCASUS": 1}
    assert len(dashboard.by_subregion) == 7
    assert len(dashboard.by_country) == 29
    assert _counts(dashboard.by_type) == {"ngo": 2, "community_led": 1, "individual": 1}


def test_growth_adds_up_members_by_the_year_they_joined(register, secretariat):
    bars = dashboard_get(user=secretariat, today=TODAY).growth.bars

    # Everyone with a start date who was a member, lapsed ones too, from the first year.
    assert [(b.year, b.joined, b.value) for b in bars] == [
        (2010, 1, 1), (2011, 0, 1), (2012, 0, 1), (2013, 0, 1), (2014, 0, 1), (2015, 0, 1),
        (2016, 1, 2), (2017, 0, 2), (2018, 2, 4), (2019, 0, 4), (2020, 1, 5), (2021, 0, 5),
        (2022, 0, 5), (2023, 0, 5), (2024, 0, 5), (2025, 1, 6),
    ]  # fmt: skip
    tallest = max(bars, key=lambda bar: bar.value)
    assert tallest.y == 20  # the top of the plot
    assert all(bar.y + bar.height == pytest.approx(230) for bar in bars)


def test_pending_applications_renewals_due_and_lapses_this_year(register, secretariat):
    dashboard = dashboard_get(user=secretariat, today=TODAY)

    assert dashboard.pending_applications == 3
    assert dashboard.renewals_due == 1
    assert [m.end_date for m in dashboard.lapsed_this_year] == [date(2024, 12, 31)]


def test_a_status_set_to_lapsed_by_hand_this_year_counts(geography, secretariat):
    membership = _member(
        status=Membership.Status.LAPSED,
        status_override=Membership.Status.LAPSED,
        override_at=timezone.now(),
        end_date=None,
    )

    assert dashboard_get(user=secretariat).lapsed_this_year == [membership]


def test_an_empty_register_shows_zeros_and_no_chart(client, secretariat, geography):
    client.force_login(secretariat)

    response = client.get(reverse("members:dashboard"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "No membership has a start date yet." in content
    assert '<span class="stat" data-count="renewals-due">0</span>' in content


def test_the_page_shows_tables_and_an_svg_chart_in_bounded_queries(
    client, secretariat, register, django_assert_max_num_queries
):
    client.force_login(secretariat)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("members:dashboard"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content
    assert "<script" not in content.split("</head>")[1]  # no chart library
    assert 'style="' not in content
    assert '<th scope="row">European countries of the CIS</th><td>3</td>' in content
    assert "renewals due in 30 days" in content


def test_the_query_count_does_not_grow_with_the_register(client, secretariat, register):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretariat)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("members:dashboard"))
        return len(captured)

    few = queries()
    for _ in range(5):
        _member("AM", end_date=timezone.localdate() + timedelta(days=5))

    assert queries() == few


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("member", 403), ("orgadmin", 403),
                                              ("expert", 403)])  # fmt: skip
def test_only_the_secretariat_sees_the_dashboard(client, make_user, geography, role, status):
    if role:
        client.force_login(make_user(role))

    assert client.get(reverse("members:dashboard")).status_code == status
