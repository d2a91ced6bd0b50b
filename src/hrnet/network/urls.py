"""URLs of the network's pages (pages/, projects/, team/, contact/), under /<lang>/; each
page module lists its own."""

from hrnet.network import views_pages, views_projects, views_team

app_name = "network"

urlpatterns = [
    *views_pages.urlpatterns,
    *views_projects.urlpatterns,
    *views_team.urlpatterns,
]
