"""Checkout's delivery destination picked from the Kemendagri regions: the order keeps the four
codes, the text as the buyer saw it and the postal code; bad or tampered input gets a message in
Indonesian and saves nothing; pickup orders keep no address."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from galeri.orders import services
from galeri.orders.models import Order
from tests.helpers import pdf_text, text_of
from tests.orders.helpers import delivery, place
from tests.orders.pages import add, checkout_data

pytestmark = pytest.mark.django_db

PASSO = "81.71.03.2001"  # Passo, Baguala, Kota Ambon, Maluku 97232


def delivery_data(client, unit, **extra):
    data = checkout_data(
        client,
        [unit],
        method="transfer",
        **{
            f"u{unit.pk}-fulfilment": "antar",
            f"u{unit.pk}-street": "Jl. Laksdya Leo Wattimena 12",
            # No zones and no courier origin in these units: the staff quote is what they offer.
            f"u{unit.pk}-option": "staff_quote@",
        },
    )
    data.update({f"u{unit.pk}-{k}": v for k, v in extra.items()})
    return data


def test_a_delivery_keeps_the_codes_the_text_and_the_postal_code(client, goods, shop, staff, login):
    add(client, goods.bag)
    unit = shop.lapas.unit
    response = client.post("/checkout/", delivery_data(client, unit, region=PASSO))
    assert response.status_code == 302
    order = Order.objects.get()
    assert (
        order.delivery_province_code,
        order.delivery_regency_code,
        order.delivery_district_code,
        order.delivery_village_code,
        order.delivery_region,
        order.delivery_postal_code,
    ) == ("81", "81.71", "81.71.03", PASSO, "Passo, Baguala, Kota Ambon, Maluku", "97232")
    assert (order.delivery_kecamatan, order.delivery_kelurahan) == ("baguala", "Passo")
    address = "Jl. Laksdya Leo Wattimena 12, Passo, Baguala, Kota Ambon, Maluku 97232"
    assert address in text_of(client.get(response["Location"]))
    officer = login(Client(), staff.lapas_officer)
    page = text_of(officer.get(f"/petugas/pesanan/{order.pk}/"))
    assert address in page and PASSO in page
    invoice = client.get(f"/pesanan/{order.code}/faktur.pdf")
    assert invoice.status_code == 200 and "Passo, Baguala" in pdf_text(invoice.content, sep=" ")


def test_a_pickup_keeps_no_address_whatever_was_sent(client, goods, shop):
    add(client, goods.bag)
    unit = shop.lapas.unit
    data = checkout_data(client, [unit], **{f"u{unit.pk}-region": PASSO, f"u{unit.pk}-street": "Jl. X"})
    assert client.post("/checkout/", data).status_code == 302
    order = Order.objects.get()
    assert (order.delivery_village_code, order.delivery_region, order.delivery_postal_code, order.delivery_street) == ("",) * 4


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("", "Cari dan pilih kelurahan/desa tujuan"),
        ("81.71.03.9999", "Kelurahan/desa tujuan tidak dikenal"),
        ("81.71.03", "Kelurahan/desa tujuan tidak dikenal"),
        ("'; DROP TABLE orders_order; --", "Kelurahan/desa tujuan tidak dikenal"),
    ],
)
def test_a_destination_that_is_missing_unknown_or_tampered_is_refused(client, goods, shop, region, message):
    add(client, goods.bag)
    response = client.post("/checkout/", delivery_data(client, shop.lapas.unit, region=region))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Order.objects.count() == 0


def test_without_javascript_the_cari_button_shows_the_places_and_keeps_what_was_typed(client, goods, shop):
    add(client, goods.bag)
    unit = shop.lapas.unit
    data = delivery_data(client, unit, region_q="passo", region_search="1")
    data["name"] = "Yohana Pattiasina"
    response = client.post("/checkout/", data)
    assert response.status_code == 200 and Order.objects.count() == 0
    html = response.content.decode()
    assert f'name="u{unit.pk}-region" value="{PASSO}"' in html
    assert "Passo, Baguala, Kota Ambon, Maluku" in html
    assert 'value="Yohana Pattiasina"' in html and 'value="passo"' in html
    assert "errorlist" not in html  # a search step, not a refusal
    data.pop(f"u{unit.pk}-region_search")
    data[f"u{unit.pk}-region"] = PASSO
    assert client.post("/checkout/", data).status_code == 302
    assert Order.objects.get().delivery_region == "Passo, Baguala, Kota Ambon, Maluku"


def test_the_checkout_page_asks_for_suggestions_with_htmx_from_our_own_files(client, goods, shop):
    add(client, goods.bag)
    unit = shop.lapas.unit
    response = client.get("/checkout/")
    html = response.content.decode()
    assert f'hx-get="/wilayah/cari/?field=u{unit.pk}-region"' in html
    assert "/static/galeri/js/htmx.min.js" in html and "https://" not in html.split("<main")[1].split("</main>")[0]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_the_service_takes_the_kecamatan_from_the_village_and_refuses_an_unknown_one(goods, shop):
    choice = delivery(shop.lapas.unit, kecamatan="sirimau", region_code=PASSO)  # Passo is in Baguala
    order = place([(goods.bag, 1)], [choice]).orders[0]
    assert (order.delivery_kecamatan, order.delivery_district_code) == ("baguala", "81.71.03")
    with pytest.raises(services.CheckoutError, match="tidak dikenal"):
        place([(goods.bag, 1)], [delivery(shop.lapas.unit, region_code="99.99.99.9999")])
    assert Order.objects.count() == 1


def test_anonymising_clears_the_village_and_keeps_the_kecamatan(goods, shop, staff, settings):
    settings.ORDER_RETENTION_DAYS = 30
    order = place([(goods.bag, 1)], [delivery(shop.lapas.unit, kecamatan="baguala", region_code=PASSO)]).orders[0]
    services.cancel(order, reason="Tidak jadi", user=staff.lapas_officer)
    Order.objects.filter(pk=order.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    services.anonymise_due()
    order.refresh_from_db()
    assert (order.delivery_village_code, order.delivery_region, order.delivery_postal_code) == ("", "", "")
    assert (order.delivery_district_code, order.delivery_kecamatan) == ("81.71.03", "baguala")
