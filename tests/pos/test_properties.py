"""Till close arithmetic over random sequences of sales and refunds:
expected cash always equals float + cash in − cash out, and the counted difference follows."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.inventory.services import ledger_differences
from galeri.payments.models import Payment
from galeri.pos import services
from galeri.pos.services import LineInput, PaymentInput
from tests.pos.helpers import approval, sell, take

pytestmark = pytest.mark.django_db

PRICES = (15_000, 25_000, 137_500)

sale_step = st.tuples(
    st.just("sale"),
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 4)), min_size=1, max_size=3, unique_by=lambda t: t[0]),
    st.floats(0, 1),  # the cash part of the total
    st.sampled_from(["qris", "transfer"]),  # the rest
    st.integers(0, 100_000),  # cash tendered above the cash part
)
payment_step = st.tuples(
    st.just("payment"), st.integers(1, 500_000), st.floats(0, 1), st.sampled_from(["qris", "transfer"]), st.integers(0, 50_000)
)  # money for an online order or a booking taken at the counter
refund_step = st.tuples(st.just("refund"), st.integers(0, 50), st.integers(1, 4), st.sampled_from(["cash", "qris", "transfer"]))


@pytest.fixture
def shelf(counter, stocked):
    return [stocked(counter.location, 1_000, price=p) for p in PRICES]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    opening_float=st.integers(0, 2_000_000),
    steps=st.lists(st.one_of(sale_step, refund_step, payment_step), max_size=10),
    counted_off=st.integers(-50_000, 50_000),
)
def test_expected_cash_is_float_plus_cash_in_minus_cash_out(counter, shelf, opening_float, steps, counted_off):
    with transaction.atomic():
        session = services.open_session(counter.till, user=counter.cashier, opening_float=opening_float)
        ok = approval(counter.admin)
        cash_in = cash_out = 0
        sales = []
        for step in steps:
            if step[0] == "sale":
                _, items, share, other, extra = step
                lines = [LineInput(shelf[i], q) for i, q in items]
                total = sum(PRICES[i] * q for i, q in items)
                cash_part = int(total * share)
                payments = [PaymentInput("cash", cash_part, cash_part + extra)]
                if total - cash_part:
                    payments.append(PaymentInput(other, total - cash_part))
                sale = sell(session, counter.cashier, lines, payments)
                # no cash part: no cash row (a record moves money), so nothing to give back
                assert sale.change == (extra if cash_part else 0) and sale.total == total
                cash_in += cash_part
                sales.append(sale)
            elif step[0] == "payment":
                _, amount, share, other, extra = step
                cash_part = int(amount * share)
                payments = [PaymentInput("cash", cash_part, cash_part + extra)] if cash_part else []
                if amount - cash_part:
                    payments.append(PaymentInput(other, amount - cash_part))
                paid = take(session, counter.cashier, amount, payments, payable_id=len(steps))
                assert paid.change == (extra if cash_part else 0)
                cash_in += cash_part
            elif sales:
                _, which, qty, method = step
                sale = sales[which % len(sales)]
                line = sale.lines.order_by("position").first()
                line.refresh_from_db()
                left = line.quantity - line.refunded_quantity
                if not left:
                    continue
                qty = min(qty, left)
                refund = services.refund_sale(
                    sale, quantities={line.pk: qty}, method=method, reason="uji", user=counter.cashier, session=session, **ok
                )
                assert refund.amount == line.unit_price * qty
                if method == "cash":
                    cash_out += refund.amount
        figures = services.session_figures(session)
        assert figures["expected_cash"] == opening_float + cash_in - cash_out
        assert sum(figures["sales"].values()) == sum(
            Payment.objects.filter(payable_type="pos_sale", till_session_id=session.pk, kind="payment").values_list(
                "amount", flat=True
            )
        )
        assert figures["received"]["cash"] == cash_in
        counted = max(0, figures["expected_cash"] + counted_off)
        closed = services.close_session(
            session, counted_cash=counted, note="selisih" if counted != figures["expected_cash"] else "", user=counter.cashier
        )
        assert closed.difference == counted - (opening_float + cash_in - cash_out)
        assert ledger_differences() == ([], [])
        transaction.set_rollback(True)
