"""The permission matrix of requests for the pages and the API: requester (an admin of the
requesting organisation), another member, the assigned expert, another expert, the
secretariat, anonymous."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hrnet.assistance.models import RequestAttachment

WHO = ["requester", "member", "expert", "other_expert", "secretariat", "anonymous"]
DETAIL = {"requester": 200, "member": 403, "expert": 200, "other_expert": 403,
          "secretariat": 200, "anonymous": 302}  # fmt: skip
SECRETARIAT_PAGE = {"requester": 403, "member": 403, "expert": 403, "other_expert": 403,
                    "secretariat": 200, "anonymous": 302}  # fmt: skip
SEES_IN_LIST = {"requester": True, "member": False, "expert": True, "other_expert": False,
                "secretariat": True}  # fmt: skip


def _login(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])


@pytest.mark.parametrize("who", WHO)
def test_request_detail_matrix(client, people, assigned, who):
    _login(client, people, who)
    response = client.get(reverse("assistance:request_detail", args=[assigned.pk]))
    assert response.status_code == DETAIL[who]
    if who == "anonymous":
        assert "login" in response["Location"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    "name",
    [
        "assistance:queue",
        "assistance:reports",
        "assistance:expert_list",
        "assistance:request_export",
    ],
)
def test_secretariat_pages_matrix(client, people, assigned, who, name):
    _login(client, people, who)
    assert client.get(reverse(name)).status_code == SECRETARIAT_PAGE[who]


@pytest.mark.parametrize("who", WHO)
def test_assign_page_matrix(client, people, assigned, who):
    _login(client, people, who)
    response = client.get(reverse("assistance:request_assign", args=[assigned.pk]))
    assert response.status_code == SECRETARIAT_PAGE[who]


@pytest.mark.parametrize("who", [w for w in WHO if w != "anonymous"])
def test_lists_show_only_what_each_may_see(client, people, assigned, who):
    _login(client, people, who)
    body = client.get(reverse("assistance:my_requests")).content.decode()
    assert (assigned.title in body) is SEES_IN_LIST[who]
    api = client.get("/api/v1/assistance/requests").json()
    assert ([r["id"] for r in api] == [assigned.pk]) is SEES_IN_LIST[who]
    detail = client.get(f"/api/v1/assistance/requests/{assigned.pk}")
    assert detail.status_code == (200 if SEES_IN_LIST[who] else 404)


def test_anonymous_api_is_refused(client, assigned):
    assert client.get("/api/v1/assistance/requests").status_code == 401
    assert client.get(f"/api/v1/assistance/requests/{assigned.pk}").status_code == 401
    assert (
        client.post("/api/v1/assistance/requests", {}, content_type="application/json").status_code
        == 401
    )


@pytest.mark.parametrize("who", WHO)
def test_work_log_post_matrix(client, people, assigned, who):
    _login(client, people, who)
    url = reverse("assistance:worklog_add", args=[assigned.pk])
    response = client.post(url, {"date": "2020-01-02", "days": "1"})
    expected = {"anonymous": 302, "member": 403, "other_expert": 403, "requester": 302,
                "secretariat": 302, "expert": 302}  # fmt: skip
    assert response.status_code == expected[who]
    assert assigned.work_log.count() == (1 if who == "expert" else 0)


def test_attachment_download_asks_the_policy(client, people, assigned):
    attachment = RequestAttachment(
        request=assigned, original_name="a.pdf", content_type="application/pdf"
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    url = reverse("assistance:attachment_download", args=[attachment.pk])
    client.force_login(people["member"])
    assert client.get(url).status_code == 403
    client.force_login(people["requester"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
