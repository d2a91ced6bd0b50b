from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import translation

from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import AffiliationFactory, PersonFactory, country
from hrnet.outreach.tests.factories import SiteFactory

pytestmark = pytest.mark.usefixtures("catalogue")


def write(catalogue, code, iso2, period, value, site=None, kind="year"):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                site=site,
                period=period,
                period_kind=kind,
                source="programme data" if site else "UNAIDS GAM",
                value=Decimal(value),
            )
        ],
        actor=None,
    )


def many_values(catalogue):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue[code],
                country=country(iso2),
                period=str(year),
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(value),
            )
            for iso2 in ("MD", "GE", "UA", "KZ", "AM", "KG")
            for year in range(2015, 2020)
            for code, value in (
                ("PWID_SIZE_ESTIMATE", 10000),
                ("NS_DISTRIBUTED", 1500000),
                ("OST_CLIENTS", 1000),
                ("PWID_LIVING_WITH_HIV", 2000),
                ("PWID_ON_ART", 1000),
                ("HCV_AB_TESTED", 800),
                ("HCV_AB_POSITIVE", 400),
            )
        ],
        actor=None,
    )


def test_overview_shows_the_map_and_table_with_bands(client: Client, catalogue):
    write(catalogue, "NSP_COVERAGE", "MD", "2019", "250")
    write(catalogue, "NSP_COVERAGE", "GE", "2019", "50")

    response = client.get("/en/evidence/?indicator=NSP_COVERAGE&year=2019")

    assert response.status_code == 200
    content = response.content.decode()
    svg = content[content.index("<svg") : content.index("</svg>") + 6]
    ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert "Moldova: 250, High" in content
    assert "Georgia: 50, Low" in content
    assert '<span class="band band--high">High</span>' in content
    assert "Data table" in content
    assert 'href="/en/evidence/countries/MD/"' in content


def test_overview_in_russian(client: Client, catalogue):
    write(catalogue, "NSP_COVERAGE", "MD", "2019", "250")

    with translation.override("ru"):
        response = client.get("/ru/evidence/?indicator=NSP_COVERAGE&year=2019")

    assert response.status_code == 200
    assert "Молдова" in response.content.decode()


def test_overview_htmx_returns_the_results_only(client: Client, catalogue):
    response = client.get("/en/evidence/?year=2019", headers={"HX-Request": "true"})

    content = response.content.decode()
    assert "<svg" in content
    assert "<html" not in content


def test_overview_queries_do_not_grow_with_countries(
    client: Client, catalogue, django_assert_max_num_queries
):
    many_values(catalogue)

    with django_assert_max_num_queries(6):
        response = client.get("/en/evidence/?year=2019")

    assert response.content.decode().count("band band--medium") >= 6


def test_private_indicator_is_hidden_from_anonymous(client: Client, catalogue, member):
    catalogue["OST_CLIENTS"].is_public = False
    catalogue["OST_CLIENTS"].save()
    write(catalogue, "OST_CLIENTS", "MD", "2019", "1234")

    anonymous = client.get("/en/evidence/?indicator=OST_CLIENTS&columns=OST_CLIENTS&year=2019")
    csv = client.get("/en/evidence/charts/table.csv?columns=OST_CLIENTS&year=2019")
    client.force_login(member)
    members = client.get("/en/evidence/?indicator=OST_CLIENTS&columns=OST_CLIENTS&year=2019")

    assert "1,234" not in anonymous.content.decode()
    assert "People receiving opioid agonist" not in anonymous.content.decode()
    assert "1,234" not in csv.content.decode()
    assert "1,234" in members.content.decode()


def test_map_csv_holds_what_the_map_shows(client: Client, catalogue):
    write(catalogue, "NSP_COVERAGE", "MD", "2019", "250")

    response = client.get("/en/evidence/charts/map.csv?indicator=NSP_COVERAGE&year=2019")

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()  # a BOM, as every export
    assert lines[0] == "Country,Value,Band,Source,Year,Origin"
    assert "Moldova,250,High,UNAIDS Global AIDS Monitoring,2019,as reported by the source" in lines


def test_country_profile_shows_figures_charts_and_cascade(
    client: Client, catalogue, django_assert_max_num_queries
):
    many_values(catalogue)

    with django_assert_max_num_queries(10):
        response = client.get("/en/evidence/countries/md/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Moldova: harm reduction profile" in content
    assert "HIV prevalence among people who inject drugs" in content
    assert "20%" in content  # 2000 of 10000, computed here
    assert '<span class="band band--medium">Medium</span>' in content  # 150 syringes
    assert "Hepatitis C care cascade, 2019" in content
    assert "400 (50% of the step before)" in content
    # coverage, syringes, PWID trends; cascade: each laid out wide and for phones
    assert content.count('role="img"') == 8
    for chunk in content.split("<svg")[1:]:
        ElementTree.fromstring("<svg" + chunk[: chunk.index("</svg>") + 6])  # noqa: S314


def test_country_profile_in_russian(client: Client, catalogue):
    many_values(catalogue)

    with translation.override("ru"):
        response = client.get("/ru/evidence/countries/MD/")

    assert response.status_code == 200
    assert "Молдова" in response.content.decode()


def test_unknown_country_is_not_found(client: Client):
    assert client.get("/en/evidence/countries/ZZ/").status_code == 404
    assert client.get("/en/evidence/charts/cascade.csv").status_code == 404


def test_small_site_values_never_reach_the_public(client: Client, catalogue, make_user):
    site = SiteFactory(country=country("MD"), name="Balti drop-in")
    write(catalogue, "OST_CLIENTS", "MD", "2024-03", "3", site=site, kind="month")
    write(catalogue, "PWID_REACHED", "MD", "2024-03", "120", site=site, kind="month")
    admin = make_user("orgadmin")
    AffiliationFactory(
        person=PersonFactory(user=admin), organisation=site.organisation, is_admin=True
    )

    page = client.get("/en/evidence/countries/MD/").content.decode()
    csv = client.get("/en/evidence/charts/sites.csv?country=MD").content.decode()
    client.force_login(admin)
    own_page = client.get("/en/evidence/countries/MD/").content.decode()
    own_csv = client.get("/en/evidence/charts/sites.csv?country=MD").content.decode()

    assert "Balti drop-in" in page
    assert "&lt;5</abbr>" in page
    assert ">3<" not in page
    assert "Opioid agonist therapy,2024-03,<5" in csv.replace(
        "People receiving opioid agonist (substitution) therapy on a given date",
        "Opioid agonist therapy",
    )
    assert ",3\r\n" not in csv
    assert "<td>3</td>" in own_page
    assert ",3\r\n" in own_csv
