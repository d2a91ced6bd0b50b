from django.urls import path

from hrnet.mailings import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="mailing_list"),
    path("new/", views.mailing_create, name="mailing_create"),
    path("<int:pk>/", views.mailing_detail, name="mailing_detail"),
    path("<int:pk>/edit/", views.mailing_edit, name="mailing_edit"),
    path("<int:pk>/recipients/", views.mailing_recipients, name="mailing_recipients"),
    path("segments/", views.segment_list, name="segment_list"),
    path("segments/new/", views.segment_create, name="segment_create"),
    path("segments/count/", views.segment_count, name="segment_count"),
    path("segments/<int:pk>/", views.segment_detail, name="segment_detail"),
    path("segments/<int:pk>/export.<str:fmt>", views.segment_export, name="segment_export"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
