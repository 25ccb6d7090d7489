"""Reads about payments, shaped for checkout and for the staff pages."""

from django.db.models import QuerySet

from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus, UnitPaymentSettings
from galeri.payments.qris import QrisError, parse
from galeri.units.scoping import scope


def _settings_or_defaults(unit) -> UnitPaymentSettings:
    """The unit's settings without writing (defaults in memory when none are stored yet)."""
    found = UnitPaymentSettings.objects.filter(unit=unit).first()
    return found or UnitPaymentSettings(unit=unit)


def has_valid_qris(unit) -> bool:
    payload = (unit.qris_payload or "").strip()
    if not payload:
        return False
    try:
        return parse(payload).currency == "360"
    except QrisError:
        return False


def has_bank_account(unit) -> bool:
    return bool((unit.bank_account_number or "").strip() and (unit.bank_name or "").strip())


def available_methods(unit, settings: UnitPaymentSettings | None = None) -> list:
    """The methods a buyer may choose for this unit: switched on *and* set up.

    QRIS needs a valid static QRIS on the unit, transfer needs a bank account;
    cash and COD need nothing but the switch. An inactive unit takes nothing.
    """
    if not unit.is_active:
        return []
    settings = settings or _settings_or_defaults(unit)
    methods = []
    for method in settings.enabled_methods:
        if method == PaymentMethod.QRIS and not has_valid_qris(unit):
            continue
        if method == PaymentMethod.TRANSFER and not has_bank_account(unit):
            continue
        methods.append(PaymentMethod(method))
    return methods


def counter_methods(unit) -> list:
    """The methods the unit's counter takes (cash always; QRIS and transfer as switched on in its
    payment settings), in display order."""
    return [PaymentMethod(m) for m in _settings_or_defaults(unit).counter_methods]


def till_money(till_session_ids) -> dict:
    """{till_session_id: {"in": {method: rupiah}, "out": {method: rupiah}, "count_in": n, "count_out": n}}:
    the confirmed money of those till sessions from the payment records (``Payment.till_session_id``):
    money in counted as received less change, refunds paid out as their amount. One query."""
    from django.db.models import Count, F, Sum

    out = {}
    rows = (
        Payment.objects.filter(till_session_id__in=list(till_session_ids), status=PaymentStatus.CONFIRMED)
        .values("till_session_id", "kind", "method")
        .annotate(total=Sum(F("received_amount") - F("change")), n=Count("id"))
        .order_by()
    )
    for row in rows:
        figures = out.setdefault(
            row["till_session_id"],
            {
                "in": {m: 0 for m in PaymentMethod.values},
                "out": {m: 0 for m in PaymentMethod.values},
                "count_in": 0,
                "count_out": 0,
            },
        )
        side = "out" if row["kind"] == PaymentKind.REFUND else "in"
        figures[side][row["method"]] += int(row["total"] or 0)
        figures[f"count_{side}"] += row["n"]
    return out


def payments_for(payable_type: str, payable_id: int) -> QuerySet:
    """Every payment of one thing (an order, a booking), oldest first."""
    return (
        Payment.objects.filter(payable_type=payable_type, payable_id=payable_id)
        .select_related("unit", "confirmed_by", "rejected_by")
        .order_by("created_at", "id")
    )


def pending_refunds(user, *, unit=None, method=None) -> QuerySet:
    """Refund tasks (refund records still *pending*) of the units where ``user`` may confirm
    payments, oldest first: what staff still owe buyers."""
    qs = scope(Payment.objects.all(), user, "payments.confirm").select_related("unit")
    qs = qs.filter(kind=PaymentKind.REFUND, status=PaymentStatus.PENDING)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if method is not None:
        qs = qs.filter(method=method)
    return qs.order_by("created_at", "id")


def refund_state(payable_type: str, payable_id: int) -> dict:
    """What is paid back on one thing: ``paid_back`` (confirmed refund records: the money left)
    and ``pending`` (refund tasks not paid out yet). A page says "dana dikembalikan" only for the first."""
    state = {"paid_back": 0, "pending": 0}
    rows = Payment.objects.filter(payable_type=payable_type, payable_id=payable_id, kind=PaymentKind.REFUND)
    for status, amount, received in rows.values_list("status", "amount", "received_amount"):
        if status == PaymentStatus.CONFIRMED:
            state["paid_back"] += received or 0
        elif status == PaymentStatus.PENDING:
            state["pending"] += amount
    return state


