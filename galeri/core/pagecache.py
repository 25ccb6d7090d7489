"""Whole-page cache of the public gallery for anonymous visitors, with version keys.

A public page (home, listings, search, unit, category, product, impact) is rendered once and kept
in the shared cache under a key made of:

- the absolute URL (scheme, host, path and query string) and the language, and
- the values of ``settings.PAGE_CACHE_VARY_ON`` (context processors whose output shows on the
  page and differs per visitor: the cart count),

together with the current *versions* of the scopes the page depends on, read before its data:
``catalog`` (every product, price, photo, stock status, category and unit) and ``product:<slug>``
(that product's exact stock). A stored page is served only while those versions are current.

The services that change those things call :func:`touch` with the scopes they change: it puts a
fresh random version at once and again after the transaction commits. A page rendered from data
read before the commit is then stored with a version nobody has any more: no stale price.

Hits are answered by ``galeri.core.pagecache_middleware.PageCacheMiddleware`` near the top of
the middleware stack (the fast path: no database, no template); this module has the versions and
the view decorator that renders and hands over a page on a miss.

Never cached: signed-in users (staff), anything but GET/HEAD, responses other than a plain 200
HTML page. The CSRF token in the page (the language switch, "tambah ke keranjang") is rendered
as a placeholder and replaced per request, so a cached page never hands one visitor's token to
another; the CSP nonce is not used by these pages (a page that uses it is not stored).

Versions must be shared by every process that serves pages. With Redis (``REDIS_URL``) they live
in the cache; with the local-memory cache of the embedded default (one machine, several gunicorn
workers, one cache per process) they live in small files under ``VAR_DIR/pagecache``.
A version that is missing reads as ``"0"`` and is written only when bumped, so a URL with an
unknown slug costs no write.
"""

import hashlib
import logging
import os
import secrets
import tempfile
from functools import lru_cache, wraps
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "pagecache-csrf-placeholder-7d1f"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
VERSION_PREFIX = "pagecache:v:"
PAGE_PREFIX = "pagecache:p2:"  # p2: entries with their versions and headers (the fast path)
MAX_QUERY_LENGTH = 400
HIT_HEADER = "X-Page-Cache"


def page_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


# --- Versions -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class FileVersions:
    """One small file per scope: shared by all worker processes of one machine. Read on every
    page cache hit, so with plain ``os`` calls (no pathlib, no text wrapper)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._prefix = os.path.join(str(folder), "")

    def _path(self, scope: str) -> Path:
        return self.folder / _digest(scope)

    def get(self, scopes):
        values = []
        for scope in scopes:
            try:
                fd = os.open(self._prefix + _digest(scope), os.O_RDONLY)
            except (FileNotFoundError, NotADirectoryError):
                values.append("0")
                continue
            try:
                values.append(os.read(fd, 256).decode())
            finally:
                os.close(fd)
        return values

    def bump(self, scopes):
        self.folder.mkdir(parents=True, exist_ok=True)
        for scope in scopes:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(8))
            os.replace(tmp, self._path(scope))  # atomic: a reader sees the old or the new version


class CacheVersions:
    """Versions in the shared cache (Redis): shared by every app server. No expiry."""

    def get(self, scopes):
        keys = [VERSION_PREFIX + _digest(scope) for scope in scopes]
        found = cache.get_many(keys)
        return [found.get(key, "0") for key in keys]

    def bump(self, scopes):
        cache.set_many({VERSION_PREFIX + _digest(scope): secrets.token_hex(8) for scope in scopes}, timeout=None)


def _process_local_cache() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return backend.endswith(("LocMemCache", "DummyCache"))


_file_versions: dict = {}


def store():
    if _process_local_cache():
        where = (getattr(settings, "PAGE_CACHE_VERSION_DIR", None), settings.VAR_DIR)  # read on every hit
        found = _file_versions.get(where)
        if found is None:
            found = _file_versions[where] = FileVersions(Path(where[0] or where[1] / "pagecache"))
        return found
    return CacheVersions()


def versions(scopes) -> list[str]:
    return store().get(list(scopes))


def touch(*scopes: str) -> None:
    """The data behind these scopes changed: pages that show it are rendered again.

    Bumps now (so the writer's next read is fresh even inside an outer transaction) and again
    when the transaction commits (so a page rendered from a read made before the commit, and
    stored meanwhile under the first bump, is never served).
    """
    scopes = [s for s in dict.fromkeys(scopes) if s]
    if not scopes:
        return
    _bump(scopes)
    transaction.on_commit(lambda: _bump(scopes))


def _bump(scopes):
    # A full disk or an unreachable Redis must not fail (or, after the commit, seem to fail) the
    # sale or edit that changed the data: logged loudly; pages then lag at most their timeout.
    try:
        store().bump(scopes)
    except Exception:
        logger.exception("page cache: could not bump %s", scopes)
        if _process_local_cache():
            cache.clear()  # at least this process forgets its pages


def product_scope(slug: str) -> str:
    return f"product:{slug}"


# --- The view decorator and the middleware -----------------------------------------------------
#
# The middleware (right after the session and the language are known, see settings.MIDDLEWARE)
# answers a hit before the rest of the stack: no authentication, no database, no template. The
# decorator marks which views are cached and with which scopes: on a miss it renders the page with
# the CSRF placeholder and hands it (with the versions read before the data) to the middleware,
# which stores it with the headers the inner middlewares added (CSP, X-Frame-Options, Vary).


class Page(NamedTuple):
    """A page rendered for the cache (CSRF placeholder in), and the versions read before its data."""

    scopes: list
    versions: list
    content: bytes
    timeout: int


def context_processor(request):
    """On a page being rendered for the cache, the CSRF token is a placeholder (see module doc)."""
    if getattr(request, "_pagecache_rendering", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def cached_page(scopes=lambda request, **kwargs: ["catalog"], timeout=None):
    """Cache a public page for anonymous visitors; ``scopes(request, **kwargs)`` names what it shows."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "_pagecache_key", None) is None:  # the middleware found it not cacheable
                return view(request, *args, **kwargs)
            # The versions are read before the page's data: see touch().
            try:
                names = list(scopes(request, **kwargs))
                read = versions(names)
            except Exception:  # the cache is down: serve the page uncached
                logger.exception("page cache: read failed")
                return view(request, *args, **kwargs)
            request._pagecache_rendering = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request._pagecache_rendering = False
            if response.streaming:
                return response
            if (
                response.status_code == 200
                and response.get("Content-Type", "").startswith("text/html")
                and hasattr(response, "render") is False
            ):
                request._pagecache_page = Page(names, read, response.content, timeout or page_seconds())
                response[HIT_HEADER] = "miss"
            if CSRF_PLACEHOLDER_BYTES in response.content:
                response.content = response.content.replace(CSRF_PLACEHOLDER_BYTES, get_token(request).encode())
            return response

        return wrapper

    return decorator
