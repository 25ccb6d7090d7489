"""Checkout with the shipping app's delivery options: the buyer picks a destination anywhere in
Indonesia, sees the unit's options with price and days before paying (without JavaScript after
"Hitung ongkir", with htmx at once), and the chosen one is held for the payment window and checked
when the order is placed; its price is in the order's total and the payment."""

import datetime
import re
import uuid

import pytest
from django.test import Client

from galeri.catalog.models import Product
from galeri.core import clock
from galeri.orders import delivery as choosing
from galeri.orders.base import CheckoutError
from galeri.orders.models import Order, OrderStatus
from galeri.payments.models import Payment
from galeri.payments.services import payment_settings_for
from galeri.regions import selectors as regions
from galeri.shipping import selectors as shipping
from galeri.shipping.demo import seed_demo_shipping
from galeri.shipping.models import RateQuote
from tests.helpers import pdf_text, text_of
from tests.orders.helpers import SAUMLAKI, VILLAGES, delivery, place
from tests.orders.pages import add, checkout_data

pytestmark = pytest.mark.django_db

PASSO = VILLAGES["baguala"]
# Wednesday 30 December 2026, 10.00 WIT: the same prices whatever day the suite runs.
MORNING = datetime.datetime(2026, 12, 30, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sending(shop, goods, time_machine):
    """Lapas Ambon with the demo's shipping settings (origin Baguala, couriers jne/pos/sicepat on the
    simulated provider, the five Ambon zones) and a bag of known weight and size."""
    time_machine.move_to(MORNING, tick=False)
    seed_demo_shipping([shop.lapas.unit])
    Product.objects.filter(pk=goods.bag.pk).update(weight_grams=1200, length_cm=30, width_cm=20, height_cm=10)
    payment = payment_settings_for(shop.lapas.unit)
    payment.order_expiry_hours = 24
    payment.save()
    return shop.lapas.unit


def form(client, unit, region, **extra):
    data = checkout_data(
        client,
        [unit],
        method="transfer",
        **{
            f"u{unit.pk}-fulfilment": "antar",
            f"u{unit.pk}-region": region,
            f"u{unit.pk}-street": "Jl. Bhineka No. 3",
        },
    )
    data.update({f"u{unit.pk}-{k}": v for k, v in extra.items()})
    return data


def radios(html, unit):
    """{key: radio value} of the unit's delivery options in a page."""
    values = re.findall(rf'name="u{unit.pk}-option" value="([^"]*)"', html)
    return {value.partition("@")[0]: value for value in values}


def expected_options(unit, region, bag):
    place = regions.village(region)
    return choosing.options_for(unit, place, [(Product.objects.get(pk=bag.pk), 1)], now=clock.now())


def test_saumlaki_sees_courier_prices_without_javascript_and_pays_the_held_fee(client, sending, goods):
    unit = sending
    add(client, goods.bag)
    data = form(client, unit, SAUMLAKI, options_refresh="1")
    page = client.post("/checkout/", data)
    html = page.content.decode()
    assert page.status_code == 200 and Order.objects.count() == 0 and "errorlist" not in html
    found = radios(html, unit)
    assert "courier:jne:REG" in found and "courier:pos:REG" in found
    assert not any(key.startswith("zone:") for key in found)  # Saumlaki is no zone of the unit
    jne = expected_options(unit, SAUMLAKI, goods.bag).get("courier:jne:REG")
    text = text_of(page)
    assert "JNE" in text and jne.etd_label in text and f"Rp {jne.price:,}".replace(",", ".") in text
    assert jne.price > 0

    data.pop(f"u{unit.pk}-options_refresh")
    data[f"u{unit.pk}-option"] = found["courier:jne:REG"]
    response = client.post("/checkout/", data)
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.delivery_kind, order.delivery_courier, order.delivery_service) == ("courier", "JNE", "REG")
    assert order.delivery_label.startswith("JNE") and order.delivery_etd == jne.etd_label
    assert (order.delivery_fee, order.total) == (jne.price, 150_000 + jne.price)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    payment = Payment.objects.get(payable_id=order.pk)
    assert payment.amount - payment.unique_code == 150_000 + jne.price
    quote = RateQuote.objects.get(pk=order.delivery_quote)
    assert (quote.price, quote.expires_at) == (jne.price, clock.now() + datetime.timedelta(hours=24))
    assert order.delivery_region.startswith("Saumlaki, Tanimbar Selatan") and order.delivery_postal_code == "97471"
    assert order.delivery_kecamatan == ""  # outside Kota Ambon: only the Kemendagri codes


