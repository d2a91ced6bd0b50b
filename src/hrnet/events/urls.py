"""URLs of events, mounted at /<language>/events/; each area of views keeps its own list."""

from hrnet.events.views import after, calendar, guest, manage, registration, staff

app_name = "events"

urlpatterns = [
    *calendar.urlpatterns,
    *registration.urlpatterns,
    *guest.urlpatterns,
    *manage.urlpatterns,
    *after.urlpatterns,
    *staff.urlpatterns,
]
