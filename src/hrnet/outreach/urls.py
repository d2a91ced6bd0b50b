"""URLs of the site pages and service delivery records, under /<lang>/sites/; each page
module beside the site pages lists its own."""

from django.urls import path

from hrnet.outreach.views import cascades, clients, entry, sites

app_name = "outreach"

urlpatterns = [
    path("", sites.site_list, name="site_list"),
    path("add/", sites.site_add, name="site_add"),
    path("<int:pk>/", sites.site_detail, name="site_detail"),
    path("<int:pk>/edit/", sites.site_edit, name="site_edit"),
    path("<int:pk>/close/", sites.site_deactivate, name="site_deactivate"),
    path("<int:pk>/staff/", sites.staff_assign, name="staff_assign"),
    path("<int:pk>/staff/<int:staff_id>/remove/", sites.staff_remove, name="staff_remove"),
    *entry.urlpatterns,
    *clients.urlpatterns,
    *cascades.urlpatterns,
]
