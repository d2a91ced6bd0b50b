"""Signed links for guests (registrations without an account): confirm the address, answer
an offered seat, cancel, download the .ics. Each purpose signs with its own salt, so a
link for one cannot be replayed for another; the token carries a hash of the guest's
address, so an erased registration (whose address is gone) answers no old link."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from hrnet.core.links import site_url
from hrnet.events.models import Registration

# purpose -> (salt, how long a link works; None: as long as the registration lives)
PURPOSES: dict[str, tuple[str, timedelta | None]] = {
    "confirm": ("hrnet.events.guest.confirm", timedelta(days=7)),
    "offer": ("hrnet.events.guest.offer", timedelta(days=60)),
    "cancel": ("hrnet.events.guest.cancel", None),
    "ics": ("hrnet.events.guest.ics", None),
}
URL_NAMES = {
    "confirm": "events:guest_confirm",
    "offer": "events:guest_offer",
    "cancel": "events:guest_cancel",
    "ics": "events:guest_ics",
}


class GuestLinkInvalid(Exception):
    """The link was altered, has expired or no longer names a registration."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.expired = expired


def _address_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def guest_token(registration: Registration, purpose: str) -> str:
    salt, _age = PURPOSES[purpose]
    return signing.dumps(
        {"r": registration.pk, "a": _address_hash(registration.guest_email)}, salt=salt
    )


def guest_url(registration: Registration, purpose: str) -> str:
    """The absolute link (for emails) to the guest page for `purpose`."""
    return site_url(reverse(URL_NAMES[purpose], args=[guest_token(registration, purpose)]))


def guest_registration(token: str, purpose: str) -> Registration:
    """The guest registration a link names; raises GuestLinkInvalid."""
    salt, max_age = PURPOSES[purpose]
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise GuestLinkInvalid(
            _("This link has expired. Register again on the event’s page."), expired=True
        ) from exc
    except signing.BadSignature as exc:
        raise GuestLinkInvalid(
            _("This link is not valid. Copy the whole link from the email.")
        ) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise GuestLinkInvalid(_("This link is not valid. Copy the whole link from the email."))
    registration = (
        Registration.objects.select_related("event", "country")
        .filter(pk=payload["r"], user__isnull=True, event__deleted_at__isnull=True)
        .first()
    )
    if registration is None or _address_hash(registration.guest_email) != payload.get("a"):
        raise GuestLinkInvalid(_("This registration no longer exists."))
    return registration
