"""An organisation admin's page of their staff's registrations for upcoming events: only
the organisation's admins and the secretariat see it, soonest event first, paged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import UserFactory
from hrnet.events.models import Registration
from hrnet.events.tests.factories import EventFactory, RegistrationFactory
from hrnet.members.models import Affiliation, Organisation
from hrnet.members.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("geography")
URL = "/en/events/organisations/registrations/"


def staff_of(organisation: Organisation, name: str, **link: Any) -> Any:
    user = UserFactory.create(roles=[Role.MEMBER], full_name=f"Account {name}")
    AffiliationFactory.create(
        person=PersonFactory.create(user=user, full_name=name),
        organisation=organisation,
        role=Affiliation.Role.DIRECTOR,
        **link,
    )
    return user


def admin_of(organisation: Organisation) -> Any:
    user = UserFactory.create(roles=[Role.ORGADMIN])
    AffiliationFactory.create(
        person=PersonFactory.create(user=user, email=user.email),
        organisation=organisation,
        role=Affiliation.Role.DIRECTOR,
        is_admin=True,
    )
    return user


def in_days(days: int, title: str) -> Any:
    starts = timezone.now() + timedelta(days=days)
    return EventFactory.create(
        titles={"en": title}, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )


def rows(response: Any) -> list[tuple[str, str]]:
    return [(r.event.title, r.user.person.full_name) for r in response.context["page"]]


@pytest.fixture
def home() -> Organisation:
    return OrganisationFactory.create()


def test_the_admin_sees_staff_registrations_soonest_event_first(client, home):
    later, sooner = in_days(20, "Later event"), in_days(2, "Sooner event")
    anna, boris = staff_of(home, "Anna Staff"), staff_of(home, "Boris Staff")
    RegistrationFactory.create(event=later, user=anna)
    RegistrationFactory.create(event=sooner, user=boris, status=Registration.Status.WAITING)
    RegistrationFactory.create(event=sooner, user=anna, status=Registration.Status.CANCELLED)
    RegistrationFactory.create(event=in_days(-3, "Past event"), user=anna)
    gone = staff_of(home, "Left Last Year", end_date=timezone.localdate() - timedelta(days=30))
    RegistrationFactory.create(event=sooner, user=gone)
    outsider = staff_of(OrganisationFactory.create(), "Other Org")
    RegistrationFactory.create(event=sooner, user=outsider)
    client.force_login(admin_of(home))

    response = client.get(URL)

    assert response.status_code == 200
    assert rows(response) == [("Sooner event", "Boris Staff"), ("Later event", "Anna Staff")]
    content = response.content.decode()
    assert "Other Org" not in content
    assert "Left Last Year" not in content
    assert anna.email not in content  # names and events only


def test_the_page_is_paged(client, home, monkeypatch):
    from hrnet.events.selectors import staff

    monkeypatch.setattr(staff, "STAFF_PAGE_SIZE", 2)
    for days in (5, 1, 3):
        RegistrationFactory.create(
            event=in_days(days, f"Day {days}"), user=staff_of(home, f"Person {days}")
        )
    client.force_login(admin_of(home))

    first, second = client.get(URL), client.get(URL, {"page": 2})

    assert [title for title, _name in rows(first)] == ["Day 1", "Day 3"]
    assert [title for title, _name in rows(second)] == ["Day 5"]
    assert "page=2" in first.content.decode()


def test_an_admin_of_two_organisations_filters_by_one(client, home):
    other = OrganisationFactory.create()
    admin = admin_of(home)
    AffiliationFactory.create(person=admin.person, organisation=other, is_admin=True)
    event = in_days(4, "Shared event")
    RegistrationFactory.create(event=event, user=staff_of(home, "Home Person"))
    RegistrationFactory.create(event=event, user=staff_of(other, "Other Person"))
    client.force_login(admin)

    both = client.get(URL)
    one = client.get(URL, {"organisation": other.pk})

    assert {name for _title, name in rows(both)} == {"Home Person", "Other Person"}
    assert rows(one) == [("Shared event", "Other Person")]
    assert f'<option value="{other.pk}" selected>' in one.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("staff", 403), ("secretariat", 200)],
)
def test_only_organisation_admins_and_the_secretariat_see_it(client, home, who, status):
    staff = staff_of(home, "Anna Staff")
    RegistrationFactory.create(event=in_days(2, "Soon"), user=staff)
    users = {
        "member": UserFactory.create(roles=[Role.MEMBER]),
        "staff": staff,  # on the staff, not an admin
        "secretariat": UserFactory.create(roles=[Role.SECRETARIAT]),
    }
    if who in users:
        client.force_login(users[who])

    response = client.get(URL)

    assert response.status_code == status
    if status == 200:
        assert rows(response) == [("Soon", "Anna Staff")]


def test_the_url_is_named(db):
    assert reverse("events:organisation_registrations") == URL


def test_the_page_speaks_russian(client, home):
    client.force_login(admin_of(home))

    content = client.get("/ru/events/organisations/registrations/").content.decode()

    assert "Никто из ваших сотрудников не зарегистрирован" in content
    assert "0 регистраций" in content
