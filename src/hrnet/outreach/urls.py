"""URLs of the site pages and service delivery records, under /<lang>/sites/; each page
module beside the site pages lists its own."""

from django.urls import path

from hrnet.outreach import views, views_cascades, views_clients, views_entry

app_name = "outreach"

urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("add/", views.site_add, name="site_add"),
    path("<int:pk>/", views.site_detail, name="site_detail"),
    path("<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("<int:pk>/close/", views.site_deactivate, name="site_deactivate"),
    path("<int:pk>/staff/", views.staff_assign, name="staff_assign"),
    path("<int:pk>/staff/<int:staff_id>/remove/", views.staff_remove, name="staff_remove"),
    *views_entry.urlpatterns,
    *views_clients.urlpatterns,
    *views_cascades.urlpatterns,
]
