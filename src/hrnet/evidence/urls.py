"""URLs of the evidence pages, under /<lang>/evidence/: each page module lists its own."""

from hrnet.evidence.views import catalogue, dashboards, funding, imports, reporting

app_name = "evidence"

urlpatterns = [
    *dashboards.urlpatterns,
    *imports.urlpatterns,
    *funding.urlpatterns,
    *reporting.urlpatterns,
    *catalogue.urlpatterns,
]
