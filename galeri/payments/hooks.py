"""Hooks: how the apps above payments (orders, pos, bookings, custom_orders) hear about money
they did not ask for at that moment — a payment confirmed by an acquirer, or a notification
flagged for staff.

An app registers in its ``AppConfig.ready()``::

    from galeri.payments import hooks
    hooks.on_confirmed("order", orders.services.payment_confirmed)   # fn(payment)
    hooks.on_flagged("order", orders.services.payment_flagged)       # fn(payment, charge, reason)

``acquiring.receive_notification`` calls them *after* its transaction commits
(``transaction.on_commit``), once per applied notification, never for a replay. A hook runs
in its own transaction and its own failure does not undo the payment (it is logged; the
payment stays confirmed and the caller's status poll or staff pick it up).
"""

import logging

logger = logging.getLogger(__name__)

_confirmed: dict = {}
_flagged: dict = {}


def _register(table: dict, payable_type: str, fn) -> None:
    handlers = table.setdefault(payable_type, [])
    if fn not in handlers:
        handlers.append(fn)


def on_confirmed(payable_type: str, fn) -> None:
    """Call ``fn(payment)`` when an acquirer confirms a payment of ``payable_type``."""
    _register(_confirmed, payable_type, fn)


def on_flagged(payable_type: str, fn) -> None:
    """Call ``fn(payment, charge, reason)`` when a payment notification is flagged for staff."""
    _register(_flagged, payable_type, fn)


def forget(payable_type: str, fn) -> None:
    """Unregister ``fn`` (tests)."""
    for table in (_confirmed, _flagged):
        if fn in table.get(payable_type, []):
            table[payable_type].remove(fn)


def _run(table: dict, payable_type: str, *args) -> None:
    from django.db import transaction

    for fn in list(table.get(payable_type, [])):
        try:
            with transaction.atomic():
                fn(*args)
        except Exception:
            logger.exception("payments hook %s for %s failed", getattr(fn, "__qualname__", fn), payable_type)


# --- What a payment is for: the words of the app that owns the thing it pays -------------------

_describers: dict = {}


def on_describe(payable_type: str, fn) -> None:
    """``fn(ids) -> {id: {"what": str, "buyer": str, "url": str}}`` for the refunds pages: what a
    payment of ``payable_type`` is for (an order's code, a custom order's), who paid it, and the
    staff page of that thing. Registered by the app that owns the type."""
    _describers[payable_type] = fn


def describe(payment_list) -> dict:
    """{payment pk: {"what", "buyer", "url"}} for the given payments, one call per payable type."""
    by_type: dict = {}
    for payment in payment_list:
        by_type.setdefault(payment.payable_type, set()).add(payment.payable_id)
    found = {}
    for payable_type, ids in by_type.items():
        fn = _describers.get(payable_type)
        found[payable_type] = fn(sorted(ids)) if fn is not None else {}
    return {p.pk: found[p.payable_type].get(p.payable_id) or {"what": p.reference, "buyer": "", "url": ""} for p in payment_list}


def confirmed(payment) -> None:
    _run(_confirmed, payment.payable_type, payment)


def flagged(payment, charge, reason: str) -> None:
    _run(_flagged, payment.payable_type, payment, charge, reason)
