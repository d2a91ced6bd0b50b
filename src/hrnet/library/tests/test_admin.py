"""The library in the admin: the secretariat's only, asking the policy; saving re-indexes."""

from __future__ import annotations

import pytest

from hrnet.accounts.roles import Role
from hrnet.library.tests.factories import ResourceFactory, ResourceFileFactory
from hrnet.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("geography")


def test_the_secretariat_opens_the_library_admin_pages(client, secretariat):
    resource_file = ResourceFileFactory.create()
    client.force_login(secretariat)

    for url in [
        "/en/admin/library/resource/",
        f"/en/admin/library/resource/{resource_file.resource.pk}/change/",
        "/en/admin/library/resourcefile/",
        f"/en/admin/library/resourcefile/{resource_file.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url


def test_others_with_admin_access_do_not_see_the_library(client, make_user):
    ResourceFactory.create()
    client.force_login(make_user(Role.MEMBER, is_staff=True))

    assert client.get("/en/admin/library/resource/").status_code == 403


def test_saving_in_the_admin_updates_the_search_index(client, secretariat):
    resource = ResourceFactory.create(title="Before")
    client.force_login(secretariat)
    url = f"/en/admin/library/resource/{resource.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("issue_areas", "countries")
    }
    data.update(
        {
            "title": "After",
            "publication_date": "2024-05-01",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content[:2000]
    assert SearchEntry.objects.get(object_id=resource.pk).title == "After"
