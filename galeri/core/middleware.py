"""Response headers Django's SecurityMiddleware does not set: Permissions-Policy.

Browser features nobody here needs are switched off for every page and for anything embedded.
The camera is allowed (to this site only) in the staff console, where the cashier can scan a
barcode with a phone's camera (pos.js); the public gallery gets no camera at all.
"""

from django.conf import settings

DENIED = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
CONSOLE_PREFIXES = ("/petugas/", "/en/petugas/")
STAFF_API_PREFIXES = ("/api/v1/staff/",)


def permissions_policy(path: str) -> str:
    camera = "camera=(self)" if path.startswith(CONSOLE_PREFIXES) else "camera=()"
    return ", ".join([camera, *(f"{feature}=()" for feature in DENIED)])


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", permissions_policy(request.path))
        # Django sets it from SECURE_CROSS_ORIGIN_OPENER_POLICY; kept here for responses it skips.
        response.setdefault(
            "Cross-Origin-Opener-Policy", getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", None) or "same-origin"
        )
        return response


class StripNulMiddleware:
    """Drop NUL characters from the query string's keys and values before any view reads them.

    PostgreSQL refuses NUL in text (a DataError, so a 500) and no filter or search of ours
    means anything with one; SQLite would take it silently. Forms are safe already (Django's
    CharField refuses NUL with a message); this covers every ``request.GET`` in one place.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = request.GET.copy()
            for key in list(cleaned.keys()):
                values = [v.replace("\x00", "") for v in cleaned.getlist(key)]
                del cleaned[key]
                cleaned.setlist(key.replace("\x00", ""), values)
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages with personal data are never kept by a browser's or a proxy's cache
    (``Cache-Control: private, no-store``), decided here for every response: every staff page
    (the console, the admin, anything a logged-in user sees) and the buyer's own pages, named in
    ``settings.NO_STORE_VIEWS`` (an order, a booking, a custom order, checkout, a proof, an
    invoice). A shared computer at a warnet or a phone lent to a relative must not show them again
    from the back button or the disk cache. tests/core/test_no_store.py walks the URLconf so a new
    buyer page has to be classed one way or the other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def is_personal(request) -> bool:
    path = request.path
    if path.startswith(CONSOLE_PREFIXES + STAFF_API_PREFIXES) or path.startswith("/" + settings.ADMIN_URL):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in settings.NO_STORE_VIEWS