def payments_for_many(payable_type: str, payable_ids) -> dict:
    """{payable_id: [payments oldest first]} in one query, for a list page."""
    out = {}
    payments = Payment.objects.filter(payable_type=payable_type, payable_id__in=list(payable_ids)).order_by("created_at", "id")
    for payment in payments:
        out.setdefault(payment.payable_id, []).append(payment)
    return out


def staff_payments(user, *, status: str | None = PaymentStatus.PENDING, unit=None, method: str | None = None) -> QuerySet:
    """Payments of the units where ``user`` may confirm, newest first (pending only by default).
    Money in only: refund tasks are ``pending_refunds``."""
    qs = scope(Payment.objects.filter(kind=PaymentKind.PAYMENT), user, "payments.confirm").select_related(
        "unit", "confirmed_by", "rejected_by"
    )
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if method:
        qs = qs.filter(method=method)
    return qs.order_by("-created_at", "-id")


def pending_transfers_matching(unit, amount: int) -> QuerySet:
    """Pending transfers of ``unit`` asking exactly ``amount`` (what staff read on the bank statement).

    With the unique code switched on there is at most one.
    """
    return Payment.objects.filter(
        unit=unit, kind=PaymentKind.PAYMENT, method=PaymentMethod.TRANSFER, status=PaymentStatus.PENDING, amount=amount
    ).order_by("created_at", "id")


def flagged_charges(user, *, unit=None) -> QuerySet:
    """QRIS charges an acquirer reported paid that were not confirmed (wrong amount, paid after
    expiry, payment no longer pending), in the units where ``user`` may confirm, newest first.
    Staff decide each one (confirm with a note, or refund)."""
    from galeri.payments.models import Charge, ChargeStatus

    qs = scope(Charge.objects.all(), user, "payments.confirm", field="payment__unit").select_related("payment", "payment__unit")
    qs = qs.filter(status=ChargeStatus.FLAGGED)
    if unit is not None:
        qs = qs.filter(payment__unit=unit)
    return qs.order_by("-updated_at", "-id")


# --- What is paid and what is still due (the money rules: docs/payments.md "Aturan uang") -------


class Money:
    """What one thing's payment records say: ``paid`` (credited from confirmed receipts),
    ``refunded`` (refund records), ``net`` (paid - refunded), ``due`` (the rest of ``total``) and
    ``over`` (net above the total). Derived from the records only, never typed twice."""

    def __init__(self, total: int, paid: int, refunded: int):
        self.total, self.paid, self.refunded = total, paid, refunded
        self.net = paid - refunded
        self.due = max(0, total - self.net)
        self.over = max(0, self.net - total)

    @property
    def covered(self) -> bool:
        return self.due == 0

    @property
    def has_money_in(self) -> bool:
        return self.net > 0

    def __repr__(self):
        return f"<Money total={self.total} paid={self.paid} refunded={self.refunded} due={self.due}>"


def credited(payment: Payment) -> int:
    """What a confirmed payment counts toward the thing it pays: the amount received less the change
    handed back, less the transfer's unique code insofar as the buyer paid it (a transfer of the
    price without the code still pays the price in full)."""
    if payment.kind != PaymentKind.PAYMENT or payment.status != PaymentStatus.CONFIRMED or payment.received_amount is None:
        return 0
    received = payment.received_amount - payment.change
    return received - min(payment.unique_code, max(0, received - payment.base_amount))


def money_of(payable_type: str, payable_id: int, total: int, payment_list=None) -> Money:
    """The one selector of what is paid and what is still due on one thing (an order, a custom
    order, a booking): confirmed payments count by their received amount (``credited``), confirmed
    refund records (paid out) take money back out; a pending refund is not refunded yet."""
    if payment_list is None:
        payment_list = Payment.objects.filter(payable_type=payable_type, payable_id=payable_id, status=PaymentStatus.CONFIRMED)
    paid = sum(credited(p) for p in payment_list)
    refunded = sum(
        p.received_amount or 0 for p in payment_list if p.kind == PaymentKind.REFUND and p.status == PaymentStatus.CONFIRMED
    )
    return Money(total, paid, refunded)
