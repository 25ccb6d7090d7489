"""Anonymous hoarding (issue 18, Medium 3): "a script that tries". One client drives the buyer's
pages with Django's test client from one address, in a loop, until it is refused; what it holds
stays within the limits (galeri/orders/hoarding.py, galeri/bookings/limits.py). The limits run
with their deployed defaults (fixture ``hoarding_limits``)."""

import datetime
import re
import uuid

import pytest
from django.db.models import Sum
from django.test import Client

from galeri.bookings.models import Booking, BookingStatus, Slot
from galeri.core import clock
from galeri.orders import hoarding
from galeri.orders.models import Order, OrderLine, OrderStatus
from galeri.payments import acquiring
from galeri.units.models import Role
from tests.kit.bookings import tomorrow_at
from tests.orders import helpers
from tests.orders.pages import add, checkout_data

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"  # "0812-3456-7890", what checkout_data and the booking form send


def _held(**who):
    orders = hoarding.held_orders(clock.now()).filter(**who)
    pieces = OrderLine.objects.filter(order__in=orders).aggregate(n=Sum("quantity"))["n"] or 0
    return orders.count(), pieces


def _checkout(client, product, quantity, unit, *, method="transfer", **overrides):
    add(client, product, quantity)
    return client.post("/checkout/", checkout_data(client, [unit], method=method, **overrides))


@pytest.fixture
def bags(shop, stocked):
    """Plenty of stock, so only the limits stop the script."""
    return stocked(shop.lapas.galeri, 200, name="Tas Anyaman Pandan", price=150_000, sku="LPA-TAS-99")


def test_a_script_ordering_one_product_again_and_again_is_stopped_at_the_pieces_limit(hoarding_limits, shop, bags):
    client = Client(REMOTE_ADDR="203.0.113.7")
    placed = refused = 0
    for _attempt in range(20):
        response = _checkout(client, bags, 4, shop.lapas.unit)
        if response.status_code == 302:
            placed += 1
            continue
        refused += 1
        assert "paling banyak 10 buah" in response.content.decode()
        break
    assert (placed, refused) == (2, 1)  # 4 + 4 held; 4 more would be 12 > 10
    assert _held(buyer_phone=PHONE) == (2, 8)
    bags.refresh_from_db()
    assert bags.stock_quantity == 192  # the refused checkout reserved nothing


def test_a_script_ordering_different_products_is_stopped_at_the_open_orders_limit(hoarding_limits, shop, stocked):
    client = Client(REMOTE_ADDR="203.0.113.8")
    products = [stocked(shop.lapas.galeri, 5, name=f"Gelang {i}", price=20_000, sku=f"LPA-GEL-{i}") for i in range(10)]
    placed = 0
    for product in products:
        response = _checkout(client, product, 1, shop.lapas.unit)
        if response.status_code != 302:
            assert "belum dibayar" in response.content.decode()
            client.post("/keranjang/ubah/", {"product": product.pk, "quantity": 0})
            break
        placed += 1
    assert placed == hoarding_limits["HOARD_MAX_OPEN_ORDERS"] == 3
    assert _held(buyer_phone=PHONE)[0] == 3


def test_new_numbers_from_one_address_are_stopped_at_the_address_limit(hoarding_limits, shop, stocked):
    client = Client(REMOTE_ADDR="198.51.100.20")
    product = stocked(shop.lapas.galeri, 100, name="Kursi Rotan", price=90_000, sku="LPA-KUR-01")
    placed = 0
    for i in range(15):
        response = _checkout(client, product, 1, shop.lapas.unit, phone=f"0812-5555-{i:04d}")
        if response.status_code != 302:
            assert "belum dibayar" in response.content.decode()
            break
        placed += 1
    assert placed == hoarding_limits["HOARD_MAX_OPEN_ORDERS_PER_ADDRESS"] == 6
    assert _held(checkout__client_address="198.51.100.20") == (6, 6)
    # Another address with a new number is a new client.
    other = Client(REMOTE_ADDR="198.51.100.21")
    assert _checkout(other, product, 1, shop.lapas.unit, phone="0812-6666-0001").status_code == 302


