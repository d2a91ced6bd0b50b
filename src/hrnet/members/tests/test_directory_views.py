"""The directory page (filters, htmx, pagination, query counts), the map and profiles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.core.models import IssueArea
from hrnet.members.models import Membership, MembershipType, Organisation
from hrnet.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    country,
    membership_type,
)

pytestmark = pytest.mark.usefixtures("geography")
DIRECTORY = "/en/members/directory/"


def member_organisation(*, status: str = Membership.Status.ACTIVE, **fields: Any) -> Organisation:
    organisation: Organisation = OrganisationFactory.create(**fields)
    MembershipFactory(organisation=organisation, status=status)
    return organisation


def member_person(**fields: Any) -> Any:
    person = PersonFactory(**fields)
    MembershipFactory(
        organisation=None, person=person, type=membership_type(MembershipType.Kind.INDIVIDUAL)
    )
    return person


def result_names(html: str) -> list[str]:
    return re.findall(r'class="directory-entry__name"><a href="[^"]+">([^<]+)</a>', html)


def test_the_directory_url_is_stable():
    assert reverse("members:directory") == DIRECTORY


def test_anonymous_visitors_get_the_public_listing_with_map_and_filters(client):
    member_organisation(names={"en": "Listed Org"}, name_key="listed org", is_public=True)
    member_organisation(names={"en": "Hidden Org"}, name_key="hidden org")

    response = client.get(DIRECTORY)

    html = response.content.decode()
    assert response.status_code == 200
    assert result_names(html) == ["Listed Org"]
    assert "Hidden Org" not in html
    assert 'role="search"' in html
    assert f'hx-get="{DIRECTORY}"' in html
    assert 'hx-push-url="true"' in html
    assert "<svg" in html
    assert 'href="/en/members/directory/?country=MD"' in html
    assert "<title>Moldova: 1 members</title>" in html
    assert '<th scope="row"><a href="/en/members/directory/?country=MD">Moldova</a></th>' in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_network_members_see_members_only_records_and_organisation_emails(client, member):
    member_organisation(
        names={"en": "Hidden Org"}, name_key="hidden org", email="hidden@example.org"
    )
    client.force_login(member)

    html = client.get(DIRECTORY).content.decode()

    assert result_names(html) == ["Hidden Org"]
    assert "mailto:hidden@example.org" in html


def test_filters_narrow_the_list_without_javascript(client):
    member_organisation(names={"en": "Moldova Org"}, name_key="moldova org", is_public=True)
    member_organisation(
        names={"en": "Ukraine Org"}, name_key="ukraine org", is_public=True, country=country("UA")
    )
    member_person(full_name="Ukraine Person", name_key="ukraine person", is_public=True,
                  country=country("UA"))  # fmt: skip

    by_country = client.get(DIRECTORY, {"country": "UA"}).content.decode()
    individuals = client.get(DIRECTORY, {"country": "UA", "type": "individual"}).content.decode()
    by_subregion = client.get(DIRECTORY, {"subregion": "EUROPEAN_CIS"}).content.decode()
    by_name = client.get(DIRECTORY, {"q": "MOLDOVA"}).content.decode()

    assert result_names(by_country) == ["Ukraine Org", "Ukraine Person"]
    assert result_names(individuals) == ["Ukraine Person"]
    assert result_names(by_subregion) == ["Moldova Org", "Ukraine Org", "Ukraine Person"]
    assert result_names(by_name) == ["Moldova Org"]
    assert '<option value="UA" selected>' in by_country  # the form keeps the choice


def test_filters_by_issue_area_and_community_led(client):
    hiv = IssueArea.objects.create(code="HIV", names={"en": "HIV prevention"})
    with_hiv = member_organisation(names={"en": "HIV Org"}, name_key="hiv org", is_public=True)
    with_hiv.issue_areas.add(hiv)
    member_organisation(
        names={"en": "Community Org"},
        name_key="community org",
        is_public=True,
        is_community_led=True,
    )

    by_area = client.get(DIRECTORY, {"issue_area": "HIV"}).content.decode()
    community = client.get(DIRECTORY, {"community_led": "on"}).content.decode()

    assert result_names(by_area) == ["HIV Org"]
    assert "HIV prevention" in by_area
    assert result_names(community) == ["Community Org"]


def test_an_unknown_filter_value_is_reported_and_ignored(client):
    member_organisation(names={"en": "Listed Org"}, name_key="listed org", is_public=True)

    response = client.get(DIRECTORY, {"country": "ZZ", "per_page": "7"})

    html = response.content.decode()
    assert response.status_code == 200
    assert result_names(html) == ["Listed Org"]
    assert 'class="errorlist"' in html


def test_htmx_requests_get_only_the_results(client):
    member_organisation(names={"en": "Listed Org"}, name_key="listed org", is_public=True)

    response = client.get(DIRECTORY, {"q": "listed"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert result_names(html) == ["Listed Org"]
    assert "<html" not in html
    assert "<svg" not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(
        DIRECTORY, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_pagination_keeps_the_filters(client):
    for n in range(12):
        member_organisation(
            names={"en": f"Org {n:02d}"}, name_key=f"org {n:02d}", is_public=True,
            country=country("UA"),
        )  # fmt: skip

    first = client.get(DIRECTORY, {"country": "UA", "per_page": "10"}).content.decode()
    second_url = "/en/members/directory/?country=UA&amp;per_page=10&amp;page=2"
    second = client.get(DIRECTORY, {"country": "UA", "per_page": "10", "page": "2"})

    assert result_names(first) == [f"Org {n:02d}" for n in range(10)]
    assert f'href="{second_url}"' in first
    assert f'hx-get="{second_url}"' in first
    assert "12 members" in first
    assert result_names(second.content.decode()) == ["Org 10", "Org 11"]
    assert "Page 2 of 2" in second.content.decode()


def _mixed_register(count: int) -> None:
    area = IssueArea.objects.create(code="HIV", names={"en": "HIV"})
    for n in range(count):
        organisation = member_organisation(
            names={"en": f"Org {n:03d}"}, name_key=f"org {n:03d}", is_public=True,
        )  # fmt: skip
        organisation.issue_areas.add(area)
        person = member_person(full_name=f"Person {n:03d}", name_key=f"org {n:03d} p",
                               is_public=True)  # fmt: skip
        person.issue_areas.add(area)


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.SECRETARIAT])
def test_the_directory_makes_the_same_number_of_queries_whatever_the_page_size(
    client, make_user, django_assert_num_queries, role
):
    _mixed_register(30)
    if role:
        client.force_login(make_user(role))
    # Anonymous: sub-regions, countries, issue areas (filter form), count, page of rows,
    # organisations, their issue areas, people, their issue areas, the map's two counts
    # and its countries, the network's name (base template). Signed in: the session, the
    # user, their roles; network members also the organisations they manage (the policy
    # asks once for the list and once for the map).
    expected = {None: 13, Role.MEMBER: 18, Role.SECRETARIAT: 16}[role]
    for per_page in (10, 50):
        with django_assert_num_queries(expected):
            response = client.get(DIRECTORY, {"per_page": per_page, "issue_area": "HIV"})
        assert len(result_names(response.content.decode())) == per_page


def test_the_unfiltered_total_is_the_maps_total_counted_once(client, django_assert_num_queries):
    _mixed_register(3)
    member_organisation(names={"en": "Hidden"}, name_key="hidden")

    with django_assert_num_queries(12):  # one fewer than filtered: no separate COUNT
        html = client.get(DIRECTORY).content.decode()

    assert "6 members</h2>" in html
    assert "6 members in all." in html


def test_the_htmx_results_make_a_constant_number_of_queries(client, django_assert_num_queries):
    _mixed_register(30)
    for per_page in (10, 50):
        with django_assert_num_queries(10):
            client.get(DIRECTORY, {"per_page": per_page}, headers={"HX-Request": "true"})


def test_the_map_partial_can_be_included_anywhere(rf, member):
    from django.template import Context, Template

    member_organisation(country=country("GE"))
    request = rf.get("/")
    request.user = member

    html = Template("{% load members_map %}{% member_map highlight='GE' %}").render(
        Context({"request": request})
    )

    assert "<title>Georgia: 1 members</title>" in html
    assert 'stroke="#a23b00"' in html  # Georgia outlined


# --- profiles -------------------------------------------------------------------------


def test_an_opted_in_organisation_profile_is_public_with_public_staff_only(client):
    organisation = member_organisation(
        names={"en": "Open Org"},
        name_key="open org",
        is_public=True,
        website="https://open.example",
        email="office@open.example",
    )
    AffiliationFactory(organisation=organisation, person=PersonFactory(full_name="Public Pat",
                       is_public=True), role="director")  # fmt: skip
    AffiliationFactory(organisation=organisation, person=PersonFactory(full_name="Private Pam"))

    response = client.get(reverse("members:organisation_detail", args=[organisation.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Open Org</h1>" in html
    assert "https://open.example" in html
    assert "office@open.example" not in html
    assert "Public Pat" in html
    assert "Director" in html
    assert "Private Pam" not in html
    assert "Edit the profile" not in html


def test_network_members_see_every_current_staff_link_on_a_profile(client, member):
    organisation = member_organisation(names={"en": "Org"}, name_key="org")
    AffiliationFactory(organisation=organisation, person=PersonFactory(full_name="Private Pam"))
    AffiliationFactory(
        organisation=organisation,
        person=PersonFactory(full_name="Former Fred"),
        start_date="2020-01-01",
        end_date="2021-01-01",
    )
    client.force_login(member)

    html = client.get(reverse("members:organisation_detail", args=[organisation.pk])).content
    html_text = html.decode()

    assert "Private Pam" in html_text
    assert "Former Fred" not in html_text


def test_profiles_not_visible_to_the_viewer_answer_404(client, member):
    members_only = member_organisation()
    applicant: Any = OrganisationFactory(is_public=True)
    private_person = member_person()
    url = reverse("members:organisation_detail", args=[members_only.pk])

    assert client.get(url).status_code == 404
    assert client.get(reverse("members:person_detail", args=[private_person.pk])).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.get(reverse("members:organisation_detail", args=[applicant.pk])).status_code == (
        404
    )
    assert client.get(reverse("members:organisation_detail", args=[999999])).status_code == 404


def test_a_person_profile_shows_their_organisations_but_not_their_email(client, member):
    organisation = member_organisation(names={"en": "Their Org"}, name_key="their org")
    person = member_person(full_name="Ivan Member", expertise="Outreach", email="ivan@example.org")
    AffiliationFactory(organisation=organisation, person=person)
    client.force_login(member)

    html = client.get(reverse("members:person_detail", args=[person.pk])).content.decode()

    assert "<h1>Ivan Member</h1>" in html
    assert "Outreach" in html
    assert "Their Org" in html
    assert "ivan@example.org" not in html


def test_a_person_sees_their_own_profile_and_email(client, make_user):
    user = make_user()
    person: Any = PersonFactory(user=user, full_name="Myself", email="me@example.org")

    html = client.get(reverse("members:person_detail", args=[person.pk]))
    client.force_login(user)
    own = client.get(reverse("members:person_detail", args=[person.pk])).content.decode()

    assert html.status_code == 404
    assert "me@example.org" in own


def test_organisation_admins_see_the_edit_links_on_their_profile(client, make_user):
    user = make_user(Role.ORGADMIN)
    organisation = member_organisation()
    AffiliationFactory(organisation=organisation, person=PersonFactory(user=user), is_admin=True)
    client.force_login(user)

    html = client.get(reverse("members:organisation_detail", args=[organisation.pk])).content

    assert reverse("members:organisation_edit", args=[organisation.pk]).encode() in html
    assert reverse("members:organisation_staff", args=[organisation.pk]).encode() in html


def test_the_directory_and_profiles_are_translated(client):
    organisation = member_organisation(
        names={"en": "English Name", "ru": "Русское название"}, is_public=True
    )

    html = client.get("/ru/members/directory/").content.decode()
    profile = client.get(f"/ru/members/directory/organisations/{organisation.pk}/").content

    assert "Русское название" in html
    assert "Молдова" in html
    assert "Русское название" in profile.decode()
