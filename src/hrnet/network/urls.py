"""URLs of the network's pages (pages/, projects/, team/, contact/), under /<lang>/; each
views module lists its own."""

from hrnet.network.views import pages, projects, team

app_name = "network"

urlpatterns = [
    *pages.urlpatterns,
    *projects.urlpatterns,
    *team.urlpatterns,
]
