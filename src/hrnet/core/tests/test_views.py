import pytest
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.core.audit import log_action
from hrnet.core.models import AuditEntry

NON_SECRETARIAT_ROLES = [r for r in Role if r != Role.SECRETARIAT]


def test_root_redirects_to_a_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_pages_carry_a_csp_without_inline_scripts(client, db):
    response = client.get("/en/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["core:audit_log", "core:trash", "core:job_list"])
def test_anonymous_request_to_a_member_only_page_redirects_to_login(client, db, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert response["Location"].endswith("?next=" + url)


@pytest.mark.parametrize("role", NON_SECRETARIAT_ROLES)
@pytest.mark.parametrize("url_name", ["core:audit_log", "core:trash"])
def test_only_the_secretariat_reads_audit_log_and_trash(client, make_user, role, url_name):
    client.force_login(make_user(role))

    assert client.get(reverse(url_name)).status_code == 403


def test_secretariat_reads_and_filters_the_audit_log(client, secretariat, member):
    log_action(actor=member, action="accounts.account.login", obj=member)
    log_action(actor=secretariat, action="accounts.invitation.create", obj=member)
    client.force_login(secretariat)

    response = client.get(reverse("core:audit_log"), {"action": "accounts.account."})

    content = response.content.decode()
    assert response.status_code == 200
    assert "accounts.account.login" in content
    assert "accounts.invitation.create" not in content


def test_audit_entry_records_ip_and_changes(rf, member):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")

    log_action(
        actor=member,
        action="accounts.profile.change",
        obj=member,
        request=request,
        changes={"time_zone": {"old": "UTC", "new": "Asia/Almaty"}},
    )

    entry = AuditEntry.objects.get()
    assert entry.ip_address == "203.0.113.9"
    assert entry.actor_repr == member.email
    assert entry.changes == {"time_zone": {"old": "UTC", "new": "Asia/Almaty"}}
    assert entry.object_id == str(member.pk)


def test_not_found_page_is_translated_and_uses_the_layout(client, db):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()
