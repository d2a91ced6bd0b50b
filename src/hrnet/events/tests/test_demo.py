import pytest

from hrnet.core.demo import demo_users_create
from hrnet.core.reference import issue_areas_load
from hrnet.events.demo import events_demo_create
from hrnet.events.models import Event, Registration


@pytest.mark.django_db
def test_the_demo_has_every_type_a_series_a_waiting_list_and_global_events(settings, geography):
    settings.DEBUG = True
    issue_areas_load()
    demo_users_create()
    events_demo_create()
    events_demo_create()  # idempotent
    assert set(Event.objects.values_list("kind", flat=True)) == set(Event.Kind.values)
    assert Event.objects.filter(sessions__isnull=False).distinct().count() == Event.objects.count()
    assert any(e.sessions.count() == 4 for e in Event.objects.filter(kind="training"))
    assert Registration.objects.filter(status="waiting", user__email__endswith="demo.example")
    assert Registration.objects.filter(status="offered", user__email="member@demo.example")
    cnd = Event.objects.get(titles__en__startswith="Commission on Narcotic Drugs")
    assert cnd.starts_at.month == 3
    assert cnd.preparation_notes["ru"]
    assert Event.objects.filter(titles__en="Global Fund Board meeting").exists()
    for event in Event.objects.all():
        held = event.registrations.filter(status__in=Registration.HOLDS_SEAT).count()
        assert event.capacity is None or held <= event.capacity
