"""The site page leads its staff to recording a contact and to the clients; nobody else
gets those links."""

import pytest

from hrnet.outreach.tests.factories import SiteFactory, SiteStaffFactory, org_admin_of

pytestmark = pytest.mark.django_db


def test_a_worker_is_led_to_the_entry_page_and_an_admin_is_not(client, geography):
    site = SiteFactory.create()
    worker = SiteStaffFactory.create(site=site).user
    admin = org_admin_of(site.organisation)

    client.force_login(worker)
    page = client.get(f"/en/sites/{site.pk}/").content.decode()
    assert f"/en/sites/{site.pk}/entry/" in page
    assert "/en/sites/clients/" in page

    client.force_login(admin)
    page = client.get(f"/en/sites/{site.pk}/").content.decode()
    assert f"/en/sites/{site.pk}/entry/" not in page
    assert "/en/sites/clients/" not in page
