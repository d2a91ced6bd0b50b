from typing import cast

import pytest

from hrnet.events.models import Session
from hrnet.events.tests.factories import EventFactory, RegistrationFactory, SessionFactory


@pytest.mark.django_db
def test_factories_build_consistent_events():
    event = EventFactory(sessions=4)
    assert event.sessions.count() == 4
    assert event.ends_at == event.sessions.last().ends_at
    session = cast(Session, SessionFactory())
    assert session.event.sessions.count() == 1
    assert RegistrationFactory(status="waiting").waiting_since is not None
