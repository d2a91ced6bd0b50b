import io
import re

import pytest
from django.core.management import CommandError, call_command

from hrnet.accounts.models import User
from hrnet.geo.models import Country


def test_demo_no_serve_prepares_everything_and_can_run_twice(transactional_db, settings):
    settings.DEBUG = True
    first, second = io.StringIO(), io.StringIO()

    call_command("demo", "--no-serve", stdout=first)
    users_after_first_run = User.objects.count()
    call_command("demo", "--no-serve", stdout=second)

    assert Country.objects.count() == 29
    for role in ["secretariat", "orgadmin", "member", "expert", "sitestaff", "documenter"]:
        email = f"{role}@demo.example"
        assert email in second.getvalue()
        user = User.objects.get(email=email)
        assert user.check_password("hrnet-demo")
        assert user.groups.filter(name=role).exists()
    assert User.objects.count() == users_after_first_run  # the second run added nobody
    # Only the printed logins can sign in (the demo's extra participants have no password).
    assert sum(user.has_usable_password() for user in User.objects.all()) == 6


def test_every_printed_demo_login_signs_in_to_work_waiting(transactional_db, settings, client):
    settings.DEBUG = True
    stdout = io.StringIO()
    call_command("demo", "--no-serve", stdout=stdout)
    printed = re.findall(r"^\s+(\S+@demo\.example)\s", stdout.getvalue(), flags=re.MULTILINE)
    password = re.search(r"password: (\S+)\)", stdout.getvalue())

    assert len(printed) == 6
    assert password is not None
    for email in printed:
        response = client.post(
            "/en/accounts/login/", {"email": email, "password": password.group(1)}
        )
        assert response.status_code == 302, email
        assert client.get("/api/v1/me").json()["email"] == email
        # Each lands on a start page with something in at least two of its queues.
        waiting = [q["queue"] for q in client.get("/api/v1/me/work").json() if q["count"]]
        assert len(waiting) >= 2, (email, waiting)
        client.post("/en/accounts/logout/")


def test_demo_refuses_to_create_logins_with_debug_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert not User.objects.exists()


def test_housekeeping_purges_old_trash_and_old_failed_sign_ins(secretariat):
    from datetime import timedelta

    from django.utils import timezone

    from hrnet.accounts.models import Invitation, LoginFailure

    old = timezone.now() - timedelta(days=400)
    Invitation.all_objects.create(
        email="gone@example.org", role="member", token="t", expires_at=old, deleted_at=old
    )
    LoginFailure.objects.create(email="x@example.org", ip_address="198.51.100.7", created_at=old)
    LoginFailure.objects.create(email="y@example.org", ip_address="198.51.100.8")
    stdout = io.StringIO()

    call_command("housekeeping", stdout=stdout)

    assert not Invitation.all_objects.filter(email="gone@example.org").exists()
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["y@example.org"]
    assert "purged from the trash: 1" in stdout.getvalue()
