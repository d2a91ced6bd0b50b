from django.urls import path

from hrnet.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("elections/new/", views.election_new, name="election_new"),
    path("elections/<int:pk>/", views.election, name="election"),
    path("elections/<int:pk>/edit/", views.election_edit, name="election_edit"),
    path("elections/<int:pk>/announce/", views.election_announce, name="election_announce"),
    path("elections/<int:pk>/roll/", views.roll, name="roll"),
    path("elections/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("elections/<int:pk>/candidates/", views.candidates_review, name="candidates_review"),
    path("candidates/<int:pk>/", views.candidate, name="candidate"),
    path("elections/<int:pk>/vote/", views.vote, name="vote"),
    path("elections/<int:pk>/receipts/", views.receipt_check, name="receipt_check"),
    path("elections/<int:pk>/results/", views.results, name="results"),
    path("elections/<int:pk>/bulletin.json", views.bulletin, name="bulletin"),
    path("assemblies/new/", views.assembly_new, name="assembly_new"),
    path("assemblies/<int:pk>/", views.assembly, name="assembly"),
    path("assemblies/<int:pk>/edit/", views.assembly_edit, name="assembly_edit"),
    path("assemblies/<int:pk>/resolutions/new/", views.resolution_new, name="resolution_new"),
    path("resolutions/<int:pk>/", views.resolution, name="resolution"),
    path("resolutions/<int:pk>/vote/", views.resolution_vote, name="resolution_vote"),
    path("assemblies/<int:pk>/publish/", views.assembly_publish, name="assembly_publish"),
]
