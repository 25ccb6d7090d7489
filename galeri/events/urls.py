from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("kalender.ics", views.feed, name="feed"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/kalender.ics", views.event_ics, name="ics"),
    path("<slug:slug>/bagikan.jpg", views.share_image, name="share_image"),
]
