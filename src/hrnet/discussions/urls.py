from django.urls import path

from hrnet.discussions import feeds, views

app_name = "discussions"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.LatestThreadsFeed(), name="feed"),
    path("flags/", views.flag_queue, name="flag_queue"),
    path("settings/", views.settings_page, name="settings"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<slug:slug>/", views.group_edit, name="group_edit"),
    path("mentions/", views.mention_suggest, name="mention_suggest"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("c/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path("c/<slug:slug>/watch/", views.category_watch, name="category_watch"),
    path("c/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("t/<int:pk>/", views.thread, name="thread"),
    path("t/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("t/<int:pk>/watch/", views.thread_watch, name="thread_watch"),
    path("t/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("p/<int:pk>/", views.post, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("p/<int:pk>/translate/", views.post_translate, name="post_translate"),
    path("a/<int:pk>/", views.attachment, name="attachment"),
]
