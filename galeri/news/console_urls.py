from django.urls import path

from galeri.news import console_views

app_name = "news_console"

urlpatterns = [
    path("", console_views.post_list, name="list"),
    path("baru/", console_views.post_new, name="new"),
    path("<int:pk>/", console_views.post_edit, name="edit"),
    path("<int:pk>/langkah/", console_views.post_step, name="step"),
]
