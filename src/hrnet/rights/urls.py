"""URLs of the rights pages, under /<lang>/rights/; each page module lists its own."""

from hrnet.rights.views import cases, intake, queue, statistics

app_name = "rights"

urlpatterns = [
    *intake.urlpatterns,
    *queue.urlpatterns,
    *statistics.urlpatterns,
    *cases.urlpatterns,
]
