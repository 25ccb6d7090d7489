"""After checkout: each step a service with a permission check and a history row; stock follows."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from galeri.inventory.models import StockLevel, StockMovement
from galeri.inventory.services import ledger_differences, update_location
from galeri.orders import services
from galeri.orders.models import Order, OrderStatus, StockState
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus
from galeri.payments.services import payment_settings_for
from tests.orders.helpers import delivery, pickup, place

pytestmark = pytest.mark.django_db


def level(product, location):
    return StockLevel.objects.get(product=product, location=location).quantity


def movements(order):
    return list(
        StockMovement.objects.filter(cause_type="orders.order", cause_id=str(order.pk))
        .order_by("id")
        .values_list("reason", "quantity")
    )


def statuses(order):
    return [(e.from_state, e.to_state) for e in order.events.all()]


def test_pickup_paid_by_qris_from_order_to_done(goods, shop, staff):
    officer = staff.lapas_officer
    order = place([(goods.bag, 2)], [pickup(shop.lapas.unit)]).orders[0]
    assert level(goods.bag, shop.lapas.galeri) == 8
    services.record_payment(order, officer, received_amount=300_000, reference="RRN123")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None and order.expires_at is None
    payment = Payment.objects.get(payable_id=order.pk)
    assert (payment.status, payment.received_amount, payment.confirmed_by) == (PaymentStatus.CONFIRMED, 300_000, officer)
    assert [s for s, _l in services.available_steps(order)] == ["proses"]
    services.advance(order, officer, "proses")
    services.advance(order, officer, "siap")
    with pytest.raises(services.OrderError):
        services.advance(order, officer, "kirim")  # a pickup order is not shipped
    services.advance(order, officer, "selesai")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.closed_at is not None
    assert statuses(order) == [
        ("", "baru"),
        ("baru", "menunggu_pembayaran"),
        ("menunggu_pembayaran", "dibayar"),
        ("dibayar", "diproses"),
        ("diproses", "siap_diambil"),
        ("siap_diambil", "selesai"),
    ]
    assert all(e.user == officer for e in order.events.all()[2:])
    # The reservation became a sale: a zero-sum pair, the level did not move again.
    assert movements(order) == [("reservation", -2), ("release", 2), ("sale", -2)]
    assert order.stock_state == StockState.SOLD
    assert level(goods.bag, shop.lapas.galeri) == 8
    assert ledger_differences() == ([], [])


def test_delivery_with_fee_set_by_staff_and_cash_on_delivery(till_for, goods, shop, staff):
    settings = payment_settings_for(shop.lapas.unit)
    settings.allow_cod = True
    settings.save()
    officer = staff.lapas_officer
    order = place([(goods.bag, 1)], [delivery(shop.lapas.unit, "cod", kecamatan="baguala")]).orders[0]
    assert order.status == OrderStatus.NEW
    with pytest.raises(services.OrderError) as exc:
        services.confirm_order(order, officer)
    assert "ongkos kirim" in exc.value.messages[0]
    services.confirm_order(order, officer, delivery_fee=20_000)
    order.refresh_from_db()
    assert (order.status, order.delivery_fee, order.total) == (OrderStatus.AWAITING_PAYMENT, 20_000, 170_000)
    assert Payment.objects.get(payable_id=order.pk).amount == 170_000
    # Cash on delivery: processed and shipped before the money comes.
    services.advance(order, officer, "proses")
    services.advance(order, officer, "kirim")
    with pytest.raises(services.OrderError) as exc:
        services.advance(order, officer, "selesai")
    assert "pembayaran" in exc.value.messages[0].lower()
    # The courier's cash is handed in at the gallery: it goes through the cashier's till.
    cashier = staff.lapas_cashier
    services.record_payment(order, cashier, received_amount=170_000, session=till_for(cashier, shop.lapas.unit))
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and order.paid_at
    services.advance(order, officer, "selesai")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_staff_may_record_another_method_than_the_buyer_chose(goods, shop, staff, till_for):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    session = till_for(staff.lapas_cashier, shop.lapas.unit)
    services.record_payment(order, staff.lapas_cashier, received_amount=150_000, method=PaymentMethod.CASH, session=session)
    payments = {p.method: p.status for p in Payment.objects.filter(payable_id=order.pk)}
    assert payments == {PaymentMethod.TRANSFER: PaymentStatus.CANCELLED, PaymentMethod.CASH: PaymentStatus.CONFIRMED}
    order.refresh_from_db()
    assert order.payment_method == PaymentMethod.CASH and order.status == OrderStatus.PAID


def test_underpayment_is_partial_and_paying_twice_is_refused(goods, shop, staff):
    # Issue 16: an underpayment used to need a note and then counted as full payment.
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=149_000, note="Potongan biaya bank")
    order.refresh_from_db()
    assert order.paid_at is None and order.status == OrderStatus.AWAITING_PAYMENT
    services.record_payment(order, staff.lapas_officer, received_amount=1_000)
    order.refresh_from_db()
    assert order.paid_at is not None
    with pytest.raises(services.OrderError):
        services.record_payment(order, staff.lapas_officer, received_amount=150_000)


def test_steps_check_permission_on_the_orders_unit(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    for call in (
        lambda u: services.record_payment(order, u, received_amount=150_000),
        lambda u: services.cancel(order, reason="x", user=u),
        lambda u: services.advance(order, u, "proses"),
    ):
        with pytest.raises(PermissionDenied):
            call(staff.lpp_officer)
        with pytest.raises(PermissionDenied):
            call(None)
    # The regional administrator reaches every UPT below the Kanwil.
    services.record_payment(order, staff.regional, received_amount=150_000)


def test_steps_out_of_order_are_refused(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    for step in ("siap", "kirim", "selesai"):
        with pytest.raises(services.OrderError):
            services.advance(order, staff.lapas_officer, step)
    with pytest.raises(services.OrderError):
        services.advance(order, staff.lapas_officer, "proses")  # QRIS: pay first
    with pytest.raises(services.OrderError):
        services.confirm_order(order, staff.lapas_officer)  # already confirmed
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_buyer_cancels_before_paying_and_the_stock_comes_back(goods, shop, django_capture_on_commit_callbacks):
    order = place([(goods.bag, 4)], [pickup(shop.lapas.unit)]).orders[0]
    with pytest.raises(services.OrderError):
        services.cancel(order, reason="  ", by_buyer=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(order, reason="Salah pilih warna", by_buyer=True)
    order.refresh_from_db()
    assert (order.status, order.cancel_reason, order.stock_state) == (
        OrderStatus.CANCELLED,
        "Salah pilih warna",
        StockState.RELEASED,
    )
    assert movements(order) == [("reservation", -4), ("release", 4)]
    assert level(goods.bag, shop.lapas.galeri) == 10
    assert Payment.objects.get(payable_id=order.pk).status == PaymentStatus.CANCELLED
    assert order.events.last().actor == "pembeli"
    assert any("Dibatalkan" in m.subject for m in mail.outbox)
    with pytest.raises(services.OrderError):
        services.cancel(order, reason="lagi", by_buyer=True)
    assert movements(order) == [("reservation", -4), ("release", 4)]


def test_buyer_cannot_cancel_once_paid_but_staff_can(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    with pytest.raises(services.OrderError) as exc:
        services.cancel(order, reason="berubah pikiran", by_buyer=True)
    assert "WhatsApp" in exc.value.messages[0]
    services.advance(order, staff.lapas_officer, "proses")
    # Issue 16: money is in, so staff ask and another person with the right approves.
    services.cancel(order, reason="Barang rusak saat dikemas", user=staff.lapas_officer)
    services.decide_cancel(order, staff.lapas_admin, approve=True, refund_reference="RRN-BALIK-1")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert "dikembalikan Rp 150.000" in order.events.last().note
    assert level(goods.bag, shop.lapas.galeri) == 10
    assert ledger_differences() == ([], [])


def test_release_goes_elsewhere_when_the_location_was_switched_off(goods, shop, staff):
    order = place([(goods.bag, 10)], [pickup(shop.lapas.unit)]).orders[0]
    galeri = shop.lapas.galeri
    update_location(galeri, name=galeri.name, kind=galeri.kind, is_sellable=True, is_active=False)  # empty now
    services.cancel(order, reason="Dibatalkan unit", user=staff.lapas_officer)
    assert level(goods.bag, shop.lapas.gudang) == 10
    assert ledger_differences() == ([], [])


def test_return_after_completion_puts_stock_back(goods, shop, staff):
    officer = staff.lapas_officer
    order = place([(goods.bag, 3)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    services.advance(order, officer, "proses")
    services.advance(order, officer, "siap")
    services.record_payment(order, officer, received_amount=450_000, method="transfer")  # an officer takes no cash
    services.advance(order, officer, "selesai")
    line = order.lines.get()
    with pytest.raises(services.OrderError):
        services.return_items(order, officer, {line.pk: 4}, note="rusak")
    with pytest.raises(services.OrderError):
        services.return_items(order, officer, {line.pk: 1}, note="")
    services.return_items(order, officer, {line.pk: 1}, note="Jahitan lepas")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert level(goods.bag, shop.lapas.galeri) == 8
    services.return_items(order, officer, {line.pk: 2}, note="Tidak jadi")
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED
    assert movements(order)[-2:] == [("return", 1), ("return", 2)]
    assert level(goods.bag, shop.lapas.galeri) == 10
    assert ledger_differences() == ([], [])


def test_cash_pickup_deadline_is_the_end_of_the_pickup_day_at_the_earliest(goods, shop):
    from galeri.orders import fulfilment as rules

    unit = shop.lapas.unit
    day = rules.pickup_dates(unit)[-1]
    order = place([(goods.bag, 1)], [services.UnitChoice(unit.pk, "ambil", "cash", pickup_date=day)]).orders[0]
    assert order.expires_at >= rules.end_of_pickup_day(unit, day)


# --- Expiry ----------------------------------------------------------------------------------


def test_expiry_releases_the_reservation_once(goods, shop):
    order = place([(goods.bag, 2)], [pickup(shop.lapas.unit)]).orders[0]
    later = order.expires_at + datetime.timedelta(seconds=1)
    assert services.expire_due(now=order.expires_at - datetime.timedelta(seconds=1)) == 0
    assert services.expire_due(now=later) == 1
    assert services.expire_due(now=later) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED and order.events.last().actor == "sistem"
    assert movements(order) == [("reservation", -2), ("release", 2)]
    assert Payment.objects.get(payable_id=order.pk).status == PaymentStatus.CANCELLED


def test_expiry_hours_come_from_the_units_payment_settings(goods, shop):
    settings = payment_settings_for(shop.lapas.unit)
    settings.order_expiry_hours = 6
    settings.save()
    before = timezone.now()
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    assert datetime.timedelta(hours=5, minutes=59) < order.expires_at - before < datetime.timedelta(hours=6, minutes=1)


def test_paid_orders_never_expire(goods, shop, staff):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    deadline = order.expires_at
    services.record_payment(order, staff.lapas_officer, received_amount=150_000)
    assert services.expire_due(now=deadline + datetime.timedelta(days=3)) == 0


def test_the_expire_orders_command(goods, shop, capsys):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("expire_orders")
    assert "1" in capsys.readouterr().out
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


def test_reading_an_order_expires_it_lazily(goods, shop):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    order.refresh_from_db()
    assert services.refresh(order).status == OrderStatus.EXPIRED
    assert level(goods.bag, shop.lapas.galeri) == 10


def test_a_checkout_first_frees_what_expired(goods, shop):
    old = place([(goods.bag, 10)], [pickup(shop.lapas.unit)]).orders[0]
    Order.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    new = place([(goods.bag, 3)], [pickup(shop.lapas.unit)]).orders[0]
    assert new.status == OrderStatus.AWAITING_PAYMENT
    old.refresh_from_db()
    assert old.status == OrderStatus.EXPIRED


# --- Privacy ---------------------------------------------------------------------------------


def test_anonymise_orders_after_the_retention_period(goods, shop, staff, settings, capsys):
    settings.ORDER_RETENTION_DAYS = 30
    done = place([(goods.bag, 1)], [delivery(shop.lapas.unit, kecamatan="sirimau")]).orders[0]
    services.cancel(done, reason="Tidak jadi", user=staff.lapas_officer)
    recent = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    services.cancel(recent, reason="Tidak jadi", user=staff.lapas_officer)
    open_order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    Order.objects.filter(pk__in=[done.pk, open_order.pk]).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    call_command("anonymise_orders")
    assert "1" in capsys.readouterr().out
    done.refresh_from_db()
    recent.refresh_from_db()
    open_order.refresh_from_db()
    assert (done.buyer_name, done.buyer_phone, done.buyer_email, done.delivery_street, done.note) == ("(dihapus)", "", "", "", "")
    assert done.anonymised_at and done.subtotal == 150_000 and done.lines.count() == 1
    assert recent.buyer_name == "Maria Latuheru"
    assert open_order.buyer_name == "Maria Latuheru"  # still open: kept


def test_completion_settles_the_sale_and_a_return_reverses_it(goods, shop, staff):
    """Each unit's money: completing an order settles it through production (lots, split, premi)."""
    from galeri.production.models import Settlement

    officer = staff.lapas_officer
    order = place([(goods.bag, 2)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    services.advance(order, officer, "proses")
    services.advance(order, officer, "siap")
    services.record_payment(order, officer, received_amount=300_000, method="transfer")  # an officer takes no cash
    assert not Settlement.objects.filter(source_type="orders.order").exists()
    services.advance(order, officer, "selesai")
    settlement = Settlement.objects.get(source_type="orders.order", source_id=str(order.pk))
    line = order.lines.get()
    assert (settlement.key, settlement.quantity, settlement.revenue, settlement.product_id) == (
        str(line.pk),
        2,
        300_000,
        goods.bag.pk,
    )
    services.return_items(order, officer, {line.pk: 1}, note="Jahitan lepas")
    settlement.refresh_from_db()
    assert settlement.reversed_quantity == 1
