"""The client search shows each client's latest contact as "Last contact", and the UIC merge
lets the worker choose which of the two records is kept."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

from hrnet.outreach.models import Client, Contact
from hrnet.outreach.tests.factories import ContactFactory
from hrnet.outreach.tests.test_client_views import browser, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_search_shows_the_latest_contact(people):  # noqa: F811
    client = people["client"]
    client.first_contact_on = datetime.date(2025, 3, 10)
    client.save(update_fields=["first_contact_on"])
    ContactFactory.create(client=client, site=people["site"], date=datetime.date(2025, 11, 4))
    http = browser(people["worker"])

    with translation.override("en"):
        page = http.post(reverse("outreach:client_list"), {"uic": "M1985ANIV"}).content.decode()
        latest = formats.date_format(datetime.date(2025, 11, 4), "SHORT_DATE_FORMAT")
        first = formats.date_format(datetime.date(2025, 3, 10), "SHORT_DATE_FORMAT")

    assert "Last contact" in page
    assert f"<td>{latest}</td>" in page
    assert f"<td>{first}</td>" not in page


def test_the_worker_keeps_the_other_record(people):  # noqa: F811
    http = browser(people["manager"])
    page = http.get(reverse("outreach:client_detail", args=[people["client"].pk])).content
    assert "Keep M1985IVAN" in page.decode()

    response = http.post(
        reverse("outreach:client_merge", args=[people["client"].pk]),
        {"other": people["duplicate"].pk, "keep": "other", "reason": "Code typed wrongly"},
    )

    kept, merged = people["duplicate"], people["client"]
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:client_detail", args=[kept.pk])
    merged.refresh_from_db()
    assert merged.merged_into_id == kept.pk
    assert Client.objects.get(pk=kept.pk).merged_into_id is None
    assert Contact.objects.filter(client=kept).count() == 1  # the contact moved
    followed = http.get(reverse("outreach:client_detail", args=[merged.pk]))
    assert followed["Location"] == reverse("outreach:client_detail", args=[kept.pk])


def test_this_record_is_kept_unless_told(people):  # noqa: F811
    http = browser(people["manager"])

    http.post(
        reverse("outreach:client_merge", args=[people["client"].pk]),
        {"other": people["duplicate"].pk, "reason": "Parents swapped"},
    )

    people["duplicate"].refresh_from_db()
    assert people["duplicate"].merged_into_id == people["client"].pk


def test_a_refused_merge_keeps_the_choice(people):  # noqa: F811
    http = browser(people["manager"])

    response = http.post(
        reverse("outreach:client_merge", args=[people["client"].pk]),
        {"other": people["duplicate"].pk, "keep": "other", "reason": ""},
    )

    assert response.status_code == 400
    assert 'value="other" checked' in response.content.decode()


def test_the_choice_is_in_russian(people):  # noqa: F811
    http = browser(people["manager"])
    with translation.override("ru"):
        url = reverse("outreach:client_detail", args=[people["client"].pk])

    page = http.get(url).content.decode()

    assert "Какая запись остаётся?" in page
    assert "Оставить M1985IVAN" in page