def test_order_pages_show_the_option_the_destination_and_the_fee(client, sending, goods, staff, login):
    add(client, goods.bag)
    data = form(client, sending, SAUMLAKI, options_refresh="1")
    data[f"u{sending.pk}-option"] = radios(client.post("/checkout/", data).content.decode(), sending)["courier:pos:REG"]
    data.pop(f"u{sending.pk}-options_refresh")
    assert client.post("/checkout/", data).status_code == 302
    order = Order.objects.get()
    fee = f"Rp {order.delivery_fee:,}".replace(",", ".")
    buyer = text_of(client.get(f"/pesanan/{order.code}/"))
    assert order.delivery_label in buyer and order.delivery_etd in buyer and "97471" in buyer and fee in buyer
    console = text_of(login(Client(), staff.lapas_officer).get(f"/petugas/pesanan/{order.pk}/"))
    assert order.delivery_label in console and "Saumlaki" in console and "97471" in console and fee in console
    invoice = pdf_text(client.get(f"/pesanan/{order.code}/faktur.pdf").content, sep=" ")
    assert order.delivery_label in invoice and "97471" in invoice and fee in invoice


def test_with_htmx_the_options_come_as_the_village_is_picked(client, sending, goods):
    add(client, goods.bag)
    page = client.get("/checkout/").content.decode()
    assert f'hx-get="/checkout/ongkir/{sending.pk}/"' in page
    fragment = client.get(f"/checkout/ongkir/{sending.pk}/", {f"u{sending.pk}-region": SAUMLAKI}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "no-store" in fragment["Cache-Control"]
    assert "courier:jne:REG" in fragment.content.decode() and "<html" not in fragment.content.decode()
    nothing = client.get(f"/checkout/ongkir/{sending.pk}/", {f"u{sending.pk}-region": "bukan kode"})
    assert nothing.status_code == 200 and "Hitung ongkir" in nothing.content.decode()
    assert client.get("/checkout/ongkir/999999/").status_code == 404


def test_inside_ambon_the_unit_delivers_itself_at_the_zone_fee(client, sending, goods):
    add(client, goods.bag)
    data = form(client, sending, PASSO, options_refresh="1")
    found = radios(client.post("/checkout/", data).content.decode(), sending)
    assert found["zone:81.71.03"] == "zone:81.71.03@10000"  # the demo's Baguala zone
    data.pop(f"u{sending.pk}-options_refresh")
    data[f"u{sending.pk}-option"] = found["zone:81.71.03"]
    assert client.post("/checkout/", data).status_code == 302
    order = Order.objects.get()
    assert (order.delivery_kind, order.delivery_fee, order.total, order.delivery_kecamatan) == (
        "own_delivery",
        10_000,
        160_000,
        "baguala",
    )
    assert "Baguala" in order.delivery_label


def test_pickup_has_no_fee_and_no_address(client, sending, goods):
    add(client, goods.bag)
    assert client.post("/checkout/", checkout_data(client, [sending])).status_code == 302
    order = Order.objects.get()
    assert (order.delivery_kind, order.delivery_fee, order.delivery_region, order.total) == ("pickup", None, "", 150_000)


def test_furniture_goes_by_staff_quote_and_waits_for_the_fee(sending, shop, stocked, make_category):
    mebel = make_category("Pertukangan & Mebel", slug="pertukangan-mebel")
    table = stocked(shop.lapas.galeri, 2, name="Meja Linggua", price=2_500_000, category=mebel)
    Product.objects.filter(pk=table.pk).update(weight_grams=9000, length_cm=60, width_cm=40, height_cm=30)
    table.refresh_from_db()
    found = choosing.options_for(sending, regions.village(SAUMLAKI), [(table, 1)], now=clock.now())
    assert [o.key for o in found.options] == ["staff_quote"] and found.bulky
    order = place([(table, 1)], [delivery(sending, region_code=SAUMLAKI, option="staff_quote")]).orders[0]
    assert (order.delivery_kind, order.delivery_fee, order.status) == ("staff_quote", None, OrderStatus.NEW)
    assert not Payment.objects.filter(payable_id=order.pk).exists()  # the buyer pays once staff set the fee


def test_an_expired_quote_shows_fresh_options_and_saves_nothing(client, sending, goods):
    add(client, goods.bag)
    data = form(client, sending, SAUMLAKI, options_refresh="1")
    value = radios(client.post("/checkout/", data).content.decode(), sending)["courier:jne:REG"]
    bag = Product.objects.get(pk=goods.bag.pk)
    quote = choosing.settle(
        sending, regions.village(SAUMLAKI), [(bag, 1)], quote_id="", option_key="courier:jne:REG", now=clock.now()
    )
    assert quote.option == "courier:jne:REG"
    # The payment window passed (the quote's own clock; the buyer's cart is still there).
    RateQuote.objects.filter(pk=quote.pk).update(expires_at=clock.now() - datetime.timedelta(seconds=1))
    data = form(client, sending, SAUMLAKI, option=value, quote=str(quote.pk))
    response = client.post("/checkout/", data)
    html = response.content.decode()
    assert response.status_code == 200 and Order.objects.count() == 0
    assert "sudah kedaluwarsa" in html and "courier:jne:REG" in html  # the options again
    assert f'name="u{sending.pk}-quote" value="{quote.pk}"' not in html


@pytest.mark.parametrize("tampered", [str(uuid.uuid4()), "not-a-uuid", "other-unit"])
def test_a_tampered_quote_id_is_refused_and_saves_nothing(client, sending, goods, shop, tampered):
    add(client, goods.bag)
    data = form(client, sending, SAUMLAKI, options_refresh="1")
    value = radios(client.post("/checkout/", data).content.decode(), sending)["courier:jne:REG"]
    if tampered == "other-unit":
        seed_demo_shipping([shop.lpp.unit])
        other = RateQuote.objects.create(
            unit=shop.lpp.unit,
            destination_area_code=SAUMLAKI,
            parcels_digest="x",
            option="courier:jne:REG",
            kind="courier",
            price=1,
            created_at=clock.now(),
            expires_at=clock.now() + datetime.timedelta(hours=24),
        )
        tampered = str(other.pk)
    response = client.post("/checkout/", form(client, sending, SAUMLAKI, option=value, quote=tampered))
    assert response.status_code == 200
    assert "Ongkir yang dipilih tidak dikenal untuk pesanan ini" in response.content.decode()
    assert Order.objects.count() == 0


def test_a_price_that_changed_since_the_page_is_shown_before_it_is_taken(client, sending, goods):
    add(client, goods.bag)
    data = form(client, sending, SAUMLAKI, option="courier:jne:REG@1")  # the page showed Rp 1 (tampered or stale)
    response = client.post("/checkout/", data)
    assert response.status_code == 200 and Order.objects.count() == 0
    assert "sekarang Rp" in response.content.decode()
    held = RateQuote.objects.get()
    assert f'name="u{sending.pk}-quote" value="{held.pk}"' in response.content.decode()
    # The buyer saw the new price and sends again: the held quote is taken.
    data[f"u{sending.pk}-option"] = f"courier:jne:REG@{held.price}"
    data[f"u{sending.pk}-quote"] = str(held.pk)
    assert client.post("/checkout/", data).status_code == 302
    assert Order.objects.get().delivery_fee == held.price and RateQuote.objects.count() == 1


def test_a_provider_failure_is_a_note_and_the_staff_quote_remains(client, sending, goods, settings):
    settings.SHIPPING_RATE_PROVIDER = "nonexistent"
    add(client, goods.bag)
    html = client.post("/checkout/", form(client, sending, SAUMLAKI, options_refresh="1")).content.decode()
    assert "Ongkir kurir belum bisa dihitung" in html
    assert list(radios(html, sending)) == ["staff_quote"]


def test_without_a_chosen_option_the_buyer_is_asked_for_one(client, sending, goods):
    add(client, goods.bag)
    response = client.post("/checkout/", form(client, sending, SAUMLAKI))
    assert response.status_code == 200 and Order.objects.count() == 0
    assert "Pilih pengiriman" in response.content.decode()


def test_parcels_of_the_cart_carry_weight_size_value_and_the_furniture_flag(sending, goods):
    bag = Product.objects.get(pk=goods.bag.pk)
    (parcel,) = choosing.parcels_of([(bag, 2)])
    assert (parcel.weight_grams, parcel.length_cm, parcel.width_cm, parcel.height_cm) == (2400, 30, 20, 20)
    assert (parcel.value, parcel.staff_quote) == (300_000, False)
    assert shipping.parcels_digest([parcel]) == shipping.parcels_digest(choosing.parcels_of([(bag, 2)]))


def test_the_options_page_reads_the_same_number_of_times_whatever_the_lines(client, sending, shop, stocked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    products = [stocked(shop.lapas.galeri, 5, name=f"Tas {i}", price=100_000) for i in range(3)]
    Product.objects.filter(pk__in=[p.pk for p in products]).update(weight_grams=500, length_cm=20, width_cm=20, height_cm=5)
    add(client, products[0])
    data = form(client, sending, SAUMLAKI, options_refresh="1")
    client.post("/checkout/", data)  # the rates are cached from here on, as for a buyer refreshing
    with CaptureQueriesContext(connection) as one:
        assert client.post("/checkout/", data).status_code == 200
    for product in products[1:]:
        add(client, product)
    data = form(client, sending, SAUMLAKI, options_refresh="1")
    client.post("/checkout/", data)
    with CaptureQueriesContext(connection) as three:
        assert client.post("/checkout/", data).status_code == 200
    assert len(three) == len(one), [q["sql"][:100] for q in three.captured_queries]
    assert len(one) <= 40, [q["sql"][:100] for q in one.captured_queries]


def test_cash_on_delivery_is_not_offered_with_a_courier(sending, goods):
    settings = payment_settings_for(sending)
    settings.allow_cod = True
    settings.save()
    with pytest.raises(CheckoutError) as exc:
        place([(goods.bag, 1)], [delivery(sending, "cod", region_code=SAUMLAKI, option="courier:jne:REG")])
    assert "COD" in exc.value.messages[0] and Order.objects.count() == 0


def test_the_shipment_starts_from_the_courier_the_buyer_chose(sending, goods):
    """Checkout (item 3) hands the chosen courier to the shipment form (item 4): staff do not type it."""
    from galeri.orders import shipments
    from galeri.orders.models import ShipmentMethod

    result = place([(goods.bag, 1)], [delivery(sending, region_code=SAUMLAKI, option="courier:pos:REG")])
    suggested = shipments.suggested(result.orders[0])
    assert suggested["method"] == ShipmentMethod.COURIER
    assert (suggested["courier_code"], suggested["service"]) == ("pos", "REG")
    assert suggested["courier_name"]
    zone = place([(goods.bag, 1)], [delivery(sending, kecamatan="baguala")]).orders[0]
    assert shipments.suggested(zone)["method"] == ShipmentMethod.UNIT
