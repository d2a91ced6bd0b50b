"""URLs of the evidence pages, under /<lang>/evidence/."""

from django.urls import path

from hrnet.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("<str:code>/", views.indicator_detail, name="indicator_detail"),
]
