"""Till sessions: open one, the figures of a session, and close it with the cash counted."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from galeri.units.scoping import can

from .errors import (
    PosError,
    _whole,
)
from .models import (
    CounterPaymentLine,
    Method,
    Refund,
    SalePayment,
    Till,
    TillSession,
)


def open_session(till, *, user, opening_float):
    _whole(opening_float, _("Modal awal harus rupiah bulat, nol atau lebih."))
    if not can(user, "pos.sell", till.unit):
        raise PermissionDenied
    if not Till.objects.filter(pk=till.pk, is_active=True).exists():
        raise PosError(_("Kasir %(till)s sudah tidak dipakai.") % {"till": till.name}, code="retired")
    try:
        with transaction.atomic():
            return TillSession.objects.create(till=till, opened_by=user, opening_float=opening_float, opened_at=timezone.now())
    except IntegrityError:
        raise PosError(_("Kasir %(till)s masih punya sesi yang terbuka.") % {"till": till.name}, code="already_open") from None


def session_figures(session):
    """Expected cash and totals per method of a session (change already netted out of cash)."""
    by_method = {m: 0 for m in Method.values}
    for method, amount in SalePayment.objects.filter(sale__session=session).values_list("method").annotate(t=Sum("amount")):
        by_method[method] = amount or 0
    refunds = {m: 0 for m in Method.values}
    for method, amount in Refund.objects.filter(session=session).values_list("method").annotate(t=Sum("amount")):
        refunds[method] = amount or 0
    other = {m: 0 for m in Method.values}
    for method, amount in (
        CounterPaymentLine.objects.filter(counter_payment__session=session).values_list("method").annotate(t=Sum("amount"))
    ):
        other[method] = amount or 0
    received = {m: by_method[m] + other[m] for m in Method.values}
    net = {m: received[m] - refunds[m] for m in Method.values}
    expected = session.opening_float + received[Method.CASH] - refunds[Method.CASH]
    return {
        "sales": by_method,
        "payments": other,
        "received": received,
        "refunds": refunds,
        "net": net,
        "expected_cash": expected,
    }


@transaction.atomic
def close_session(session, *, counted_cash, note="", user):
    session = TillSession.objects.select_for_update().select_related("till__unit").get(pk=session.pk)
    if session.closed_at is not None:
        raise PosError(_("Sesi kasir sudah ditutup."), code="closed")
    if not can(user, "pos.sell", session.till.unit):
        raise PermissionDenied
    _whole(counted_cash, _("Uang terhitung harus rupiah bulat, nol atau lebih."))
    expected = session_figures(session)["expected_cash"]
    difference = counted_cash - expected
    note = (note or "").strip()
    if difference and not note:
        raise PosError(_("Ada selisih kas: tulis catatannya."), code="note_required")
    session.expected_cash = expected
    session.counted_cash = counted_cash
    session.difference = difference
    session.note = note
    session.closed_at = timezone.now()
    session.closed_by = user
    session.save()
    return session
