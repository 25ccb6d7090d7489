"""Checkout through the service: one order per unit, snapshots, reservations, codes, all or nothing."""

import datetime
import uuid

import pytest
from django.core import mail
from django.db.models import Sum

from galeri.core.models import Counter
from galeri.inventory.models import Reason, StockLevel, StockMovement
from galeri.inventory.services import ledger_differences, receive
from galeri.orders import fulfilment as rules
from galeri.orders import services
from galeri.orders.models import (
    Actor,
    Checkout,
    Order,
    OrderLine,
    OrderStatus,
    StockState,
)
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus
from galeri.payments.services import payment_settings_for
from galeri.shipping.models import ShippingZone
from tests.orders.helpers import BUYER, delivery, pickup, place

pytestmark = pytest.mark.django_db


def reserved(product):
    return -(StockMovement.objects.filter(product=product, reason=Reason.RESERVATION).aggregate(t=Sum("quantity"))["t"] or 0)


def test_one_checkout_makes_one_order_per_unit_with_a_shared_reference(goods, shop, django_capture_on_commit_callbacks):
    result = place([(goods.bag, 2), (goods.cake, 3)], [pickup(shop.lapas.unit), pickup(shop.lpp.unit, "transfer")])
    assert result.created
    orders = sorted(result.orders, key=lambda o: o.unit_id)
    assert [o.unit for o in orders] == sorted([shop.lapas.unit, shop.lpp.unit], key=lambda u: u.pk)
    assert {o.checkout_id for o in orders} == {result.checkout.pk}
    assert result.checkout.reference.startswith("GK-")
    bag_order = next(o for o in orders if o.unit == shop.lapas.unit)
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).strftime("%Y%m%d")
    assert bag_order.code == f"LPA-{today}-0001"
    assert bag_order.subtotal == 300_000 and bag_order.total == 300_000
    assert bag_order.status == OrderStatus.AWAITING_PAYMENT
    assert bag_order.buyer_phone == "+6281234567890"
    assert [e.to_state for e in bag_order.events.all()] == [OrderStatus.NEW, OrderStatus.AWAITING_PAYMENT]
    assert bag_order.events.first().actor == Actor.BUYER
    # Each unit gets its own pending payment, for its own amount and method.
    payment = Payment.objects.get(payable_type="order", payable_id=bag_order.pk)
    assert (payment.unit, payment.amount, payment.method, payment.status) == (
        shop.lapas.unit,
        300_000,
        PaymentMethod.QRIS,
        PaymentStatus.PENDING,
    )
    assert payment.reference == bag_order.code


def test_lines_are_a_snapshot(goods, shop):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    goods.bag.name = "Tas Baru"
    goods.bag.price = 999_000
    goods.bag.save()
    line = OrderLine.objects.get(order=order)
    assert (line.product_name, line.unit_price, line.quantity, line.sku) == ("Tas Anyaman Pandan", 150_000, 1, "LPA-TAS-01")
    order.refresh_from_db()
    assert order.total == 150_000


def test_placing_reserves_stock_in_the_ledger_with_the_order_as_cause(goods, shop):
    order = place([(goods.bag, 3)], [pickup(shop.lapas.unit)]).orders[0]
    movement = StockMovement.objects.get(reason=Reason.RESERVATION)
    assert (movement.product, movement.location, movement.quantity) == (goods.bag, shop.lapas.galeri, -3)
    assert (movement.cause_type, movement.cause_id) == ("orders.order", str(order.pk))
    goods.bag.refresh_from_db()
    assert goods.bag.stock_quantity == 7
    assert order.stock_state == StockState.RESERVED
    assert order.lines.get().allocations.get().quantity == 3
    assert ledger_differences() == ([], [])


def test_stock_spread_over_two_sellable_locations_is_reserved_from_both(goods, shop, make_location):
    pameran = make_location(shop.lapas.unit, "Pameran", is_sellable=True)
    receive(goods.bag, pameran, 4)
    order = place([(goods.bag, 12)], [pickup(shop.lapas.unit)]).orders[0]
    allocations = {a.location_id: a.quantity for a in order.lines.get().allocations.all()}
    assert allocations == {shop.lapas.galeri.pk: 10, pameran.pk: 2}
    assert StockLevel.objects.get(product=goods.bag, location=pameran).quantity == 2
    assert ledger_differences() == ([], [])


