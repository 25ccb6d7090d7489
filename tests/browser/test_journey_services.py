"""Journeys from the demo data: a service booked on a phone and paid at the counter; a custom
order requested on a phone, quoted, accepted, its down payment paid in cash at the gallery.

Buyers on a 360 px phone, staff at 1280 px. Cash taken at the gallery passes the open till:
the till's "Kas seharusnya" (expected cash) must include it.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLOAT = 200_000


def rp(amount):
    return "Rp " + f"{amount:,}".replace(",", ".")


def _open_till(demo_site, page):
    page.goto(demo_site.url + "/petugas/kasir/")
    till_row = page.get_by_role("row").filter(has_text="Kasir Galeri 1")
    till_row.get_by_label("Modal awal (Rp)").fill("200.000")
    till_row.get_by_role("button", name="Buka kasir").click()
    expect(page.get_by_label(re.compile("Scan barcode / SKU"))).to_be_visible()
    demo_site.shot(page, "cashier-till-open")


def _expected_cash(demo_site, page):
    """The close page of the open till: its figures, read as a person reads them."""
    page.goto(demo_site.url + "/petugas/kasir/")
    page.get_by_role("link", name=re.compile("Kasir Galeri 1|Lanjutkan|Jual", re.I)).first.click()
    page.get_by_role("link", name="Tutup kasir").click()
    expect(page.get_by_role("heading", name=re.compile("Tutup kasir"))).to_be_visible()
    demo_site.shot(page, "cashier-close-page")
    return page.get_by_role("row").filter(has_text="Kas seharusnya").get_by_role("cell").last.inner_text()


def test_service_booked_on_a_phone_is_paid_in_cash_at_the_counter(demo_site, desktop_page, phone_page):
    from galeri.bookings.models import Booking, Service

    service = Service.objects.get(slug="cukur-rambut-lapas-ambon")
    assert service.price_min == 15_000 and service.price_max is None

    # --- A buyer on a phone books a haircut in a free slot.
    buyer = phone_page
    buyer.goto(demo_site.url + "/jasa/")
    demo_site.shot(buyer, "buyer-services")
    buyer.goto(demo_site.url + f"/jasa/{service.slug}/pesan/")
    expect(buyer.get_by_role("heading", level=1)).to_contain_text("Cukur rambut")
    demo_site.shot(buyer, "buyer-booking-form")
    slot = buyer.get_by_role("radio", name=re.compile(r"^\d\d\.\d\d")).first
    slot.check()
    slot_label = re.match(r"\d\d\.\d\d", slot.evaluate("el => el.closest('label').innerText")).group(0)
    buyer.get_by_label("Nama").fill("Yohanis Latuheru")
    buyer.get_by_label("Nomor WhatsApp").fill("0812-4711-2233")
    demo_site.shot(buyer, "buyer-booking-filled")
    buyer.get_by_role("button", name="Pesan sekarang").click()
    buyer.wait_for_url(re.compile(r"/jasa/pesanan/"))
    booking = Booking.objects.filter(service=service).latest("pk")
    expect(buyer.get_by_text(booking.code).first).to_be_visible()
    expect(buyer.locator("body")).to_contain_text(slot_label)
    demo_site.shot(buyer, "buyer-booking-made")
    track_url = buyer.url

    # --- kasir.lapas opens the till, finds the booking in the console, completes it with cash.
    page = desktop_page
    demo_site.login(page, "kasir.lapas")
    _open_till(demo_site, page)
    page.goto(demo_site.url + "/petugas/jasa/pemesanan/")
    demo_site.shot(page, "cashier-bookings")
    page.get_by_role("link", name=booking.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(booking.code)
    demo_site.shot(page, "cashier-booking-detail")
    while page.get_by_role("button", name=re.compile("^(Konfirmasi|Sudah datang|Mulai)")).count():
        page.get_by_role("button", name=re.compile("^(Konfirmasi|Sudah datang|Mulai)")).first.click()
    complete = page.locator("section[aria-labelledby=h-complete]")
    expect(complete).to_be_visible()
    complete.get_by_label("Tunai").check()
    complete.get_by_label(re.compile("LPA-0001")).check()
    demo_site.shot(page, "cashier-complete-form")
    complete.get_by_role("button", name="Selesai dan catat pembayaran").click()
    expect(page.get_by_text(f"Jasa {booking.code} selesai dan pembayarannya dicatat.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Selesai")
    expect(page.locator("body")).to_contain_text(rp(15_000))
    demo_site.shot(page, "cashier-booking-completed")

    # --- The till expects the float plus the haircut's cash.
    assert _expected_cash(demo_site, page) == rp(FLOAT + 15_000)
    expect(page.get_by_role("row").filter(has_text="Pembayaran lain tunai")).to_contain_text(rp(15_000))

    # --- The buyer's page says it is done.
    buyer.goto(track_url)
    expect(buyer.locator("body")).to_contain_text("Selesai")
    demo_site.shot(buyer, "buyer-booking-done")
    assert not page.errors, page.errors
    assert not buyer.errors, buyer.errors
