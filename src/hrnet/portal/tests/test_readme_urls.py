"""Every address the README and the docs name answers: a newcomer who types one from the
documentation never meets a 404."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hrnet.geo.models import SubRegion
from hrnet.outreach.tests.factories import SiteStaffFactory
from hrnet.rights.tests.factories import documenter_of

ROOT = Path(__file__).resolve().parents[4]
ADDRESS = re.compile(r"(?<![\w.])/(?:en|ru)/[A-Za-z0-9_/<>.-]*")


def _documented_addresses() -> list[str]:
    found: set[str] = set()
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        found.update(m.rstrip(".") for m in ADDRESS.findall(doc.read_text(encoding="utf-8")))
    return sorted(found)


def test_the_docs_name_addresses():
    assert "/en/members/" in _documented_addresses()


@pytest.mark.parametrize("address", _documented_addresses())
def test_every_documented_address_answers(address, client, geography, secretariat):
    # given: the person each address is written for (the secretariat unless it is a site's
    # worker or a rights documenter's page)
    worker = SiteStaffFactory.create()
    subregion = SubRegion.objects.order_by("position", "code").first()
    assert subregion is not None
    path = address.replace("<code>", subregion.code).replace("<id>", str(worker.site_id))
    if "/sites/" in path and path.endswith("/entry/"):
        client.force_login(worker.user)
    elif "/rights/" in path:
        client.force_login(documenter_of(worker.site.organisation))
    else:
        client.force_login(secretariat)

    response = client.get(path, follow=True)

    assert response.status_code == 200, f"{path} answered {response.status_code}"


def test_the_rights_address_sends_a_visitor_to_the_report_form(client, geography):
    response = client.get("/en/rights/")

    assert response.status_code == 302
    assert response["Location"] == "/en/rights/report/"
