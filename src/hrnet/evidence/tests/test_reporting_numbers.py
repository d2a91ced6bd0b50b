"""Reporting forms take counts as whole numbers, and a wrong number gets one error quoting it
as the user typed it."""

import pytest
from django.utils import translation

from hrnet.evidence.models import DataValue
from hrnet.evidence.tests.test_reporting import client_for, entry_url, world  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalogue")


def test_fractional_people_are_refused(world):  # noqa: F811
    client = client_for(world.people["worker"])

    response = client.post(entry_url(world), {"PWID_REACHED": "270.5"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "is a count: 270.5 is not a whole number." in page
    assert not DataValue.objects.filter(site=world.site).exists()


def test_whole_people_written_with_zero_decimals_are_kept(world):  # noqa: F811
    client = client_for(world.people["worker"])

    response = client.post(entry_url(world), {"PWID_REACHED": "270,0"})

    assert response.status_code == 302
    assert DataValue.objects.get(site=world.site, indicator__code="PWID_REACHED").value == 270


def test_negative_value_gives_one_error_with_the_number_as_typed(world):  # noqa: F811
    client = client_for(world.people["worker"])

    response = client.post(entry_url(world), {"PWID_REACHED": "-5"})

    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("cannot be negative") == 1
    assert "cannot be negative: -5." in page
    assert "-5.0000" not in page
    assert "below the minimum" not in page


def test_russian_error(world):  # noqa: F811
    client = client_for(world.people["worker"])

    with translation.override("ru"):
        url = entry_url(world)

    response = client.post(url, {"PWID_REACHED": "270.5"})

    assert "не целое число" in response.content.decode()
