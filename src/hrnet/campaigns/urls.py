"""URLs of campaigns, under /<lang>/campaigns/."""

from django.urls import path

from hrnet.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("signatures/", views.signature_queue, name="signature_queue"),
    path("signatures/review/", views.signature_bulk, name="signature_bulk"),
    path("signatures/<int:pk>/review/", views.signature_review, name="signature_review"),
    path("<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("<slug:slug>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<slug:slug>/trash/", views.campaign_trash, name="campaign_trash"),
    path("<slug:slug>/join/", views.campaign_join, name="campaign_join"),
    path("<slug:slug>/leave/", views.campaign_leave, name="campaign_leave"),
    path("<slug:slug>/sign/", views.signature_create, name="signature_create"),
    path("<slug:slug>/actions/new/", views.action_edit, name="action_create"),
    path("<slug:slug>/actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("<slug:slug>/actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
    path("<slug:slug>/outcomes/new/", views.outcome_edit, name="outcome_create"),
    path("<slug:slug>/outcomes/<int:pk>/", views.outcome_edit, name="outcome_edit"),
    path("<slug:slug>/outcomes/<int:pk>/delete/", views.outcome_delete, name="outcome_delete"),
]
