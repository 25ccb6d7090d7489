"""The gallery counter (till) as the apps beside it see it: two hooks filled in at start-up.

``pos``, ``orders``, ``bookings`` and ``custom_orders`` sit in one layer and do not import each
other (docs/architecture.md, "Layers"). Where they meet at the counter they go through this
module, one layer below them:

- **The till** (``register_till``, filled in by ``PosConfig.ready``): a booking's price or a
  custom order's cash taken while the user has a till session open goes into that till through
  ``open_session(user, unit)`` and ``record_payment(session, records=[...], ...)``
  (``pos.record_counter_payment``). The caller writes the money once, on its own ``Payment``
  record (confirmed); the till takes that record (``till_session_id``, ``counter_action_id``) and
  prints a B-receipt for it. Never a second money row.
- **Pickups** (``register_pickups``, filled in by ``OrdersConfig.ready``): the online orders the
  cashier hands over at the counter (``galeri.orders.counter``): ``pos.hand_over_order`` takes
  the money into the till, then lets the orders app record it and complete the order.

Both are registered once per process; a hook asked for before it is registered is a wiring bug
(``LookupError``), never a silent skip.
"""

from dataclasses import dataclass

from galeri.core.errors import DomainError


class CounterError(DomainError):
    """A refusal at the counter, with its user message (``pos.PosError`` is one)."""


@dataclass(frozen=True)
class PaymentInput:
    method: str
    amount: int  # what this method pays of the total
    tendered: int | None = None  # cash handed over (>= amount); change = tendered - amount


_HOOKS = {}


def register_till(*, open_session, record_payment):
    """``open_session(user, unit) -> session | None``; ``record_payment(session, *, records, label,
    user, client_payment_id, tendered=None) -> counter payment`` (``records``: the caller's confirmed
    ``Payment`` rows of one thing)."""
    _HOOKS["till"] = {"open_session": open_session, "record_payment": record_payment}


def register_pickups(pickups):
    """``pickups``: the orders app's counter side (``galeri.orders.counter``)."""
    _HOOKS["pickups"] = pickups


def _hook(name):
    try:
        return _HOOKS[name]
    except KeyError:
        raise LookupError(f"galeri.payments.counter: no {name!r} hook registered (is its app installed?)") from None


def open_session(user, unit):
    """The user's open till session at ``unit``, or None."""
    return _hook("till")["open_session"](user, unit)


def record_payment(session, **kwargs):
    """Take into ``session``'s till the money the caller has confirmed on its own payment
    ``records`` (see ``pos.services.record_counter_payment``); raises ``CounterError`` when refused
    (a method the unit's counter does not take, a session not the user's own)."""
    return _hook("till")["record_payment"](session, **kwargs)


def pickups():
    return _hook("pickups")
