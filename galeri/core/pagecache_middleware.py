"""Page cache hits answered before the rest of the middleware stack (the fast path).

``PageCacheMiddleware`` sits right after ``SessionMiddleware`` and ``LocaleMiddleware`` (the
cart count and the language are part of a page's key) and before everything that only matters to
a page being built: CommonMiddleware, CSRF, authentication, OTP, history, messages, the staff idle
limit, X-Frame-Options, CSP and the login lockout. An anonymous GET or HEAD of a page that
``pagecache.cached_page`` stored is answered from the cache here: no database, no template, no
URL resolving.

The entry under a page's key (``pagecache.PAGE_PREFIX`` + a hash of scheme, host, path with the
query string, language and the ``PAGE_CACHE_VARY_ON`` values) holds what a hit needs:

- the scopes the view named and their versions read before the page's data (a hit checks they are
  still current: a change bumps them, so the next visitor gets a fresh page — ``pagecache.touch``),
- the headers the inner middlewares added on the miss (Content-Type, Vary, X-Frame-Options,
  Content-Security-Policy, ...): replayed as they were, so the fast path answers with the same
  policy; never a Set-Cookie, a request id or a length,
- the body split at the CSRF placeholder: a hit joins it with this visitor's own masked token, and
  Django's CsrfViewMiddleware sets this visitor's cookie exactly as on the slow path.

Never from here: anything but GET/HEAD, a session with a signed-in user or pending messages, a
``messages`` cookie, a request whose host is not allowed, paths of the console and the API, and
pages whose rendering used the CSP nonce, read or queued messages, or set a cookie of its own
(those are not stored). The middlewares before this one (request log, maintenance, security
headers, Permissions-Policy, no-store, WhiteNoise, sessions, language) run on both paths.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.utils import translation
from django.utils.module_loading import import_string

from galeri.core import pagecache
from galeri.core.middleware import CONSOLE_PREFIXES, STAFF_API_PREFIXES

logger = logging.getLogger("galeri.core.pagecache")

# Per response or per visitor: never stored, never replayed.
NOT_REPLAYED = frozenset({"content-length", "set-cookie", "x-request-id", "date", pagecache.HIT_HEADER.lower()})
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
MESSAGES_SESSION_KEY = "_messages"  # and its SessionStorage
NEVER_CACHED_PREFIXES = (*CONSOLE_PREFIXES, *STAFF_API_PREFIXES, "/api/")
_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
_UNBIASED = 256 - 256 % len(_CHARS)  # bytes at or above this are dropped: every char equally likely
_TO_CHARS = bytes(ord(_CHARS[byte % len(_CHARS)]) if byte < _UNBIASED else 0 for byte in range(256))
_DROPPED = bytes(range(_UNBIASED, 256))


def _random_chars(length: int) -> str:
    """``length`` characters of the CSRF alphabet from the system's CSPRNG, uniformly (rejection
    sampling), with one ``os.urandom`` call instead of Django's one per character."""
    found = ""
    while len(found) < length:
        found += secrets.token_bytes(length + 8).translate(_TO_CHARS, _DROPPED).decode("ascii")
    return found[:length]


def masked_token(request) -> str:
    """``django.middleware.csrf.get_token`` for the hit path, same format and effect: the visitor's
    secret (``CSRF_COOKIE``, from CsrfViewMiddleware.process_request) or a new one, flagged for the
    cookie, masked with a fresh mask. Django's own check (``_unmask_cipher_token``) accepts it."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(CSRF_SECRET_LENGTH)
    return mask + "".join(_CHARS[(_INDEX[x] + _INDEX[y]) % len(_CHARS)] for x, y in zip(secret, mask))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.vary_on = [import_string(path) for path in getattr(settings, "PAGE_CACHE_VARY_ON", [])]

    def __call__(self, request):
        session = getattr(request, "session", None)
        accessed = getattr(session, "accessed", False)
        key = self.key(request)
        if key is not None:
            try:
                stored = cache.get(key)
                fresh = stored is not None and pagecache.versions(stored[0]) == stored[1]
            except Exception:  # the cache is down: the page is served uncached
                logger.exception("page cache: read failed")
                key, fresh = None, False
            if fresh:
                return self.replay(request, stored)
        if session is not None:
            session.accessed = accessed  # the peek at the session is not the response's business
        request._pagecache_key = key
        response = self.get_response(request)
        if key is not None:
            self.store(request, key, response)
        return response

    def key(self, request):
        """The page's key, or None when this request is never answered from (nor stored in) the cache."""
        if request.method not in ("GET", "HEAD") or pagecache.page_seconds() <= 0:
            return None
        if len(request.META.get("QUERY_STRING", "")) > pagecache.MAX_QUERY_LENGTH:
            return None
        if request.path_info.startswith(NEVER_CACHED_PREFIXES) or request.COOKIES.get(MESSAGES_COOKIE):
            return None
        session = getattr(request, "session", None)
        if session is None:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and (AUTH_SESSION_KEY in session or MESSAGES_SESSION_KEY in session):
            return None  # staff (any signed-in user), or a message waiting to be shown
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # the slow path answers 400
        parts = [request.scheme, host, request.get_full_path(), translation.get_language() or ""]
        for processor in self.vary_on:
            parts.extend(f"{name}={value}" for name, value in sorted(processor(request).items()))
        return pagecache.PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def replay(self, request, stored):
        _scopes, _versions, headers, chunks = stored
        if len(chunks) > 1:
            self.csrf.process_request(request)  # this visitor's CSRF secret from their cookie, or a new one
            body = masked_token(request).encode().join(chunks)
        else:
            body = chunks[0]
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        response[pagecache.HIT_HEADER] = "hit"
        if len(chunks) > 1:
            self.csrf.process_response(request, response)  # the CSRF cookie, as the slow path sets it
        return response

    def store(self, request, key, response):
        page = getattr(request, "_pagecache_page", None)
        if page is None or response.status_code != 200 or response.streaming:
            return
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        if isinstance(getattr(request, "_csp_nonce", None), str):
            return  # the page used a nonce: replaying it would hand one nonce to every visitor
        messages = getattr(request, "_messages", None)
        if messages is not None and (messages.used or messages._queued_messages):
            return
        own = {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME}
        if any(name not in own for name in response.cookies):
            return  # a cookie of the page's own would not be set again on a hit
        headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED]
        entry = (page.scopes, page.versions, headers, page.content.split(pagecache.CSRF_PLACEHOLDER_BYTES))
        try:
            cache.set(key, entry, page.timeout)
        except Exception:
            logger.exception("page cache: write failed")
