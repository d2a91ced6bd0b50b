import pytest

from hrnet.accounts.models import LoginFailure
from hrnet.accounts.roles import Role
from hrnet.accounts.services import api_token_create
from hrnet.accounts.tests.factories import InvitationFactory
from hrnet.core.models import AuditEntry

ADMIN = "/en/admin/accounts/"


def test_secretariat_lists_people_with_their_roles(client, secretariat, make_user):
    make_user(Role.EXPERT, email="expert@example.org")
    client.force_login(secretariat)

    response = client.get(f"{ADMIN}user/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "expert@example.org" in content
    assert "expert" in content


def test_the_user_page_never_shows_the_password_hash(client, secretariat, member):
    client.force_login(secretariat)

    response = client.get(f"{ADMIN}user/{member.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert member.password not in content
    assert 'name="password"' not in content
    # The secretariat cannot hand out superuser status.
    assert 'name="is_superuser"' not in content


def test_editing_a_person_in_the_admin_is_audited(client, secretariat, member):
    client.force_login(secretariat)

    response = client.post(
        f"{ADMIN}user/{member.pk}/change/",
        {
            "email": member.email,
            "full_name": "Renamed",
            "preferred_language": "en",
            "time_zone": "UTC",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Renamed"
    assert AuditEntry.objects.filter(action="accounts.user.change", actor=secretariat).exists()


def test_people_are_not_added_in_the_admin_but_invited(client, secretariat):
    client.force_login(secretariat)

    assert client.get(f"{ADMIN}user/add/").status_code == 403


@pytest.mark.parametrize("model", ["user", "invitation", "apitoken", "loginfailure"])
def test_staff_without_the_secretariat_role_cannot_open_account_admin(client, make_user, model):
    client.force_login(make_user(Role.ORGADMIN, is_staff=True))

    assert client.get(f"{ADMIN}{model}/").status_code == 403


def test_tokens_show_no_secret_and_can_be_revoked(client, secretariat, member):
    token, key = api_token_create(user=member, name="script")
    client.force_login(secretariat)

    page = client.get(f"{ADMIN}apitoken/{token.pk}/change/").content.decode()
    assert key not in page
    assert token.key_hash not in page

    response = client.post(
        f"{ADMIN}apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.api_token.revoke", actor=secretariat).exists()


def test_invitations_and_failed_sign_ins_are_read_only(client, secretariat):
    invitation = InvitationFactory.create()
    failure = LoginFailure.objects.create(email="x@example.org", ip_address="10.0.0.1")
    client.force_login(secretariat)

    page = client.get(f"{ADMIN}invitation/{invitation.pk}/change/").content.decode()
    assert invitation.token not in page
    assert client.get(f"{ADMIN}loginfailure/").status_code == 200
    assert client.get(f"{ADMIN}loginfailure/add/").status_code == 403
    assert client.post(f"{ADMIN}loginfailure/{failure.pk}/delete/").status_code == 403
    assert LoginFailure.objects.filter(pk=failure.pk).exists()


def test_the_secretariat_cannot_change_a_superuser(client, secretariat, make_user):
    root = make_user(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(secretariat)

    response = client.post(
        f"{ADMIN}user/{root.pk}/change/",
        {"email": "mine@example.org", "preferred_language": "en", "time_zone": "UTC"},
    )

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_the_admin_signs_in_through_the_accounts_login(client, db):
    response = client.get("/en/admin/login/?next=/en/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2F"


def test_anonymous_admin_visits_end_on_the_accounts_login(client, db):
    response = client.get("/en/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    assert "Sign in" in response.content.decode()


def test_the_admin_password_form_is_the_accounts_one(client, secretariat):
    client.force_login(secretariat)

    response = client.get("/en/admin/password_change/")

    assert response["Location"] == "/en/accounts/password/"
