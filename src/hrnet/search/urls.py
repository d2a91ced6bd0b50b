"""URLs of the search (mounted at /<lang>/search/)."""

from django.urls import path

from hrnet.search import views

app_name = "search"
urlpatterns = [path("", views.search, name="search")]
