from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.usefixtures("catalogue")


def test_indicator_list_shows_bands(client: Client):
    response = client.get("/en/evidence/indicators/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Needles and syringes distributed per person who injects drugs per year" in content
    assert "<td>100</td>" in content
    assert "<td>200</td>" in content


def test_indicator_list_in_russian(client: Client):
    with translation.override("ru"):
        response = client.get("/ru/evidence/indicators/")

    assert "Получатели ОЗТ на 100 ЛУИН" in response.content.decode()


def test_indicator_page_queries_do_not_grow_with_values(
    client: Client, catalogue, django_assert_max_num_queries
):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue["NSP_COVERAGE"],
                country=country(iso2),
                period=str(year),
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(year - 1900),
            )
            for iso2 in ("MD", "GE", "UA", "KZ")
            for year in range(2010, 2020)
        ],
        actor=None,
    )

    with django_assert_max_num_queries(8):
        response = client.get("/en/evidence/indicators/NSP_COVERAGE/")

    assert response.content.decode().count("UNAIDS Global AIDS Monitoring</td>") == 40


def test_indicator_page_shows_values_with_the_band_in_words(client: Client, catalogue):
    data_values_write(
        values=[
            ValueIn(
                indicator=catalogue["OST_COVERAGE"],
                country=country("MD"),
                period="2019",
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal("12.5"),
            )
        ],
        actor=None,
    )

    response = client.get("/en/evidence/indicators/OST_COVERAGE/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Moldova" in content
    assert "12.5" in content
    assert "<td>Low</td>" in content


def test_hidden_indicator_page_is_not_found_for_anonymous(client: Client, catalogue, member):
    catalogue["OST_CLIENTS"].is_public = False
    catalogue["OST_CLIENTS"].save()

    assert client.get("/en/evidence/indicators/OST_CLIENTS/").status_code == 404
    client.force_login(member)
    assert client.get("/en/evidence/indicators/OST_CLIENTS/").status_code == 200


def test_unknown_indicator_is_not_found(client: Client):
    assert client.get("/en/evidence/indicators/NOPE/").status_code == 404