def test_too_many_pieces_in_one_online_order_are_refused_with_the_way_to_the_gallery(hoarding_limits, shop, bags):
    client = Client()
    response = _checkout(client, bags, 11, shop.lapas.unit)
    page = response.content.decode()
    assert response.status_code == 200 and "paling banyak 10 buah per barang" in page and "hubungi galeri" in page
    assert Order.objects.count() == 0
    client.post("/keranjang/ubah/", {"product": bags.pk, "quantity": 10})
    assert client.post("/checkout/", checkout_data(client, [shop.lapas.unit], method="transfer")).status_code == 302


def test_paid_orders_do_not_count(hoarding_limits, shop, bags, staff):
    for _i in range(3):
        helpers.place([(bags, 1)], [helpers.pickup(shop.lapas.unit, method="transfer")], client="192.0.2.1")
    with pytest.raises(hoarding.CheckoutError):
        helpers.place([(bags, 1)], [helpers.pickup(shop.lapas.unit, method="transfer")], client="192.0.2.1")
    from galeri.orders import services

    first = Order.objects.order_by("pk").first()
    services.record_payment(first, staff.lapas_officer, received_amount=first.total, reference="TRF-1")
    helpers.place([(bags, 1)], [helpers.pickup(shop.lapas.unit, method="transfer")], client="192.0.2.1")


def test_unpaid_qris_through_the_acquirer_holds_for_an_hour_then_the_client_may_order_again(
    hoarding_limits, shop, bags, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 8, 10, 0, tzinfo=datetime.UTC), tick=False)
    unit = shop.lapas.unit
    acquiring.ensure_simulated_account(unit)
    qris = helpers.place([(bags, 5)], [helpers.pickup(unit, method="qris")], client="192.0.2.9").orders[0]
    transfer = helpers.place([(bags, 5)], [helpers.pickup(unit, method="transfer")], client="192.0.2.9").orders[0]
    assert qris.expires_at == qris.placed_at + datetime.timedelta(minutes=60)
    assert transfer.expires_at >= transfer.placed_at + datetime.timedelta(hours=24)  # the unit's window
    with pytest.raises(hoarding.CheckoutError):  # 10 pieces held
        helpers.place([(bags, 1)], [helpers.pickup(unit, method="transfer")], client="192.0.2.9")
    time_machine.move_to(datetime.datetime(2026, 12, 8, 11, 1, tzinfo=datetime.UTC), tick=False)
    again = helpers.place([(bags, 5)], [helpers.pickup(unit, method="transfer")], client="192.0.2.9").orders[0]
    qris.refresh_from_db()
    assert qris.status == OrderStatus.EXPIRED and again.status == OrderStatus.AWAITING_PAYMENT
    bags.refresh_from_db()
    assert bags.stock_quantity == 190  # the expired hold went back


def test_a_unit_without_an_acquirer_keeps_its_window_for_qris(hoarding_limits, shop, bags):
    order = helpers.place([(bags, 1)], [helpers.pickup(shop.lapas.unit, method="qris")]).orders[0]
    assert order.expires_at >= order.placed_at + datetime.timedelta(hours=24)


# --- Bookings ------------------------------------------------------------------------------------


def _key(html):
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def _book(client, service, starts_at, phone="0812-3456-7890"):
    html = client.get(f"/jasa/{service.slug}/pesan/").content.decode()
    slot = starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    data = {"slot": slot, "name": "Yohanis", "phone": phone, "note": "", "key": _key(html)}
    return client.post(f"/jasa/{service.slug}/pesan/", data)


@pytest.fixture
def haircut(make_service, upt):
    return make_service(upt)


def test_a_script_booking_slot_after_slot_is_stopped_at_the_phone_limit(hoarding_limits, haircut):
    client = Client(REMOTE_ADDR="203.0.113.30")
    booked = 0
    for hour in range(9, 17):
        response = _book(client, haircut, tomorrow_at(hour))
        if response.status_code != 302:
            assert "paling banyak 3" in response.content.decode()
            break
        booked += 1
    assert booked == 3
    assert Booking.objects.filter(buyer_phone=PHONE, status=BookingStatus.BOOKED).count() == 3
    assert Slot.objects.aggregate(n=Sum("taken"))["n"] == 3


