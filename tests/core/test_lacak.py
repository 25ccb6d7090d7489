"""The one "Lacak" page: a code of any kind (online order, checkout reference, service booking,
custom order) and the WhatsApp number it was made with open its tracking page; a wrong code and
a wrong number get the same answer; bounded queries; any common way of writing the number."""

import re

import pytest

from galeri.bookings import links as booking_links
from galeri.custom_orders import links as custom_links
from galeri.orders import links as order_links
from tests.catalog.test_pages import assert_valid_html
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db

NOT_FOUND = "tidak ditemukan dengan nomor itu"


@pytest.fixture
def made(goods, shop, make_service, book_one, make_request):
    """One checkout of two units, a booking and a custom order, all by +62 812-3456-7890."""
    result = place([(goods.bag, 1), (goods.cake, 1)], [pickup(shop.lapas.unit), pickup(shop.lpp.unit)])
    haircut = make_service(shop.lapas.unit)
    return {
        "checkout": result.checkout,
        "orders": result.orders,
        "booking": book_one(haircut),
        "custom": make_request(),
    }


def lacak(client, code, phone="0812-3456-7890", path="/lacak/"):
    return client.post(path, {"code": code, "phone": phone})


def test_the_page_is_valid_and_linked_from_every_page(client, made):
    page = client.get("/lacak/")
    assert page.status_code == 200
    assert_valid_html(page.content)
    html = page.content.decode()
    assert 'name="code"' in html and 'name="phone"' in html
    assert html.count('href="/lacak/"') >= 2  # header and footer
    assert client.get("/en/lacak/").status_code == 200
    assert 'value="LPA-J' in client.get("/lacak/?kode=lpa-j").content.decode()


def test_an_online_order_opens_its_tracking_page(client, made):
    order = made["orders"][0]
    response = lacak(client, order.code)
    assert response.status_code == 302 and response["Location"] == order_links.tracking_url(order)
    html = client.get(response["Location"]).content.decode()
    assert order.code in html and "Riwayat status" in html


def test_a_checkout_reference_opens_every_order_of_the_checkout(client, made):
    response = lacak(client, made["checkout"].reference)
    assert response.status_code == 302 and "/pesanan/selesai/" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    for order in made["orders"]:
        assert order.code in html
    assert html.count('data-testid="pesanan"') == 2


def test_an_order_page_links_to_the_other_orders_of_its_checkout(client, made):
    first, second = made["orders"]
    html = client.get(lacak(client, first.code)["Location"]).content.decode()
    assert order_links.tracking_url(second).replace("&", "&amp;") in html or order_links.tracking_url(second) in html


def test_a_booking_opens_its_tracking_page(client, made):
    booking = made["booking"]
    response = lacak(client, booking.code)
    assert response.status_code == 302 and response["Location"] == booking_links.tracking_url(booking)
    html = client.get(response["Location"]).content.decode()
    assert booking.code in html and "Riwayat" in html


def test_a_custom_order_opens_its_tracking_page(client, made):
    custom = made["custom"]
    response = lacak(client, custom.code)
    assert response.status_code == 302 and response["Location"] == custom_links.tracking_url(custom)
    assert custom.code in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "phone", ["0812-3456-7890", "081234567890", "+6281234567890", "6281234567890", "+62 812 3456 7890", "62-812-3456-7890"]
)
def test_the_number_in_any_common_form(client, made, phone):
    assert lacak(client, made["booking"].code, phone).status_code == 302


@pytest.mark.parametrize("kind", ["orders", "checkout", "booking", "custom"])
def test_codes_in_any_case_and_spacing(client, made, kind):
    code = {"orders": made["orders"][1].code, "checkout": made["checkout"].reference}.get(kind) or made[kind].code
    messy = "  " + code.lower().replace("-", " - ") + " "
    assert lacak(client, messy).status_code == 302, messy


def test_a_wrong_number_and_a_wrong_code_get_the_same_answer(client, made):
    wrong_phone = lacak(client, made["orders"][0].code, "0813-9999-0000")
    wrong_codes = [
        lacak(client, code) for code in ("LPA-20200101-0001", "GK-AAAAAAAA", "LPA-JAAAAAA", "PK-LPA-99999", "apa saja")
    ]
    answers = set()
    for response in [wrong_phone, *wrong_codes]:
        assert response.status_code == 200
        html = response.content.decode()
        assert NOT_FOUND in html
        answers.add(re.search(r'<div class="errors error-summary" role="alert"[^>]*>(.*?)</div>', html, re.S).group(1))
    assert len(answers) == 1


def test_a_bad_number_is_named_at_its_field(client, made):
    html = lacak(client, made["booking"].code, "12").content.decode()
    assert "Nomor WhatsApp tidak valid" in html


def test_lookups_make_a_bounded_number_of_queries(client, made, django_assert_max_num_queries):
    for code in (made["orders"][0].code, made["checkout"].reference, made["booking"].code, made["custom"].code, "X-1"):
        with django_assert_max_num_queries(8):
            lacak(client, code)


def test_lookups_are_throttled(client, made):
    for _ in range(20):
        lacak(client, made["booking"].code, "0813-9999-0000")
    blocked = lacak(client, made["booking"].code)
    assert blocked.status_code == 429 and "Terlalu banyak" in blocked.content.decode()


def test_the_old_order_lookup_address_is_the_same_page(client, made):
    order = made["orders"][0]
    response = lacak(client, made["booking"].code, path="/pesanan/")
    assert response.status_code == 302 and response["Location"] == booking_links.tracking_url(made["booking"])
    assert client.get(f"/pesanan/{order.code}/")["Location"] == f"/lacak/?kode={order.code}"


def test_confirmation_and_tracking_pages_link_to_lacak(client, made):
    booking = made["booking"]
    assert 'href="/lacak/"' in client.get(booking_links.tracking_url(booking)).content.decode()
