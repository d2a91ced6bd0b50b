from django.urls import path

from hrnet.core import views

# The home page (core:home) is composed in the portal app; hrnet.urls adds it to this namespace.
app_name = "core"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("trash/", views.trash_list, name="trash"),
    path(
        "trash/<int:content_type_id>/<str:object_id>/restore/",
        views.trash_restore,
        name="trash_restore",
    ),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/progress/", views.job_progress, name="job_progress"),
]