def test_new_numbers_from_one_address_are_stopped_at_the_booking_address_limit(hoarding_limits, haircut):
    client = Client(REMOTE_ADDR="203.0.113.31")
    booked = 0
    for i, hour in enumerate(range(9, 17)):
        if _book(client, haircut, tomorrow_at(hour), phone=f"0812-7777-{i:04d}").status_code != 302:
            break
        booked += 1
    assert booked == 6 and Booking.objects.filter(client_address="203.0.113.31").count() == 6


def test_past_and_cancelled_bookings_do_not_count(hoarding_limits, haircut, book_one, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 8, 0, 0, tzinfo=datetime.UTC), tick=False)
    made = [book_one(haircut, tomorrow_at(h), client="192.0.2.50") for h in (9, 10, 11)]
    from galeri.bookings import services

    with pytest.raises(services.BookingError, match="paling banyak 3"):
        book_one(haircut, tomorrow_at(12), client="192.0.2.50")
    services.cancel_by_buyer(made[0], "tidak jadi")
    book_one(haircut, tomorrow_at(12), client="192.0.2.50")
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 3


# --- Staff: see and release -------------------------------------------------------------------


def test_staff_see_and_release_a_hoarders_orders_and_bookings(hoarding_limits, shop, bags, haircut, book_one, signed_in, staff):
    unit = shop.lapas.unit
    assert haircut.unit == unit
    for _i in range(2):
        helpers.place([(bags, 5)], [helpers.pickup(unit, method="transfer")], client="192.0.2.77")
    for hour in (9, 10):
        book_one(haircut, tomorrow_at(hour), client="192.0.2.77")
    client = signed_in(staff.lapas_officer)
    page = client.get("/petugas/reservasi/").content.decode()
    assert PHONE in page and "192.0.2.77" in page and "Lepaskan" in page
    url = f"/petugas/reservasi/{unit.pk}/lepaskan/"
    # The confirmation page changes nothing.
    confirm = client.get(url, {"jenis": "order_phone", "nilai": PHONE})
    assert confirm.status_code == 200 and "Ya, lepaskan 2 reservasi" in confirm.content.decode()
    assert _held(buyer_phone=PHONE) == (2, 10)
    # Without a reason: refused, nothing changes.
    assert client.post(url, {"jenis": "order_phone", "nilai": PHONE, "alasan": " "}).status_code == 400
    assert _held(buyer_phone=PHONE) == (2, 10)
    done = client.post(url, {"jenis": "order_phone", "nilai": PHONE, "alasan": "Pesanan berulang tanpa bayar"})
    assert done.status_code == 302 and _held(buyer_phone=PHONE) == (0, 0)
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert "Pesanan berulang tanpa bayar" in Order.objects.first().cancel_reason
    bags.refresh_from_db()
    assert bags.stock_quantity == 200  # the stock went back
    client.post(url, {"jenis": "booking_address", "nilai": "192.0.2.77", "alasan": "Slot ditahan"})
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert Slot.objects.aggregate(n=Sum("taken"))["n"] == 0


def test_another_units_staff_cannot_see_or_release(hoarding_limits, shop, bags, make_staff, signed_in):
    unit = shop.lapas.unit
    for _i in range(2):
        helpers.place([(bags, 5)], [helpers.pickup(unit, method="transfer")], client="192.0.2.78")
    outsider = signed_in(make_staff(Role.UNIT_ADMIN, shop.lpp.unit))
    assert PHONE not in outsider.get("/petugas/reservasi/").content.decode()
    url = f"/petugas/reservasi/{unit.pk}/lepaskan/"
    assert outsider.post(url, {"jenis": "order_phone", "nilai": PHONE, "alasan": "x"}).status_code == 403
    assert _held(buyer_phone=PHONE) == (2, 10)


def test_place_checkout_without_a_client_address_still_counts_the_number(hoarding_limits, shop, bags):
    for _i in range(3):
        helpers.place([(bags, 1)], [helpers.pickup(shop.lapas.unit, method="transfer")], key=uuid.uuid4())
    with pytest.raises(hoarding.CheckoutError):
        helpers.place([(bags, 1)], [helpers.pickup(shop.lapas.unit, method="transfer")])
