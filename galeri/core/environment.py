"""Is this a production configuration? One answer for every guard that needs it.

Production is ``GALERI_ENV=production``, or HTTPS on (``HTTPS=1``), or secure cookies
(``SECURE_COOKIES=1``). DEBUG off does not count: ``make run`` serves the demo with DEBUG off, over
plain HTTP on 127.0.0.1, with none of these set. Read at call time (tests change settings).
"""

from django.conf import settings


def is_production() -> bool:
    return (
        getattr(settings, "GALERI_ENV", "") == "production"
        or bool(getattr(settings, "HTTPS", False))
        or bool(getattr(settings, "SESSION_COOKIE_SECURE", False))
    )
