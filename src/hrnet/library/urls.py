"""URLs of the resource library, mounted at /<language>/library/."""

from django.urls import path

from hrnet.library import views
from hrnet.library.feeds import ResourceFeed

app_name = "library"

urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("submit/", views.resource_submit, name="resource_submit"),
    path("mine/", views.resource_mine, name="resource_mine"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/publish/", views.moderation_bulk, name="moderation_bulk"),
    path("<int:pk>/", views.resource_detail, name="resource_detail"),
    path("<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("<int:pk>/trash/", views.resource_trash, name="resource_trash"),
    path("<int:pk>/publish/", views.resource_publish, name="resource_publish"),
    path("<int:pk>/reject/", views.resource_reject, name="resource_reject"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("feed/", ResourceFeed(), name="feed"),
]
