"""Sign-in lockout per username, from any address, with a growing wait.

After ``LOGIN_LOCKOUT_FAILURES`` wrong passwords for one username within
``LOGIN_LOCKOUT_WINDOW_MINUTES`` (from any addresses together), the username is
locked for ``LOGIN_LOCKOUT_FIRST_MINUTES``; each further lock doubles the wait
(1, 2, 4, 8 … minutes) up to ``LOGIN_LOCKOUT_MAX_MINUTES``. The number of locks is
remembered for ``LOGIN_LOCKOUT_MEMORY_HOURS`` after the last one. A successful
sign-in, an administrator's unlock or a password set by the emailed link clears it.

Usernames are counted whether or not an account exists, and a locked username
is refused before any password check, with the same page: the lockout tells an
attacker nothing about which usernames are real. The counters live in the store
every worker shares (``galeri.core.ratelimit``: Redis or the database).

django-axes keeps a second, separate limit per client address across usernames
(``AXES_FAILURE_LIMIT``): one address trying many usernames.
"""

import datetime

from django.conf import settings

from galeri.core import ratelimit

SCOPE = "login-user"


def _setting(name, default):
    return int(getattr(settings, name, default))


def _window_seconds() -> int:
    return _setting("LOGIN_LOCKOUT_WINDOW_MINUTES", 15) * 60


def _ident(username: str) -> str:
    # Django usernames are case-sensitive, but "Admin.Lapas" and "admin.lapas" are one person's guesses.
    return (username or "").strip().lower()[:150]


def locked_for(username: str) -> int:
    """Seconds this username is still locked (0: it may try)."""
    ident = _ident(username)
    return ratelimit.held_for(SCOPE, ident) if ident else 0


def record_failure(username: str) -> int:
    """Count one wrong password for ``username``; returns the seconds of a lock it starts (else 0)."""
    ident = _ident(username)
    if not ident:
        return 0
    decision = ratelimit.hit(SCOPE, ident, limit=_setting("LOGIN_LOCKOUT_FAILURES", 5) - 1, period=_window_seconds())
    if decision.allowed:
        return 0
    level = ratelimit.bump(SCOPE, ident, keep=_setting("LOGIN_LOCKOUT_MEMORY_HOURS", 24) * 3600)
    first = _setting("LOGIN_LOCKOUT_FIRST_MINUTES", 1)
    longest = _setting("LOGIN_LOCKOUT_MAX_MINUTES", 60)
    minutes = min(first * 2 ** min(level - 1, 20), longest)
    ratelimit.hold(SCOPE, ident, minutes * 60)
    return minutes * 60


def reset(username: str) -> None:
    ident = _ident(username)
    if ident:
        ratelimit.clear(SCOPE, ident, period=_window_seconds())


def until(seconds: int) -> datetime.datetime:
    from galeri.core import clock

    return clock.now() + datetime.timedelta(seconds=seconds)
