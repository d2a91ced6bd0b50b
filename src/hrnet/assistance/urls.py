"""URLs of technical assistance, mounted at /<language>/assistance/."""

from hrnet.assistance.views import urlpatterns as view_urlpatterns

app_name = "assistance"

urlpatterns = [*view_urlpatterns]
