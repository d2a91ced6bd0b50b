"""URLs of events, mounted at /<language>/events/; each area of views keeps its own list."""

from hrnet.events.views import after, calendar, manage, registration

app_name = "events"

urlpatterns = [
    *calendar.urlpatterns,
    *registration.urlpatterns,
    *manage.urlpatterns,
    *after.urlpatterns,
]
