"""URLs of the rights pages, under /<lang>/rights/; each page module lists its own."""

from hrnet.rights import views_cases, views_intake, views_statistics

app_name = "rights"

urlpatterns = [
    *views_intake.urlpatterns,
    *views_statistics.urlpatterns,
    *views_cases.urlpatterns,
]
