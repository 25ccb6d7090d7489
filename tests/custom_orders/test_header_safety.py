"""A newline or control character typed into the made-to-order form is cleaned before it is stored."""

import pytest

from galeri.custom_orders.models import CustomOrder
from tests.custom_orders.test_pages import form_data

pytestmark = pytest.mark.django_db


def test_a_name_with_a_header_injection_makes_the_request_with_clean_text(client, shop):
    data = form_data(
        client,
        shop,
        contact_name="Budi\r\nBcc: x@y",
        institution="PT Pala\nBanda",
        title="Seragam\r\nbatik",
        address="Jl. Pattimura\r\nAmbon\x00",
        description="Motif cengkih\r\nlengan panjang\x1b",
    )
    response = client.post("/pesan-khusus/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = CustomOrder.objects.get()
    assert order.contact_name == "Budi Bcc: x@y"
    assert (order.institution, order.title, order.address) == ("PT Pala Banda", "Seragam batik", "Jl. Pattimura Ambon")
    assert order.description == "Motif cengkih\nlengan panjang"
