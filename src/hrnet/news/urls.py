"""URLs of news, under /<lang>/news/."""

from django.urls import path

from hrnet.news import views
from hrnet.news.feeds import IssueAreaFeed, LanguageFeed

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("new/", views.article_create, name="article_create"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("<int:pk>/publish/", views.article_publish, name="article_publish"),
    path("<int:pk>/unpublish/", views.article_unpublish, name="article_unpublish"),
    path("<int:pk>/trash/", views.article_trash, name="article_trash"),
    path("feed/", LanguageFeed(), name="feed"),
    path("feed/<slug:code>/", IssueAreaFeed(), name="feed_issue_area"),
    path("digest/", views.digest_settings, name="digest_settings"),
    path("digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
]
