"""Staff of Lapas Ambon print the address label of the demo's shipped order and enter its resi."""

import re

import pytest

from galeri.orders.models import Shipment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_print_the_label_and_enter_the_resi(demo_site, desktop_page):
    page = desktop_page
    shipment = Shipment.objects.select_related("order").get()
    demo_site.login(page, "petugas.lapas")
    page.goto(f"{demo_site.url}/petugas/pesanan/{shipment.order_id}/")
    panel = page.get_by_test_id("shipment")
    assert shipment.tracking_number in panel.inner_text() and "JNE REG" in panel.inner_text()
    demo_site.shot(page, "kiriman")

    label_url = panel.get_by_test_id("print-label").get_attribute("href")
    label = page.request.get(demo_site.url + label_url)
    assert label.status == 200 and label.headers["content-type"] == "application/pdf"
    assert label.body().startswith(b"%PDF")

    page.fill("#id_tracking_number", "AB-12")
    page.get_by_role("button", name="Simpan nomor resi").click()
    assert "8–30 huruf atau angka" in page.content()
    page.fill("#id_tracking_number", "jne 0123 4567 8901")
    page.get_by_role("button", name="Simpan nomor resi").click()
    page.wait_for_url(re.compile(r"#pengiriman$"))
    assert "JNE012345678901" in page.get_by_test_id("resi").inner_text()
    demo_site.shot(page, "resi-disimpan")
    shipment.refresh_from_db()
    assert shipment.tracking_number == "JNE012345678901"
