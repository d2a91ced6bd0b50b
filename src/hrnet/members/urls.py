"""URLs of the member register; each area of views keeps its own list."""

from hrnet.members.views import applications, directory, memberships, register

app_name = "members"

urlpatterns = [
    *applications.urlpatterns,
    *directory.urlpatterns,
    *register.urlpatterns,
    *memberships.urlpatterns,
]
