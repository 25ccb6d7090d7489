"""Response headers Django's SecurityMiddleware does not set: Permissions-Policy.

Browser features nobody here needs are switched off for every page and for anything embedded.
The camera is allowed (to this site only) in the staff console, where the cashier can scan a
barcode with a phone's camera (pos.js); the public gallery gets no camera at all.
"""

from django.conf import settings

DENIED = (
    "accelerometer", "autoplay", "bluetooth", "browsing-topics", "display-capture", "geolocation", "gyroscope",
    "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
)
CONSOLE_PREFIXES = ("/petugas/", "/en/petugas/")


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
        response.setdefault("Cross-Origin-Opener-Policy", getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", None) or "same-origin")
        return response