def test_stock_in_a_store_room_is_not_sold(goods, shop):
    receive(goods.bag, shop.lapas.gudang, 50)
    with pytest.raises(services.CheckoutError) as exc:
        place([(goods.bag, 11)], [pickup(shop.lapas.unit)])
    assert "Tas Anyaman Pandan" in exc.value.messages[0]
    assert "tersisa 10" in exc.value.messages[0]


def test_a_line_that_ran_out_fails_the_whole_checkout_and_names_it(goods, shop):
    counters_before = list(Counter.objects.values_list("scope", "period", "last_number"))
    with pytest.raises(services.CheckoutError) as exc:
        place([(goods.bag, 2), (goods.cake, 6)], [pickup(shop.lapas.unit), pickup(shop.lpp.unit)])
    assert exc.value.messages == ["Stok Kue Kenari tidak cukup: tersisa 5, Anda memesan 6."]
    assert Order.objects.count() == 0 and Checkout.objects.count() == 0 and Payment.objects.count() == 0
    assert not StockMovement.objects.filter(reason=Reason.RESERVATION).exists()
    assert list(Counter.objects.values_list("scope", "period", "last_number")) == counters_before
    goods.bag.refresh_from_db()
    assert goods.bag.stock_quantity == 10
    # The next order still gets number 0001: the failure left no gap.
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    assert order.code.endswith("-0001")


def test_sold_out_is_said_plainly(goods, shop):
    place([(goods.cake, 5)], [pickup(shop.lpp.unit)])
    with pytest.raises(services.CheckoutError) as exc:
        place([(goods.cake, 1)], [pickup(shop.lpp.unit)])
    assert "Kue Kenari sudah habis" in exc.value.messages[0]


def test_codes_follow_each_other_per_unit(goods, shop):
    codes = [place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0].code for _ in range(3)]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    assert place([(goods.cake, 1)], [pickup(shop.lpp.unit)]).orders[0].code.endswith("-0001")


