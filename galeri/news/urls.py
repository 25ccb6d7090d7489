from django.urls import path

from galeri.news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("feed.atom", feeds.NewsFeed(), name="feed"),
    path("<slug:slug>/", views.post_detail, name="detail"),
]
