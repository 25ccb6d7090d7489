"""The retention table: what personal data is kept, why, for how long, and how it is erased.

One table for the code, the command and the privacy page, so they cannot disagree (issue 18).
Each app registers its rules in its ``AppConfig.ready`` (``register``) with the function that
applies them; ``manage.py apply_retention`` runs every rule (daily, docs/deployment.md), and the
privacy page (``/privasi/``) is rendered from ``rules()``.

A rule's ``apply(now, days)`` erases what is due and returns how many records it changed; it
is idempotent (running it twice erases nothing more) and keeps what the unit's books need
(amounts, items, payments, PNBP figures).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from galeri.core import clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    key: str  # e.g. "orders.buyer"
    order: int  # position on the privacy page
    audience: str  # "buyer" (shown to buyers) or "participant" (inmates' data, staff side)
    data: str  # what is kept (lazy translation)
    purpose: str  # why
    start: str  # from when the period runs
    erasure: str  # how it is erased
    setting: str  # the settings name holding the number of days
    default_days: int
    apply: Callable  # apply(now, days) -> int

    @property
    def days(self) -> int:
        return max(1, int(getattr(settings, self.setting, self.default_days)))


_RULES: dict = {}


def register(rule: Rule) -> None:
    _RULES[rule.key] = rule


def rules(audience: str | None = None) -> list:
    found = sorted(_RULES.values(), key=lambda r: (r.order, r.key))
    return [r for r in found if audience is None or r.audience == audience]


def apply_all(now=None) -> dict:
    """Run every rule; {key: records changed}. One failing rule does not stop the others."""
    now = now or clock.now()
    done = {}
    for rule in rules():
        try:
            done[rule.key] = rule.apply(now, rule.days)
        except Exception:
            log.exception("retention rule %s failed", rule.key)
            done[rule.key] = None
    return done