def test_the_order_numbers_are_the_last_thing_before_the_commit(goods, shop):
    """Issue 16: a counter row stays locked from its UPDATE to the commit, so after the first
    number only the other unit's number and the codes are written; the payments (which carry
    the code) follow in a transaction of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    choices = [pickup(shop.lapas.unit), pickup(shop.lpp.unit)]
    place([(goods.bag, 1), (goods.cake, 1)], choices)  # the day's counter rows exist from now on
    with CaptureQueriesContext(connection) as queries:
        result = place([(goods.bag, 1), (goods.cake, 1)], choices)
    sql = [q["sql"] for q in queries.captured_queries]
    first_number = next(i for i, q in enumerate(sql) if "core_counter" in q and q.startswith("UPDATE"))
    end = next(i for i in range(first_number, len(sql)) if sql[i].startswith(("COMMIT", "RELEASE SAVEPOINT")))
    between = sql[first_number + 1 : end]
    assert len(between) == 2, between
    assert "core_counter" in between[0] and between[1].startswith('UPDATE "orders_order"'), between
    assert not any("payments_payment" in q for q in sql[:end])
    payments = Payment.objects.filter(payable_id__in=[o.pk for o in result.orders]).order_by("payable_id")
    assert [(p.payable_id, p.reference) for p in payments] == [(o.pk, o.code) for o in result.orders]


def test_a_payment_missing_after_the_commit_is_made_when_the_checkout_is_sent_again(goods, shop):
    key = uuid.uuid4()
    first = place([(goods.bag, 1)], [pickup(shop.lapas.unit)], key=key)
    order = first.orders[0]
    Payment.objects.filter(payable_id=order.pk).delete()  # as if the process stopped right after the orders' commit

    again = place([(goods.bag, 1)], [pickup(shop.lapas.unit)], key=key)
    assert not again.created and [o.pk for o in again.orders] == [order.pk]
    payment = Payment.objects.get(payable_id=order.pk, status=PaymentStatus.PENDING)
    assert (payment.reference, payment.amount) == (order.code, 150_000)
    place([(goods.bag, 1)], [pickup(shop.lapas.unit)], key=key)  # and only once
    assert Payment.objects.filter(payable_id=order.pk).count() == 1


def test_made_to_order_reserves_what_is_there_and_waits_for_the_unit(shop, stocked):
    table = stocked(shop.lapas.galeri, 1, name="Meja Jati", price=1_200_000, made_to_order=True, lead_time_days=10)
    order = place([(table, 3)], [pickup_after(shop.lapas.unit, 10)]).orders[0]
    line = order.lines.get()
    assert (line.from_stock, line.to_make) == (1, 2)
    assert reserved(table) == 1
    # The unit confirms it can make them before the buyer is asked to pay.
    assert order.status == OrderStatus.NEW
    assert not Payment.objects.filter(payable_id=order.pk).exists()
    assert order.expires_at is not None


def pickup_after(unit, lead_days):
    day = rules.pickup_dates(unit, lead_days=lead_days)[0]
    return services.UnitChoice(unit_id=unit.pk, fulfilment="ambil", payment_method="qris", pickup_date=day)


def test_made_to_order_pickup_must_leave_time_to_make(shop, stocked):
    table = stocked(shop.lapas.galeri, 0, name="Meja Jati", made_to_order=True, lead_time_days=10)
    with pytest.raises(services.CheckoutError) as exc:
        place([(table, 1)], [pickup(shop.lapas.unit)])
    assert "Tanggal ambil" in exc.value.messages[0]


def test_delivery_fee_from_a_zone_or_set_by_staff(goods, shop):
    ShippingZone.objects.create(unit=shop.lapas.unit, district_code="81.71.02", name="Sirimau", fee=15_000, days=1)
    zoned = place([(goods.bag, 1)], [delivery(shop.lapas.unit, kecamatan="sirimau")]).orders[0]
    assert (zoned.delivery_fee, zoned.total, zoned.status) == (15_000, 165_000, OrderStatus.AWAITING_PAYMENT)
    assert (zoned.delivery_kind, zoned.delivery_kecamatan) == ("own_delivery", "sirimau")
    assert Payment.objects.get(payable_id=zoned.pk).amount == 165_000
    unzoned = place([(goods.bag, 1)], [delivery(shop.lapas.unit, kecamatan="nusaniwe")]).orders[0]
    assert (unzoned.delivery_fee, unzoned.status) == (None, OrderStatus.NEW)
    assert unzoned.delivery_street == "Jl. Sultan Hasanudin No. 5"


def test_transfer_carries_a_unique_code(goods, shop, unique_codes):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "transfer")]).orders[0]
    payment = Payment.objects.get(payable_id=order.pk)
    assert 1 <= payment.unique_code <= 999
    assert payment.amount == 150_000 + payment.unique_code
    assert order.total == 150_000


@pytest.mark.parametrize(
    "choice,message",
    [
        (lambda u: pickup(u, "cod"), "Cara bayar"),
        (lambda u: delivery(u, "cash"), "Cara bayar"),
        (lambda u: services.UnitChoice(u.pk, "ambil", "qris", pickup_date=datetime.date(2000, 1, 1)), "Tanggal ambil"),
        (lambda u: services.UnitChoice(u.pk, "terbang", "qris"), "Pilih cara menerima"),
        (lambda u: delivery(u, kecamatan="jakarta"), "Kelurahan/desa tujuan tidak dikenal"),
        (lambda u: services.UnitChoice(u.pk, "antar", "qris", region_code="81.71.02.2003"), "alamat jalan"),
        (lambda u: delivery(u, option=""), "Pilih pengiriman"),
        (lambda u: delivery(u, option="courier:jne:REG"), "tidak tersedia lagi"),
    ],
)
def test_bad_choices_are_refused_with_a_message(goods, shop, choice, message):
    with pytest.raises(services.CheckoutError) as exc:
        place([(goods.bag, 1)], [choice(shop.lapas.unit)])
    assert message in exc.value.messages[0]
    assert Order.objects.count() == 0


def test_cash_on_delivery_only_where_the_unit_allows_it(goods, shop):
    with pytest.raises(services.CheckoutError):
        place([(goods.bag, 1)], [delivery(shop.lapas.unit, "cod")])
    settings = payment_settings_for(shop.lapas.unit)
    settings.allow_cod = True
    settings.save()
    ShippingZone.objects.create(unit=shop.lapas.unit, district_code="81.71.02", name="Sirimau", fee=15_000, days=1)
    order = place([(goods.bag, 1)], [delivery(shop.lapas.unit, "cod")]).orders[0]
    assert order.payment_method == PaymentMethod.COD


def test_missing_choice_for_a_unit(goods, shop):
    with pytest.raises(services.CheckoutError) as exc:
        place([(goods.bag, 1), (goods.cake, 1)], [pickup(shop.lapas.unit)])
    assert "LPP Ambon" in exc.value.messages[0]


@pytest.mark.parametrize("qty", [0, -1, 100, True, "2"])
def test_bad_quantities(goods, shop, qty):
    with pytest.raises(services.CheckoutError):
        services.place_checkout(
            idempotency_key=uuid.uuid4(),
            buyer=BUYER,
            items=[(goods.bag.pk, qty)],
            choices={shop.lapas.unit.pk: pickup(shop.lapas.unit)},
        )


def test_drafts_services_and_unknown_products_cannot_be_ordered(goods, shop, stocked, service_category):
    from galeri.catalog.models import ProductStatus

    draft = stocked(shop.lapas.galeri, 3, status=ProductStatus.DRAFT)
    haircut = stocked(shop.lapas.galeri, 0, category=service_category)
    for items in ([(draft.pk, 1)], [(haircut.pk, 1)], [(987654, 1)], []):
        with pytest.raises(services.CheckoutError):
            services.place_checkout(
                idempotency_key=uuid.uuid4(), buyer=BUYER, items=items, choices={shop.lapas.unit.pk: pickup(shop.lapas.unit)}
            )


def test_the_same_key_gives_the_same_orders(goods, shop):
    key = uuid.uuid4()
    first = place([(goods.bag, 2)], [pickup(shop.lapas.unit)], key=key)
    again = place([(goods.bag, 2)], [pickup(shop.lapas.unit)], key=key)
    assert not again.created
    assert [o.pk for o in again.orders] == [o.pk for o in first.orders]
    assert Order.objects.count() == 1 and reserved(goods.bag) == 2


def test_a_price_change_since_the_page_was_shown_is_noticed(goods, shop):
    signature = services.cart_signature([(goods.bag, 1)])
    goods.bag.price = 175_000
    goods.bag.save()
    with pytest.raises(services.CheckoutError) as exc:
        place([(goods.bag, 1)], [pickup(shop.lapas.unit)], expected_signature=signature)
    assert "Harga" in exc.value.messages[0]
    order = place(
        [(goods.bag, 1)], [pickup(shop.lapas.unit)], expected_signature=services.cart_signature([(goods.bag, 1)])
    ).orders[0]
    assert order.subtotal == 175_000


def test_mail_to_buyer_and_unit_staff_after_commit(goods, shop, make_staff, django_capture_on_commit_callbacks):
    from galeri.units.models import Role

    officer = make_staff(Role.OFFICER, shop.lapas.unit, "petugas.galeri")
    officer.email = "petugas@contoh.go.id"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    to = sorted(tuple(m.to) for m in mail.outbox)
    assert ("maria@contoh.id",) in to
    staff_mail = next(m for m in mail.outbox if m.to != ["maria@contoh.id"])
    assert set(staff_mail.to) == {"galeri.lpa@contoh.go.id", "petugas@contoh.go.id"}
    assert order.code in staff_mail.subject
    buyer_mail = next(m for m in mail.outbox if m.to == ["maria@contoh.id"])
    assert "/pesanan/" + order.code in buyer_mail.body and "kunci=" in buyer_mail.body


def test_no_mail_when_the_checkout_fails(goods, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.CheckoutError):
            place([(goods.bag, 11)], [pickup(shop.lapas.unit)])
    assert mail.outbox == []
