"""Demo content of accounts: an open invitation from the demo secretariat."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from hrnet.accounts.audit import Action
from hrnet.accounts.models import Invitation, User
from hrnet.accounts.roles import Role
from hrnet.core.audit import log_action
from hrnet.core.demo import DEMO_DOMAIN, demo_email


def accounts_demo_create() -> None:
    """An invitation waiting to be accepted, unless the demo already made one."""
    if Invitation.all_objects.filter(email__endswith="@" + DEMO_DOMAIN).exists():
        return
    secretariat = User.objects.get(email=demo_email(Role.SECRETARIAT))
    invitation = Invitation.objects.create(
        email=f"new.expert@{DEMO_DOMAIN}",
        full_name="Nino New Expert",
        role=Role.EXPERT,
        language="ru",
        token=Invitation.new_token(),
        invited_by=secretariat,
        expires_at=timezone.now() + timedelta(days=settings.HRNET_INVITATION_DAYS),
    )
    log_action(actor=secretariat, action=Action.INVITATION_CREATE, obj=invitation)
