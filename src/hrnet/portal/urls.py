"""The composed pages keep the URL names they have always had: `hrnet.urls` merges
`home_urlpatterns` into the `core` namespace (core:home, and the start page core:me, which
the menu's "My work" finds) and `geo_urlpatterns` into the `geo` namespace
(geo:country_detail, geo:subregion_detail), since the kernel's urls cannot import this
package."""

from django.urls import path

from hrnet.portal import views

home_urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
]

geo_urlpatterns = [
    path("countries/subregions/<slug:code>/", views.subregion_detail, name="subregion_detail"),
    path("countries/<str:iso2>/", views.country_detail, name="country_detail"),
]
