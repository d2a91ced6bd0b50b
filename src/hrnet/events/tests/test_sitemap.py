"""Public events are in /sitemap.xml in every language; drafts and members-only are not."""

import pytest

from hrnet.events.models import Event
from hrnet.events.tests.factories import EventFactory


@pytest.mark.django_db
def test_the_sitemap_lists_public_events_only(client):
    public = EventFactory.create(status=Event.Status.PUBLISHED)
    draft = EventFactory.create(status=Event.Status.DRAFT)
    members = EventFactory.create(
        status=Event.Status.PUBLISHED, visibility=Event.Visibility.MEMBERS
    )

    body = client.get("/sitemap.xml").content.decode()

    assert f"/en/events/{public.pk}/" in body
    assert f"/ru/events/{public.pk}/" in body
    assert f"/events/{draft.pk}/" not in body
    assert f"/events/{members.pk}/" not in body
