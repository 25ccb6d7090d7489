"""Which payment methods a unit's counter takes: cash always, QRIS and transfer as the unit switched
them on in its payment settings (``payments.UnitPaymentSettings.counter_accept_*``). The methods
themselves are defined once, ``payments.models.PaymentMethod``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.payments.models import PaymentMethod
from galeri.payments.selectors import counter_methods

from .errors import PosError

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
