"""Rate limits, one way for all of them: the client's address, the counters, the store.

- **The client's address** (``client_ip``): ``REMOTE_ADDR``, or, behind ``TRUSTED_PROXY_COUNT``
  proxies of our own (the reverse proxy in docs/deployment.md), the address the outermost of them
  saw, read from the right of ``X-Forwarded-For`` so a client cannot choose it by sending the header.
  Login throttling (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the API and the Lacak page all use it.
- **The counters** (``hit`` / ``count``): fixed windows of ``period`` seconds per (limit, client).
- **The store** every worker and server shares: Redis through the cache when ``REDIS_URL`` is set
  (atomic ``incr``), else the database (``core.RateCounter``, one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING``).
  Never a worker's own memory: with four gunicorn workers a limit is the limit, not four times it.
"""

import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def client_ip(request) -> str:
    """The client's address as our own proxies saw it (see the module's docstring)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "")[:64]
    if proxies <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))][:64]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a forged or broken header: fall back to who connected
        return remote


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


def _window(period: int, now: float):
    window = int(now // period)
    return window, max(1, math.ceil((window + 1) * period - now))


def _uses_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", None))


def _cache_hit(key: str, period: int) -> int:
    cache.add(key, 0, timeout=period + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        return 1


def _database_hit(key: str, period: int, now: float) -> int:
    """One statement, atomic on SQLite and PostgreSQL alike: insert the window's row or add one."""
    from galeri.core.models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires = datetime.fromtimestamp((int(now // period) + 1) * period, tz=UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 (the table name is ours)
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires],
        )
        count = cursor.fetchone()[0]
    if count == 1:
        # A new window: the windows that are over go (one indexed delete per window, not per hit).
        RateCounter.objects.filter(expires_at__lt=datetime.fromtimestamp(now, tz=UTC)).delete()
    return count


def hit(scope: str, ident: str, *, limit: int, period: int) -> Decision:
    """Count one event of ``ident`` (a client address, a token...) for the limit ``scope``."""
    now = time.time()
    window, retry_after = _window(period, now)
    key = f"rl:{scope}:{ident}:{period}:{window}"[:200]
    count = _cache_hit(key, period) if _uses_cache() else _database_hit(key, period, now)
    return Decision(allowed=count <= limit, count=count, retry_after=retry_after)


def count(scope: str, ident: str, *, period: int) -> int:
    """How many events ``ident`` has in the current window, without counting one."""
    window, _retry = _window(period, time.time())
    key = f"rl:{scope}:{ident}:{period}:{window}"[:200]
    if _uses_cache():
        return cache.get(key, 0)
    from galeri.core.models import RateCounter

    return RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0


# --- Holds and levels: a lockout that grows (sign-in per username, galeri.units.lockout) -------


def _key(scope: str, ident: str, kind: str) -> str:
    return f"rl:{scope}:{ident}:{kind}"[:200]


def hold(scope: str, ident: str, seconds: int) -> None:
    """Block ``ident`` for ``seconds`` from now (in the shared store; a later hold replaces it)."""
    now = time.time()
    key = _key(scope, ident, "hold")
    if _uses_cache():
        cache.set(key, now + seconds, timeout=seconds + 1)
        return
    from galeri.core.models import RateCounter

    RateCounter.objects.update_or_create(
        key=key, defaults={"count": 0, "expires_at": datetime.fromtimestamp(now + seconds, tz=UTC)}
    )


def held_for(scope: str, ident: str) -> int:
    """Seconds until the hold of ``ident`` ends (0: not held)."""
    now = time.time()
    key = _key(scope, ident, "hold")
    if _uses_cache():
        until = cache.get(key)
    else:
        from galeri.core.models import RateCounter

        expires = RateCounter.objects.filter(key=key).values_list("expires_at", flat=True).first()
        until = expires.timestamp() if expires else None
    return max(0, math.ceil(until - now)) if until else 0


def bump(scope: str, ident: str, *, keep: int) -> int:
    """Add one to a counter that is forgotten ``keep`` seconds after its last bump; returns it."""
    now = time.time()
    key = _key(scope, ident, "level")
    if _uses_cache():
        cache.add(key, 0, timeout=keep)
        try:
            value = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=keep)
            return 1
        cache.touch(key, keep)
        return value
    from galeri.core.models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 (the table name is ours)
            f"ON CONFLICT (key) DO UPDATE SET count = CASE WHEN {table}.expires_at < %s THEN 1 ELSE {table}.count + 1 END, "
            "expires_at = EXCLUDED.expires_at RETURNING count",
            [key, datetime.fromtimestamp(now + keep, tz=UTC), datetime.fromtimestamp(now, tz=UTC)],
        )
        return cursor.fetchone()[0]


def clear(scope: str, ident: str, *, period: int) -> None:
    """Forget ``ident`` for ``scope``: the current window of ``period``, its hold and its level."""
    window, _retry = _window(period, time.time())
    keys = [f"rl:{scope}:{ident}:{period}:{window}"[:200], _key(scope, ident, "hold"), _key(scope, ident, "level")]
    if _uses_cache():
        cache.delete_many(keys)
        return
    from galeri.core.models import RateCounter

    RateCounter.objects.filter(key__in=keys).delete()
