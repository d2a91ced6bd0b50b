from django.urls import path

from hrnet.geo import views

# The country and sub-region pages (geo:country_detail, geo:subregion_detail) are composed
# in the portal app; hrnet.urls adds them to this namespace.
app_name = "geo"

urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("geography/import/<str:kind>/", views.geography_import, name="geography_import"),
]
