"""Sub-region pages: map, countries, members and what the modules know; links between the
country list, country pages, sub-regions and evidence profiles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hrnet.geo.models import Country
from hrnet.members.models import Membership
from hrnet.members.tests.factories import MembershipFactory, OrganisationFactory
from hrnet.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.usefixtures("geography")


def _member(
    name: str, iso2: str, status: str = Membership.Status.ACTIVE, *, is_public: bool = True
) -> Any:
    organisation = OrganisationFactory.create(
        names={"en": name, "ru": name}, country=Country.objects.get(iso2=iso2), is_public=is_public
    )
    MembershipFactory.create(organisation=organisation, status=status)
    return organisation


def test_the_subregion_page_shows_its_countries_members_and_map(client: Any) -> None:
    _member("Baltic Harm Reduction", "LV")
    _member("Kyiv Peers", "UA")
    organisation_outside = "Kyiv Peers"

    response = client.get("/en/countries/subregions/baltic/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Baltic countries" in html
    for name in ("Estonia", "Latvia", "Lithuania"):
        assert name in html
    assert "Baltic Harm Reduction" in html
    assert organisation_outside not in html
    assert "<svg" in html
    # Each country of the sub-region links to its page and its evidence profile.
    assert 'href="/en/countries/ee/"' in html
    assert 'href="/en/evidence/countries/lv/"' in html
    assert 'href="/en/countries/ua/"' not in html


def test_the_subregion_page_in_russian(client: Any) -> None:
    _member("Балтийская сеть", "EE")

    html = client.get("/ru/countries/subregions/BALTIC/").content.decode()

    assert "Страны Балтии" in html
    assert "Эстония" in html
    assert "Балтийская сеть" in html
    assert 'href="/ru/countries/lt/"' in html


def test_only_what_the_public_directory_shows(client: Any) -> None:
    _member("Applicant Not Yet Member", "LT", status=Membership.Status.PENDING)
    _member("Unlisted Member", "LT", is_public=False)

    html = client.get("/en/countries/subregions/baltic/").content.decode()

    assert "Applicant Not Yet Member" not in html
    assert "Unlisted Member" not in html


def test_published_news_about_its_countries_are_counted(client: Any) -> None:
    baltic = ArticleFactory.create()
    baltic.countries.set([Country.objects.get(iso2="EE")])
    draft = ArticleFactory.create(published_at=None)
    draft.countries.set([Country.objects.get(iso2="EE")])
    later = ArticleFactory.create(published_at=timezone.now() + timedelta(days=3))
    later.countries.set([Country.objects.get(iso2="LV")])
    elsewhere = ArticleFactory.create()
    elsewhere.countries.set([Country.objects.get(iso2="UA")])

    response = client.get("/en/countries/subregions/baltic/")

    counts = {str(item.label): item.count for item in response.context["module_counts"]}
    assert counts == {"News": 1, "Library resources": 0, "Events": 0, "Advocacy campaigns": 0}


def test_an_unknown_subregion_is_not_found(client: Any) -> None:
    assert client.get("/en/countries/subregions/atlantis/").status_code == 404


def test_the_country_page_links_to_its_subregion_and_evidence(client: Any) -> None:
    html = client.get("/en/countries/md/").content.decode()

    assert 'href="/en/countries/subregions/' in html
    assert 'href="/en/evidence/countries/md/"' in html


def test_the_country_list_lists_the_subregions(client: Any) -> None:
    html = client.get("/ru/countries/").content.decode()

    assert 'href="/ru/countries/subregions/baltic/"' in html
    assert "Страны Балтии" in html
