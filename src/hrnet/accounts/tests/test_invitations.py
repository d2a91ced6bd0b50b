import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrnet.accounts.models import Invitation, User
from hrnet.accounts.roles import Role
from hrnet.accounts.tests.conftest import found
from hrnet.accounts.tests.factories import InvitationFactory
from hrnet.core.models import AuditEntry

LIST = "/en/accounts/invitations/"
CREATE = "/en/accounts/invitations/new/"


def _accept_url(invitation):
    return f"/en/accounts/invite/{invitation.token}/"


# --- who may manage invitations -------------------------------------------------------

ACTIONS = [
    ("get", lambda invitation: LIST),
    ("get", lambda invitation: CREATE),
    ("post", lambda invitation: f"/en/accounts/invitations/{invitation.pk}/resend/"),
    ("post", lambda invitation: f"/en/accounts/invitations/{invitation.pk}/delete/"),
]
ROLES = [None, *Role.values]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), ACTIONS)
def test_only_the_secretariat_manages_invitations(client, make_user, role, method, url):
    invitation = InvitationFactory.create()
    if role is not None:
        client.force_login(make_user(role))

    response = getattr(client, method)(url(invitation))

    if role is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")
    elif role == Role.SECRETARIAT:
        assert response.status_code in {200, 302}
        if method == "post":
            assert response["Location"] == LIST
    else:
        assert response.status_code == 403
        invitation.refresh_from_db()
        assert invitation.deleted_at is None
        assert len(mail.outbox) == 0


# --- the secretariat's pages ----------------------------------------------------------


def test_inviting_someone_emails_them_and_lists_the_invitation(client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        CREATE,
        {"email": "olga@example.org", "full_name": "Olga", "role": "expert", "language": "ru"},
    )

    assert response["Location"] == LIST
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.language, invitation.invited_by) == (
        "expert",
        "ru",
        secretariat,
    )
    [message] = mail.outbox
    assert message.to == ["olga@example.org"]
    assert f"/ru/accounts/invite/{invitation.token}/" in str(message.body)
    page = client.get(LIST).content.decode()
    assert "An invitation was sent to olga@example.org." in page
    assert "olga@example.org" in page
    assert "Technical-assistance expert" in page
    assert "Open" in page


def test_inviting_an_existing_account_shows_an_error_naming_the_email(client, secretariat, member):
    client.force_login(secretariat)

    response = client.post(
        CREATE, {"email": member.email.upper(), "full_name": "", "role": "member", "language": "en"}
    )

    assert response.status_code == 200
    assert f"{member.email} already has an account." in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_list_shows_open_accepted_and_expired(client, secretariat):
    InvitationFactory.create(email="open@example.org")
    InvitationFactory.create(email="used@example.org", accepted_at=timezone.now())
    InvitationFactory.create(
        email="late@example.org", expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(secretariat)

    content = client.get(LIST).content.decode()

    for email, status in [
        ("open@example.org", "Open"),
        ("used@example.org", "Accepted"),
        ("late@example.org", "Expired"),
    ]:
        row = found(rf"<tr>\s*<td>{re.escape(email)}</td>.*?</tr>", content, 0, re.S)
        assert status in row


def test_the_list_takes_the_same_number_of_queries_however_long(client, secretariat):
    client.force_login(secretariat)
    counts = []
    for batch in (1, 10):
        InvitationFactory.create_batch(batch)
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_resending_sends_a_new_link(client, secretariat):
    invitation = InvitationFactory.create(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(secretariat)

    client.post(f"/en/accounts/invitations/{invitation.pk}/resend/")

    invitation.refresh_from_db()
    assert invitation.is_open
    [message] = mail.outbox
    assert invitation.token in str(message.body)


def test_deleting_withdraws_the_link(client, secretariat):
    invitation = InvitationFactory.create()
    client.force_login(secretariat)

    response = client.post(f"/en/accounts/invitations/{invitation.pk}/delete/", follow=True)

    content = response.content.decode()
    assert f"The invitation for {invitation.email} was withdrawn and moved to the trash." in content
    assert "No invitations yet." in content
    client.logout()
    response = client.get(_accept_url(invitation))
    assert response.status_code == 410
    assert "has been withdrawn" in response.content.decode()


# --- accepting ------------------------------------------------------------------------


def test_the_accept_page_says_who_invited_and_to_which_role(client, make_user):
    inviter = make_user(Role.SECRETARIAT, full_name="Irina")
    invitation = InvitationFactory.create(
        role=Role.DOCUMENTER, invited_by=inviter, full_name="Olga"
    )

    response = client.get(_accept_url(invitation))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Irina invited you to join" in content
    assert "Rights documenter" in content
    assert 'value="Olga"' in content
    assert '<label for="id_password1">' in content


def test_a_weak_password_is_refused_and_the_name_kept(client, db):
    invitation = InvitationFactory.create(email="olga@example.org")

    response = client.post(
        _accept_url(invitation),
        {"full_name": "Olga Petrova", "password1": "12345678", "password2": "12345678"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in content
    assert "This password is entirely numeric." in content
    assert 'value="Olga Petrova"' in content
    assert not User.objects.filter(email="olga@example.org").exists()


def test_mismatched_passwords_are_refused(client, db):
    invitation = InvitationFactory.create()

    response = client.post(
        _accept_url(invitation),
        {"full_name": "Olga", "password1": "s3cret-enough!", "password2": "s3cret-enough?"},
    )

    assert "The two passwords are not the same." in response.content.decode()


def test_accepting_creates_the_account_and_signs_in(client, db):
    invitation = InvitationFactory.create(email="olga@example.org", role=Role.EXPERT, language="ru")

    response = client.post(
        _accept_url(invitation),
        {"full_name": "Olga", "password1": "s3cret-enough!", "password2": "s3cret-enough!"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/ru/me/"
    user = User.objects.get(email="olga@example.org")
    assert user.preferred_language == "ru"
    assert user.groups.filter(name="expert").exists()
    assert client.get("/ru/accounts/profile/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.invitation.accept", actor=user).exists()
    assert AuditEntry.objects.filter(action="accounts.account.login", actor=user).exists()

    # The link works once.
    client.post("/ru/accounts/logout/")
    response = client.get(_accept_url(invitation))
    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()


def test_an_expired_link_gets_a_clear_page(client, db):
    invitation = InvitationFactory.create(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(_accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()

    response = client.post(
        _accept_url(invitation),
        {"full_name": "Olga", "password1": "s3cret-enough!", "password2": "s3cret-enough!"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_an_unknown_link_is_404_with_a_clear_page(client, db):
    response = client.get("/en/accounts/invite/not-a-real-token/")

    assert response.status_code == 404
    assert "We do not know this invitation link." in response.content.decode()


def test_an_account_created_meanwhile_is_reported_on_accept(client, make_user):
    invitation = InvitationFactory.create(email="olga@example.org")
    make_user(email="olga@example.org")

    response = client.post(
        _accept_url(invitation),
        {"full_name": "Olga", "password1": "s3cret-enough!", "password2": "s3cret-enough!"},
    )

    assert "olga@example.org already has an account. Sign in instead." in (
        response.content.decode()
    )


def test_the_intake_reviewer_role_is_never_given_by_invitation(client, secretariat):
    from django.core.exceptions import ValidationError

    from hrnet.accounts.services import invitation_create

    client.force_login(secretariat)

    form = client.get("/en/accounts/invitations/new/").content.decode()
    with pytest.raises(ValidationError):
        invitation_create(email="new@example.org", role="intake_reviewer", invited_by=secretariat)

    assert 'value="intake_reviewer"' not in form
    assert 'value="member"' in form
