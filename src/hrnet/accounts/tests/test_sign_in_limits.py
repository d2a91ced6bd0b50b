"""Sign-in failures counted per account and per address apart, with the client's address
read behind the trusted proxy (issue 21: one address behind nginx was everybody)."""

from __future__ import annotations

import pytest

from hrnet.accounts.models import LoginFailure
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.models import AuditEntry

LOGIN = "/en/accounts/login/"


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.HRNET_LOGIN_MAX_FAILURES = 5
    settings.HRNET_LOGIN_MAX_FAILURES_PER_ADDRESS = 30


def _sign_in(client, email, password, address="198.51.100.7"):
    # The test client's socket address is 127.0.0.1: the trusted proxy.
    return client.post(LOGIN, {"email": email, "password": password}, HTTP_X_FORWARDED_FOR=address)


def test_locking_one_account_does_not_lock_another_from_the_same_address(client, make_user):
    # given
    ana = make_user(email="ana@example.org")
    bob = make_user(email="bob@example.org")
    for _attempt in range(20):
        _sign_in(client, ana.email, "wrong")

    # when
    ana_answer = _sign_in(client, ana.email, PASSWORD)
    bob_answer = _sign_in(client, bob.email, PASSWORD)

    # then
    assert ana_answer.status_code == 429
    assert "Too many failed sign-in attempts" in ana_answer.content.decode()
    assert bob_answer.status_code == 302


def test_the_locked_account_stays_locked_from_another_address(client, make_user):
    ana = make_user(email="ana@example.org")
    for _attempt in range(5):
        _sign_in(client, ana.email, "wrong")

    assert _sign_in(client, ana.email, PASSWORD, address="203.0.113.9").status_code == 429


def test_many_accounts_tried_from_one_address_lock_that_address_only(client, make_user):
    carol = make_user(email="carol@example.org")
    for number in range(30):
        _sign_in(client, f"guess{number}@example.org", "wrong")

    assert _sign_in(client, carol.email, PASSWORD).status_code == 429
    assert _sign_in(client, carol.email, PASSWORD, address="203.0.113.9").status_code == 302


def test_failures_and_the_audit_log_hold_the_forwarded_address(client, make_user):
    ana = make_user(email="ana@example.org")

    _sign_in(client, ana.email, "wrong", address="1.1.1.1, 198.51.100.7")
    _sign_in(client, ana.email, PASSWORD)

    assert list(LoginFailure.objects.values_list("ip_address", flat=True)) == []  # cleared
    entry = AuditEntry.objects.get(action="accounts.account.login")
    assert entry.ip_address == "198.51.100.7"


def test_a_failure_is_recorded_with_the_address_behind_the_proxy(client, make_user):
    make_user(email="ana@example.org")

    _sign_in(client, "ana@example.org", "wrong", address="1.1.1.1, 198.51.100.7")

    assert list(LoginFailure.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]
