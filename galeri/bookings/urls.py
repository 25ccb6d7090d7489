"""Public service pages: /jasa/ (owned by the bookings app)."""

from django.urls import path

from galeri.bookings import views

app_name = "bookings"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("pesanan/<slug:code>/<str:key>/", views.track, name="track"),
    path("pesanan/<slug:code>/<str:key>/batal/", views.track_cancel, name="track_cancel"),
    path("pesanan/<slug:code>/<str:key>/kalender.ics", views.track_ics, name="track_ics"),
    path("<slug:slug>/", views.service_detail, name="detail"),
    path("<slug:slug>/pesan/", views.book, name="book"),
]
