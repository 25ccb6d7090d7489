"""Counter sales, payments, discounts by role, refunds, closing a till: the services on a real database."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from galeri.inventory.models import Reason, StockLevel, StockMovement
from galeri.inventory.services import ledger_differences
from galeri.payments.models import Payment
from galeri.pos import services
from galeri.pos.models import Sale, SaleLine, SaleStatus
from galeri.pos.services import LineInput, PaymentInput, PosError
from galeri.production.models import Allocation, Settlement
from galeri.units.models import Role
from tests.pos.helpers import approval, cash, sell

pytestmark = pytest.mark.django_db


def level(product, location):
    return StockLevel.objects.get(product=product, location=location).quantity


def test_a_cash_sale_with_change_takes_stock_and_numbers_the_receipt(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5, price=150_000, name="Tas Anyaman Pandan")
    cake = stocked(counter.location, 10, price=25_000, name="Kue Sagu")
    sale = sell(session, counter.cashier, [(bag, 1), (cake, 2)], [cash(200_000, tendered=250_000)])
    assert (sale.subtotal, sale.discount, sale.total, sale.paid, sale.change) == (200_000, 0, 200_000, 200_000, 50_000)
    assert sale.receipt_number == 1 and sale.status == SaleStatus.COMPLETED
    p = Payment.objects.get(payable_type="pos_sale", payable_id=sale.pk)
    assert (p.method, p.amount, p.received_amount, p.change) == ("cash", 200_000, 250_000, 50_000)
    assert (p.kind, p.status, p.till_session_id, p.counter_action_id) == ("payment", "confirmed", session.pk, sale.client_sale_id)
    assert (p.confirmed_by, p.confirmed_at, p.reference) == (counter.cashier, sale.created_at, sale.receipt_code)
    assert [(l.name, l.unit_price, l.quantity, l.line_total) for l in sale.lines.all()] == [
        ("Tas Anyaman Pandan", 150_000, 1, 150_000),
        ("Kue Sagu", 25_000, 2, 50_000),
    ]
    assert (level(bag, counter.location), level(cake, counter.location)) == (4, 8)
    assert StockMovement.objects.filter(reason=Reason.SALE, cause_type="pos.sale", cause_id=str(sale.pk)).count() == 2
    assert sell(session, counter.cashier, [(cake, 1)]).receipt_number == 2
    assert ledger_differences() == ([], [])


def test_split_payments_must_add_up_to_the_total(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5, price=150_000)
    with pytest.raises(PosError, match="kurang Rp 50.000"):
        sell(session, counter.cashier, [(bag, 1)], [cash(50_000), PaymentInput("qris", 50_000)])
    with pytest.raises(PosError):
        sell(session, counter.cashier, [(bag, 1)], [cash(100_000), PaymentInput("qris", 100_000)])
    with pytest.raises(PosError, match="kembalian"):
        sell(session, counter.cashier, [(bag, 1)], [PaymentInput("qris", 150_000, 160_000)])
    assert Sale.objects.count() == 0 and level(bag, counter.location) == 5
    sale = sell(
        session,
        counter.cashier,
        [(bag, 1)],
        [cash(50_000, 100_000), PaymentInput("qris", 60_000), PaymentInput("transfer", 40_000)],
    )
    assert (sale.paid, sale.change) == (150_000, 50_000)
    assert sorted(Payment.objects.filter(payable_type="pos_sale", payable_id=sale.pk).values_list("method", "amount")) == [
        ("cash", 50_000),
        ("qris", 60_000),
        ("transfer", 40_000),
    ]


def test_a_line_without_stock_is_refused_before_anything(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 1, name="Tas Anyaman Pandan")
    cake = stocked(counter.location, 5)
    with pytest.raises(PosError, match="Tas Anyaman Pandan"):
        sell(session, counter.cashier, [(cake, 1), (bag, 2)])
    assert Sale.objects.count() == 0 and SaleLine.objects.count() == 0
    assert (level(bag, counter.location), level(cake, counter.location)) == (1, 5)
    # the number was not used: the next sale is number 1
    assert sell(session, counter.cashier, [(bag, 1)]).receipt_number == 1


def test_discounts_and_price_overrides_need_the_role_and_a_reason(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5, price=100_000)
    for line, kw in (
        (LineInput(bag, 1, discount=10_000, reason="cacat kecil"), {}),
        (LineInput(bag, 1, unit_price=80_000, reason="harga pameran"), {}),
        (LineInput(bag, 1), {"sale_discount": 5_000, "discount_reason": "pelanggan tetap"}),
    ):
        with pytest.raises(PosError, match="berwenang"):
            sell(session, counter.cashier, [line], **kw)
    session = open_till(counter.till2, user=counter.admin)  # the administrator sells on his own session
    with pytest.raises(PosError, match="alasan"):
        sell(session, counter.admin, [LineInput(bag, 1, discount=10_000)])
    with pytest.raises(PosError, match="alasan"):
        sell(session, counter.admin, [LineInput(bag, 1)], sale_discount=1_000)
    sale = sell(
        session,
        counter.admin,
        [LineInput(bag, 2, unit_price=90_000, discount=5_000, reason="pameran")],
        sale_discount=15_000,
        discount_reason="pelanggan tetap",
    )
    assert (sale.subtotal, sale.discount, sale.total) == (180_000, 20_000, 160_000)
    line = sale.lines.get()
    assert (line.list_price, line.unit_price, line.discount, line.line_total, line.reason) == (
        100_000,
        90_000,
        5_000,
        175_000,
        "pameran",
    )
    assert Settlement.objects.get(source_type="pos.sale", source_id=str(sale.pk)).revenue == 160_000
    assert Sale.objects.count() == 1


def test_the_same_client_sale_id_is_recorded_once(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5)
    key = uuid.uuid4()
    first = sell(session, counter.cashier, [(bag, 1)], client_sale_id=key)
    again = sell(session, counter.cashier, [(bag, 1)], client_sale_id=str(key))
    assert first.pk == again.pk and Sale.objects.count() == 1 and level(bag, counter.location) == 4


def test_one_open_session_per_till(counter, open_till):
    session = open_till()
    with pytest.raises(PosError):
        open_till(user=counter.admin)
    services.close_session(session, counted_cash=200_000, user=counter.cashier)
    assert open_till().pk != session.pk


def test_a_sale_settles_its_lines_with_allocations(counter, open_till, stocked, make_participant, make_batch, make_rule):
    session = open_till()
    bag = stocked(counter.location, 0, price=150_000)
    make_rule(counter.unit)
    make_batch(bag, counter.location, [(make_participant(counter.unit), 10)], quantity=4, material_cost=200_000)
    sale = sell(session, counter.cashier, [(bag, 2)])
    settlement = Settlement.objects.get(source_type="pos.sale", source_id=str(sale.pk))
    assert (settlement.quantity, settlement.revenue, settlement.key) == (2, 300_000, "1")
    assert Allocation.objects.filter(settlement=settlement).exists()
    refund = services.refund_sale(
        sale,
        quantities={sale.lines.get().pk: 1},
        method="cash",
        reason="rusak",
        user=counter.cashier,
        session=session,
        **approval(counter.admin),
    )
    assert refund.amount == 150_000
    assert Allocation.objects.filter(settlement=settlement, reversal__isnull=False).exists()
    settlement.refresh_from_db()
    assert settlement.reversed_quantity == 1


def test_refunds_need_the_role_a_reason_and_put_stock_back(counter, open_till, stocked, make_staff):
    session = open_till()
    ok = approval(counter.admin)  # a second person approves (issue 16); the cashier pays it out of her till
    bag = stocked(counter.location, 5, price=100_000)
    cake = stocked(counter.location, 5, price=30_000)
    sale = sell(session, counter.cashier, [(bag, 2), (cake, 1)], [cash(230_000)])
    bag_line, cake_line = sale.lines.all()
    with pytest.raises(PermissionDenied):
        services.refund_sale(
            sale,
            quantities={bag_line.pk: 1},
            method="cash",
            reason="rusak",
            user=make_staff(Role.OFFICER, counter.unit),
            session=session,
            **ok,
        )
    with pytest.raises(PosError, match="alasan"):
        services.refund_sale(
            sale, quantities={bag_line.pk: 1}, method="cash", reason=" ", user=counter.cashier, session=session, **ok
        )
    with pytest.raises(PosError):
        services.refund_sale(
            sale, quantities={bag_line.pk: 3}, method="cash", reason="rusak", user=counter.cashier, session=session, **ok
        )
    refund = services.refund_sale(
        sale, quantities={bag_line.pk: 1}, method="qris", reason="rusak", user=counter.cashier, session=session, **ok
    )
    assert (refund.amount, refund.method) == (100_000, "qris")
    assert level(bag, counter.location) == 4
    assert StockMovement.objects.filter(reason=Reason.RETURN, product=bag).aggregate(t=Sum("quantity"))["t"] == 1
    sale.refresh_from_db()
    assert sale.status == SaleStatus.COMPLETED
    services.refund_sale(
        sale,
        quantities={bag_line.pk: 1, cake_line.pk: 1},
        method="cash",
        reason="batal",
        user=counter.cashier,
        session=session,
        **ok,
    )
    sale.refresh_from_db()
    assert sale.status == SaleStatus.VOIDED
    assert Payment.objects.filter(kind="refund", payable_type="pos_sale").aggregate(t=Sum("amount"))["t"] == 230_000
    with pytest.raises(PosError):
        services.refund_sale(
            sale, quantities={bag_line.pk: 1}, method="cash", reason="lagi", user=counter.cashier, session=session, **ok
        )
    assert ledger_differences() == ([], [])


def test_closing_a_till_counts_cash_and_needs_a_note_for_a_difference(counter, open_till, stocked):
    session = open_till(opening_float=100_000)
    bag = stocked(counter.location, 5, price=100_000)
    sale = sell(session, counter.cashier, [(bag, 1)], [cash(40_000, 50_000), PaymentInput("qris", 60_000)])
    sell(session, counter.cashier, [(bag, 1)], [cash(100_000, 100_000)])
    services.refund_sale(
        sale,
        quantities={sale.lines.get().pk: 1},
        method="cash",
        reason="rusak",
        user=counter.cashier,
        session=session,
        **approval(counter.admin),
    )
    figures = services.session_figures(session)
    assert figures["expected_cash"] == 100_000 + 40_000 + 100_000 - 100_000
    assert figures["sales"]["qris"] == 60_000
    with pytest.raises(PosError, match="catatan"):
        services.close_session(session, counted_cash=139_000, user=counter.cashier)
    closed = services.close_session(session, counted_cash=139_000, note="kurang seribu", user=counter.cashier)
    assert (closed.expected_cash, closed.counted_cash, closed.difference) == (140_000, 139_000, -1_000)
    with pytest.raises(PosError):
        services.close_session(session, counted_cash=140_000, user=counter.cashier)
    with pytest.raises(PosError, match="ditutup"):
        sell(session, counter.cashier, [(bag, 1)])
