"""The main menu by role: the groups each role sees, only links its people may open, and
exactly one link marked as the current page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from hrnet.accounts.roles import Role

pytestmark = pytest.mark.django_db

_PUBLIC_GROUPS = ["Network", "Members", "Discussions", "News and library", "Events", "Evidence"]
GROUPS_BY_ROLE = {
    "anonymous": _PUBLIC_GROUPS,
    "member": ["My work", *_PUBLIC_GROUPS],
    "orgadmin": ["My work", *_PUBLIC_GROUPS],
    "sitestaff": ["My work", *_PUBLIC_GROUPS],
    "documenter": ["My work", *_PUBLIC_GROUPS],
    "secretariat": ["My work", *_PUBLIC_GROUPS, "Secretariat"],
}
SECRETARIAT_ONLY = [
    "/en/members/applications/",
    "/en/accounts/invitations/",
    "/en/members/dashboard/",
    "/en/library/moderation/",
    "/en/events/reports/",
    "/en/audit/",
    "/en/trash/",
    "/en/jobs/",
    "/en/campaigns/signatures/",
    "/en/discussions/flags/",
    "/en/discussions/groups/",
]


def _menu(html: str) -> str:
    start = html.index('<nav class="site-nav"')
    return html[start : html.index("</nav>", start)]


def _top_labels(menu: str) -> list[str]:
    """The labels of the menu's top row: groups (summaries) and single links."""
    labels = re.findall(
        r'<(?:summary|a) class="site-nav__link[^"]*"[^>]*>([^<]+)', menu, flags=re.S
    )
    return [" ".join(label.split()) for label in labels]


def _hrefs(menu: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', menu)


@pytest.fixture
def person_of_role(geography: None, make_user: Callable[..., Any]) -> Callable[[str], Any]:
    def make(role: str) -> Any:
        if role == "anonymous":
            return None
        if role == "orgadmin":
            from hrnet.members.tests.factories import OrganisationFactory
            from hrnet.outreach.tests.factories import org_admin_of

            return org_admin_of(OrganisationFactory.create())
        if role == "sitestaff":
            from hrnet.outreach.tests.factories import SiteStaffFactory

            user = make_user(Role.SITESTAFF)
            SiteStaffFactory(user=user)
            return user
        if role == "documenter":
            # A documenter documents for the organisations they work at.
            from hrnet.members.tests.factories import AffiliationFactory, PersonFactory

            user = make_user(Role.DOCUMENTER)
            AffiliationFactory(person=PersonFactory(user=user, email=user.email))
            return user
        return make_user(role, is_staff=role == "secretariat")

    return make


@pytest.mark.parametrize("role", list(GROUPS_BY_ROLE))
def test_each_role_sees_its_groups_and_only_links_it_may_open(
    client: Any, person_of_role: Callable[[str], Any], role: str
) -> None:
    user = person_of_role(role)
    if user is not None:
        client.force_login(user)

    html = client.get("/en/news/").content.decode()
    menu = _menu(html)

    assert _top_labels(menu) == GROUPS_BY_ROLE[role]
    hrefs = _hrefs(menu)
    for url in SECRETARIAT_ONLY:
        assert (url in hrefs) == (role == "secretariat"), url
    assert ("/en/sites/" in hrefs) == (role in {"orgadmin", "sitestaff", "secretariat"})
    assert ("/en/rights/cases/" in hrefs) == (role in {"documenter", "secretariat"})
    # Governance (under "Network"): everyone, visitors for the published results.
    assert "/en/governance/" in hrefs
    # Every link in the menu opens for the person who sees it.
    for url in hrefs:
        assert client.get(url, follow=True).status_code == 200, url


@pytest.mark.parametrize("role", list(GROUPS_BY_ROLE))
def test_exactly_one_link_is_the_current_page(
    client: Any, person_of_role: Callable[[str], Any], role: str
) -> None:
    user = person_of_role(role)
    if user is not None:
        client.force_login(user)

    html = client.get("/en/news/").content.decode()

    assert html.count('aria-current="page"') == 1
    assert "aria-current=&quot;" not in html
    assert 'href="/en/news/" aria-current="page">News</a>' in _menu(html)


def test_a_page_marks_its_own_link_not_its_apps_list(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)

    html = client.get("/en/library/moderation/").content.decode()
    menu = _menu(html)

    assert html.count('aria-current="page"') == 1
    assert 'href="/en/library/moderation/" aria-current="page">Submitted resources</a>' in menu
    # The group holding the current page is marked too (visibly and for screen readers).
    assert re.search(
        r'<details class="nav-group is-current"[^>]*>\s*<summary class="site-nav__link">'
        r"News and library<span",
        menu,
    )
    assert menu.count("is-current") == 1


def test_a_page_inside_a_section_marks_the_sections_link(client: Any, geography: None) -> None:
    html = client.get("/en/countries/md/").content.decode()

    assert html.count('aria-current="page"') == 1
    assert 'href="/en/countries/" aria-current="page">Countries</a>' in _menu(html)


def test_the_home_page_marks_the_brand_and_nothing_else(client: Any, geography: None) -> None:
    html = client.get("/en/").content.decode()

    assert html.count('aria-current="page"') == 1
    assert 'href="/en/" aria-current="page" class="site-header__brand"' in html


def test_my_work_leads_a_signed_in_person_to_their_page(client: Any, member: Any) -> None:
    client.force_login(member)

    html = client.get("/en/accounts/profile/").content.decode()

    assert re.search(r'class="site-nav__link" href="/en/[^"]+" aria-current="page">My work', html)


def test_phones_get_one_menu_control_that_works_without_script(client: Any, db: None) -> None:
    html = client.get("/en/news/").content.decode()

    assert html.count("data-menu-toggle") == 1
    assert 'href="#site-menu" aria-controls="site-menu"' in html
    assert 'id="site-menu"' in html
    assert "Russian" not in _menu(html)  # the language switch is its own navigation


def test_the_menu_is_in_russian(client: Any, secretariat: Any) -> None:
    client.force_login(secretariat)

    menu = _menu(client.get("/ru/news/").content.decode())

    for label in ("Сеть", "Новости и библиотека", "Секретариат", "Моя работа"):
        assert label in menu
