from typing import cast

import pytest

from hrnet.events.models import Session
from hrnet.events.tests.factories import EventFactory, RegistrationFactory, SessionFactory


@pytest.mark.django_db
def test_factories_build_consistent_events():
    event = EventFactory.create(sessions=4)
    assert event.sessions.count() == 4
    assert event.ends_at == event.sessions.order_by("starts_at")[3].ends_at
    session = cast(Session, SessionFactory.create())
    assert session.event.sessions.count() == 1
    assert RegistrationFactory.create(status="waiting").waiting_since is not None
