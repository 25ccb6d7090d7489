"""Journeys from the demo data: a service booked on a phone and paid at the counter; a custom
order requested on a phone, quoted, accepted, its down payment paid in cash at the gallery.

Buyers on a 360 px phone, staff at 1280 px. Cash taken at the gallery passes the open till:
the till's "Kas seharusnya" (expected cash) must include it.
"""

import datetime
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
    return page.url  # the counter screen of the open session


def _expected_cash(demo_site, page, counter_url):
    """The close page of the open till, reached from its counter screen: the figure a person reads."""
    page.goto(counter_url)
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
    counter_url = _open_till(demo_site, page)
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
    expect(page.locator("body")).to_contain_text(f"{rp(15_000)} (Tunai)")
    demo_site.shot(page, "cashier-booking-completed")

    # --- The till expects the float plus the haircut's cash.
    assert _expected_cash(demo_site, page, counter_url) == rp(FLOAT + 15_000)
    expect(page.get_by_role("row").filter(has_text="Pembayaran lain tunai")).to_contain_text(rp(15_000))

    # --- The buyer's page says it is done.
    buyer.goto(track_url)
    expect(buyer.locator("body")).to_contain_text("Selesai")
    demo_site.shot(buyer, "buyer-booking-done")
    assert not page.errors, page.errors
    assert not buyer.errors, buyer.errors


