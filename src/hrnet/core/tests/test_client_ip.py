"""The client's address behind trusted proxies (HRNET_TRUSTED_PROXIES): what throttles and
the audit log key on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from hrnet.core.audit import client_ip
from hrnet.core.throttle import address_key


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


def test_without_trusted_proxies_the_socket_address_is_the_client(settings):
    settings.HRNET_TRUSTED_PROXIES = []

    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1"]

    assert _ip("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert address_key(RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.2")) is not None


def test_a_forged_entry_left_of_the_proxys_own_is_not_believed(settings):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1"]

    # The client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the address it saw.
    assert _ip("127.0.0.1", "1.1.1.1, 198.51.100.1") == "198.51.100.1"


def test_a_client_not_behind_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.HRNET_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert _ip("203.0.113.7", "10.1.1.1, 198.51.100.1") == "203.0.113.7"


def test_several_trusted_proxies_and_networks_are_skipped_from_the_right(settings):
    settings.HRNET_TRUSTED_PROXIES = ["10.0.0.0/8", " 192.0.2.5 ", "2001:db8::/32"]

    assert _ip("10.0.0.2", "1.1.1.1, 198.51.100.1, 192.0.2.5, 10.9.9.9") == "198.51.100.1"
    assert _ip("2001:db8::1", "2001:db8::2, 2a00:1450::1") == "2a00:1450::1"


def test_ports_brackets_and_mapped_addresses_are_read(settings):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1"]

    assert _ip("::ffff:127.0.0.1", "198.51.100.1:53211") == "198.51.100.1"
    assert _ip("127.0.0.1", "[2a00:1450::1]:443") == "2a00:1450::1"
    assert _ip("127.0.0.1", "::ffff:198.51.100.9") == "198.51.100.9"


@pytest.mark.parametrize("forwarded", ["unknown", "198.51.100.1, not-an-address", "300.1.1.1"])
def test_an_unreadable_entry_falls_back_to_the_socket_address(settings, forwarded):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1"]

    assert _ip("127.0.0.1", forwarded) == "127.0.0.1"


def test_only_trusted_hops_mean_the_leftmost_began_the_request(settings):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]

    assert _ip("127.0.0.1") == "127.0.0.1"
    assert _ip("127.0.0.1", "") == "127.0.0.1"
    assert _ip("127.0.0.1", "10.0.0.3, 10.0.0.4") == "10.0.0.3"


def test_an_unreadable_socket_address_is_unknown(settings):
    settings.HRNET_TRUSTED_PROXIES = []

    assert _ip("") is None
    assert _ip("garbage") is None
    assert client_ip(None) is None


def test_a_bad_trusted_proxy_entry_is_named(settings):
    settings.HRNET_TRUSTED_PROXIES = ["127.0.0.1", "nginx.local"]

    with pytest.raises(ImproperlyConfigured, match=r"nginx\.local"):
        _ip("127.0.0.1", "198.51.100.1")
