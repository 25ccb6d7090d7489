"""Which payment methods a unit's counter takes: cash always, QRIS and transfer as the unit switched
them on in its payment settings (``payments.UnitPaymentSettings.counter_accept_*``). The methods
themselves are defined once, ``payments.models.PaymentMethod``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.payments.selectors import counter_methods

from .errors import PosError
from .models import SALE_PAYABLE_TYPE

# Money that is banknotes in the drawer: cash, and cash on delivery brought back by the courier.
CASH_LIKE = (PaymentMethod.CASH, PaymentMethod.COD)

# How the counter's screens and receipts name the methods (shorter than the buyer's labels).
LABELS = {
    PaymentMethod.CASH: gettext_lazy("Tunai"),
    PaymentMethod.QRIS: gettext_lazy("QRIS"),
    PaymentMethod.TRANSFER: gettext_lazy("Transfer"),
}


def label(method) -> str:
    return str(LABELS.get(method) or dict(PaymentMethod.choices).get(method, method))


def choices(unit) -> list:
    """(value, label) of the methods the unit's counter takes, for the counter's forms."""
    return [(m.value, label(m)) for m in counter_methods(unit)]


def check(unit, method, accepted=None):
    """Refuse a method the unit's counter does not take, with a message naming it (``accepted``:
    ``counter_methods(unit)`` when the caller has read it already)."""
    if method not in PaymentMethod.values:
        raise PosError(_("Cara bayar tidak dikenal."), code="bad_method")
    if method in CASH_LIKE:  # cash brought back from a delivery (COD) is cash in the drawer
        method = PaymentMethod.CASH
    if method not in (counter_methods(unit) if accepted is None else accepted):
        raise PosError(
            _("%(unit)s tidak menerima %(method)s di kasir.") % {"unit": unit.short_name, "method": PaymentMethod(method).label},
            code="method_unavailable",
        )


def sale_payments(sale, session, rows, *, user, confirmed_at, reference=""):
    """A counter sale's money: one confirmed ``payments.Payment`` per method (the one payment
    record every rupiah goes through), from ``rows`` of (method, amount, tendered, change); not
    saved yet (the caller inserts them with their history). The counter's sale and the offline
    counter's synced sale both take their rows here."""
    return [
        Payment(
            unit=sale.unit,
            payable_type=SALE_PAYABLE_TYPE,
            payable_id=sale.pk,
            kind=PaymentKind.PAYMENT,
            method=method,
            status=PaymentStatus.CONFIRMED,
            amount=amount,
            received_amount=tendered,
            change=change,
            till_session_id=session.pk,
            counter_action_id=sale.client_sale_id,
            confirmed_by=user,
            confirmed_at=confirmed_at,
            reference=reference,
        )
        for method, amount, tendered, change in rows
    ]
