"""Staff sessions end after a spell without requests (``STAFF_SESSION_IDLE_MINUTES``).

A signed-in user whose last request is longer ago than the limit is signed out
and sent to the sign-in page with a message (an htmx request gets ``HX-Redirect``).
Buyers never sign in: their session (the cart) is not touched. The time of the
last request is written at most once a minute, so a busy page does not save
the session on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "galeri_last_seen"
WRITE_EVERY = 60  # seconds


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = int(getattr(settings, "STAFF_SESSION_IDLE_MINUTES", 0) or 0)
        user = getattr(request, "user", None)
        if minutes > 0 and user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > minutes * 60:
                return self._expired(request, minutes)
            if last is None or now - last >= WRITE_EVERY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _expired(self, request, minutes):
        logout(request)  # a new, empty session: nothing of the old one is carried over
        messages.info(
            request,
            _("Sesi Anda berakhir karena tidak ada kegiatan selama %(minutes)s menit. Silakan masuk lagi.")
            % {"minutes": minutes},
        )
        login_url = reverse("units:login")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        next_url = request.get_full_path() if request.method == "GET" else ""
        if next_url:
            return redirect_to_login(next_url, login_url=login_url)
        return redirect(login_url)
