"""URLs of the member register; each area of views keeps its own list."""

from django.urls import path
from django.views.generic import RedirectView

from hrnet.members.views import applications, directory, memberships, queues, register

app_name = "members"

urlpatterns = [
    # /members/ is the address people are given (README, newsletters): the directory.
    path("", RedirectView.as_view(pattern_name="members:directory"), name="index"),
    *applications.urlpatterns,
    *directory.urlpatterns,
    *register.urlpatterns,
    *memberships.urlpatterns,
    *queues.urlpatterns,
]
