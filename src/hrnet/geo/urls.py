from django.urls import path

from hrnet.geo import views

app_name = "geo"

urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("countries/subregions/<slug:code>/", views.subregion_detail, name="subregion_detail"),
    path("countries/<str:iso2>/", views.country_detail, name="country_detail"),
    path("geography/import/<str:kind>/", views.geography_import, name="geography_import"),
]