def test_custom_order_requested_on_a_phone_dp_paid_in_cash_at_the_gallery(demo_site, desktop_page, phone_page):
    from galeri.custom_orders.models import CustomOrder, Status

    # --- A buyer on a phone asks Lapas Ambon for 12 woven table mats.
    buyer = phone_page
    buyer.goto(demo_site.url + "/pesan-khusus/")
    expect(buyer.get_by_role("heading", level=1, name="Pesan khusus")).to_be_visible()
    demo_site.shot(buyer, "buyer-request-form")
    unit = buyer.get_by_label("Unit (UPT) yang membuat")
    lapas = unit.locator("option", has_text=re.compile(r"Lapas Ambon|Pemasyarakatan Kelas IIA Ambon"))
    unit.select_option(value=lapas.get_attribute("value"))
    buyer.get_by_label("Yang dipesan").fill("Tatakan piring anyaman pandan motif pala")
    buyer.get_by_label("Keterangan (bahan, warna, model)").fill("Warna alam, pinggiran cokelat tua.")
    buyer.get_by_label("Jumlah", exact=True).fill("12")
    buyer.get_by_label("Perkiraan anggaran (Rp, tidak wajib)").fill("600.000")
    buyer.get_by_label("Perorangan").check()
    buyer.get_by_label("Nama narahubung").fill("Maria Pattiasina")
    buyer.get_by_label("Nomor WhatsApp").fill("0813-4455-6677")
    buyer.get_by_label(re.compile("Saya setuju data di atas")).check()
    demo_site.shot(buyer, "buyer-request-filled")
    buyer.get_by_role("button", name="Kirim permintaan").click()
    buyer.wait_for_url(re.compile(r"/pesan-khusus/lacak/"))
    order = CustomOrder.objects.get(contact_name="Maria Pattiasina")
    assert order.unit.code == "LPA" and order.status == Status.REQUESTED
    expect(buyer.get_by_text(order.code).first).to_be_visible()
    demo_site.shot(buyer, "buyer-request-sent")
    track_url = buyer.url

    # --- petugas.lapas quotes: 12 mats at Rp 45.000 + Rp 60.000 finishing, DP 50%.
    page = desktop_page
    demo_site.login(page, "petugas.lapas")
    page.goto(demo_site.url + "/petugas/pesanan-khusus/")
    demo_site.shot(page, "officer-custom-orders")
    page.get_by_role("link", name=order.code).click()
    expect(page.get_by_test_id("status")).to_have_text("Permintaan baru")
    demo_site.shot(page, "officer-request-detail")
    page.get_by_role("link", name="Buat penawaran").click()
    form = page.get_by_test_id("form-penawaran")
    form.get_by_label("Uraian").nth(0).fill("Tatakan piring anyaman pandan 35 × 25 cm")
    form.get_by_label("Jumlah").nth(0).fill("12")
    form.get_by_label("Harga satuan (Rp)").nth(0).fill("45.000")
    form.get_by_label("Uraian").nth(1).fill("Pewarnaan alam dan pinggiran")
    form.get_by_label("Jumlah").nth(1).fill("1")
    form.get_by_label("Harga satuan (Rp)").nth(1).fill("60.000")
    form.get_by_label("Lama pengerjaan (hari)").fill("14")
    form.get_by_label("Uang muka (%)").fill("50")
    valid_until = demo_site.moment.date() + datetime.timedelta(days=14)
    form.get_by_label("Berlaku sampai").fill(valid_until.isoformat())
    demo_site.shot(page, "officer-quote-filled")
    form.get_by_role("button", name="Kirim penawaran").click()
    expect(page.get_by_test_id("status")).to_have_text("Penawaran dikirim")
    total, dp = 12 * 45_000 + 60_000, (12 * 45_000 + 60_000) // 2
    expect(page.locator("body")).to_contain_text(rp(total))
    demo_site.shot(page, "officer-quote-sent")
    demo_site.logout(page)

    # --- The buyer opens the quote from the tracking page and accepts it.
    buyer.goto(track_url)
    expect(buyer.get_by_role("heading", name="Penawaran harga sudah siap")).to_be_visible()
    demo_site.shot(buyer, "buyer-quote-ready")
    buyer.get_by_test_id("lihat-penawaran").click()
    expect(buyer.get_by_role("heading", level=1)).to_contain_text(order.code)
    expect(buyer.locator("body")).to_contain_text(rp(total))
    demo_site.shot(buyer, "buyer-quote")
    buyer.get_by_label("Transfer bank").check()  # no "cash at the gallery" choice here (see the report)
    buyer.get_by_role("button", name=f"Setuju dan bayar uang muka {rp(dp)}").click()
    expect(buyer.get_by_text("Terima kasih, penawaran diterima.")).to_be_visible()
    expect(buyer.locator("body")).to_contain_text(rp(dp))
    demo_site.shot(buyer, "buyer-quote-accepted")
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP

    # --- The buyer comes to the gallery with cash: kasir.lapas records the DP through the open till.
    demo_site.login(page, "kasir.lapas")
    counter_url = _open_till(demo_site, page)
    page.goto(demo_site.url + "/petugas/pesanan-khusus/")
    page.get_by_role("link", name=order.code).click()
    expect(page.get_by_test_id("status")).to_have_text("Menunggu uang muka")
    demo_site.shot(page, "cashier-order-awaiting-dp")
    direct = page.get_by_test_id("bayar-langsung")
    if not direct.is_visible():
        page.get_by_text("Terima langsung (tunai di galeri, dll.)").click()
    direct.get_by_label("Cara bayar").select_option(label="Tunai di tempat")
    direct.get_by_label("Jumlah diterima (Rp)").fill(f"{dp:,}".replace(",", "."))
    demo_site.shot(page, "cashier-dp-filled")
    direct.get_by_role("button", name="Catat pembayaran").click()
    expect(page.get_by_text(f"Pembayaran {order.code} dicatat.")).to_be_visible()
    expect(page.get_by_text("Uang tunai ini masuk kas Kasir Galeri 1.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Dalam produksi")
    demo_site.shot(page, "cashier-dp-recorded")
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION and order.dp_paid_at is not None

    # --- The till expects the float plus the DP.
    assert _expected_cash(demo_site, page, counter_url) == rp(FLOAT + dp)
    demo_site.logout(page)

    # --- Production can start: the officer sees the order in production, ready for a batch.
    demo_site.login(page, "petugas.lapas")
    page.goto(demo_site.url + f"/petugas/pesanan-khusus/{order.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("Dalam produksi")
    expect(page.get_by_role("heading", name="Kaitkan batch produksi")).to_be_visible()
    demo_site.shot(page, "officer-order-in-production")
    buyer.goto(track_url)
    expect(buyer.locator("body")).to_contain_text("Dalam produksi")
    demo_site.shot(buyer, "buyer-order-in-production")
    assert not page.errors, page.errors
    assert not buyer.errors, buyer.errors
