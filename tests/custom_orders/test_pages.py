"""The made-to-order pages: request form, signed tracking and quote links, the console list, export,
detail and PDFs. Valid HTML, bounded queries, clear messages, nothing saved on bad input."""

import datetime
import io
import re

import html5lib
import pytest
from django.core import signing
from django.utils import timezone

from galeri.custom_orders import links, services
from galeri.custom_orders.models import CustomOrder, ReferenceImage, Status
from galeri.custom_orders.pdf import invoice_pdf, quote_pdf
from galeri.payments.models import Payment
from tests.core.test_pdf import pdf_text
from tests.custom_orders.conftest import TOTAL
from tests.helpers import image_bytes, upload

pytestmark = pytest.mark.django_db


def assert_valid_html(content: bytes):
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)" name="{name}"', html)
    return match.group(1) if match else ""


def form_data(client, shop, **overrides):
    html = client.get("/pesan-khusus/").content.decode()
    data = {
        "unit": shop.lapas.unit.pk,
        "title": "Seragam batik kantor",
        "description": "Batik motif cengkih, lengan panjang",
        "quantity": "120",
        "size_notes": "S 20, M 50, L 50",
        "deadline": "",
        "budget": "Rp 30.000.000",
        "buyer_kind": "perusahaan",
        "institution": "PT Pala Banda",
        "contact_name": "Bapak Yohanis",
        "phone": "0812-3456-7890",
        "email": "yohanis@contoh.co.id",
        "npwp": "01.234.567.8-901.000",
        "address": "Jl. Pattimura, Ambon",
        "consent": "on",
        "key": hidden(html, "key"),
        "product": "",
    }
    data.update(overrides)
    return data


def test_request_page_is_valid_html_and_prefills_the_product(client, shop, stocked):
    product = stocked(shop.lpp.galeri, 0, name="Kebaya Tenun", sku="LPP-KBY-01")
    product.made_to_order = True
    product.save()
    response = client.get(f"/pesan-khusus/?produk={product.slug}")
    assert response.status_code == 200
    assert_valid_html(response.content)
    html = response.content.decode()
    assert "Kebaya Tenun" in html
    assert re.search(rf'<option value="{shop.lpp.unit.pk}" selected>', html)
    # The product page links to the form with the product.
    page = client.get(product.get_absolute_url()).content.decode()
    assert f"/pesan-khusus/?produk={product.slug}" in page


def test_submitting_the_form_twice_makes_one_request_and_opens_the_tracking_page(client, shop):
    data = form_data(client, shop, image1=upload(image_bytes("JPEG"), "acuan.jpg"))
    first = client.post("/pesan-khusus/", data)
    data["image1"] = upload(image_bytes("JPEG"), "acuan.jpg")
    second = client.post("/pesan-khusus/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    order = CustomOrder.objects.get()
    assert order.institution == "PT Pala Banda" and order.budget == 30_000_000 and order.npwp == "012345678901000"
    assert order.images.count() == 1
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert_valid_html(page.content)
    assert order.code in page.content.decode() and "Permintaan baru" in page.content.decode()


def test_a_file_that_is_not_an_image_is_refused_with_a_message_and_nothing_saved(client, shop, list_media_files):
    data = form_data(client, shop, image1=upload(b"MZ\x90\x00 program", "foto.jpg"))
    response = client.post("/pesan-khusus/", data)
    assert response.status_code == 400
    assert "Gambar acuan 1 ditolak" in response.content.decode()
    assert_valid_html(response.content)
    assert CustomOrder.objects.count() == 0 and ReferenceImage.objects.count() == 0


def test_form_errors_are_shown_in_indonesian(client, shop):
    response = client.post("/pesan-khusus/", form_data(client, shop, phone="abc", npwp="123", institution="", quantity="0"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nomor telepon" in html and "NPWP harus 15 atau 16" in html and "nama instansi" in html
    assert CustomOrder.objects.count() == 0


def test_a_wrong_field_keeps_what_was_typed_and_says_the_photo_must_be_chosen_again(client, shop):
    data = form_data(client, shop, phone="abc", image1=upload(image_bytes("JPEG"), "acuan.jpg"))
    response = client.post("/pesan-khusus/", data)
    assert response.status_code == 400
    assert_valid_html(response.content)
    html = response.content.decode()
    assert 'value="Seragam batik kantor"' in html and "Batik motif cengkih" in html and 'value="PT Pala Banda"' in html
    field = re.search(r'<div class="field has-error">\s*<label for="id_image1">.*?</div>', html, re.S).group(0)
    assert "acuan.jpg" in field and "pilih lagi" in field.lower()
    assert "id_image2" not in field and CustomOrder.objects.count() == 0 and ReferenceImage.objects.count() == 0


def test_tracking_without_the_right_signature_is_refused(client, make_request):
    order = make_request()
    good = links.tracking_url(order)
    assert client.get(good).status_code == 200
    token = links.track_token(order)
    tampered = good.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for url in (tampered, f"/pesan-khusus/lacak/{order.code}/x/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Tautan tidak berlaku" in response.content.decode()
    # A POST with a changed link changes nothing either.
    client.post(tampered.replace("/lacak/", "/lacak/") + "batal/", {"reason": "iseng"})
    order.refresh_from_db()
    assert order.status == Status.REQUESTED


def test_links_sent_in_the_old_format_still_open_the_request_and_the_quote(client, quoted):
    """Tracking and quote links made before the core link scheme (django.core.signing, old salts) keep working."""
    order, quote = quoted()
    old_track = signing.Signer(salt="galeri.custom_orders.track").signature(f"{order.code}:{order.access_key}")
    assert old_track != links.track_token(order)
    assert client.get(f"/pesan-khusus/lacak/{order.code}/{old_track}/").status_code == 200
    old_quote = signing.Signer(salt="galeri.custom_orders.quote").sign(f"{quote.pk}-{quote.nonce}")
    assert old_quote != links.quote_token(quote)
    page = client.get(f"/pesan-khusus/penawaran/{old_quote}/")
    assert page.status_code == 200 and "Rp 23.000.000" in page.content.decode()


def test_quote_link_signed_opens_and_tampered_or_unsigned_is_refused(client, quoted):
    order, quote = quoted()
    url = links.quote_url(quote)
    response = client.get(url)
    assert response.status_code == 200
    assert_valid_html(response.content)
    assert "Rp 23.000.000" in response.content.decode() and "Rp 11.500.000" in response.content.decode()
    other_id = links.quote_token(quote).replace(f"{quote.pk}-", f"{quote.pk + 1}-", 1)
    for bad in (f"/pesan-khusus/penawaran/{quote.pk}-{quote.nonce}/", f"/pesan-khusus/penawaran/{other_id}/"):
        assert client.get(bad).status_code == 404
        assert client.post(bad + "terima/", {"method": "qris"}).status_code == 404
    order.refresh_from_db()
    assert order.status == Status.QUOTED


def test_accepting_on_the_page_shows_the_qris_with_the_dp(client, quoted):
    order, quote = quoted()
    response = client.post(links.quote_url(quote) + "terima/", {"method": "qris"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-testid="qris"' in html and "Rp 11.500.000" in html
    assert_valid_html(page.content)


def test_an_expired_quote_says_so_and_cannot_be_accepted(client, quoted, settings):
    order, quote = quoted(valid_until=timezone.localdate())
    quote.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    quote.save()
    page = client.get(links.quote_url(quote)).content.decode()
    assert "sudah kedaluwarsa" in page and 'data-testid="form-terima"' not in page
    response = client.post(links.quote_url(quote) + "terima/", {"method": "qris"})
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    assert Payment.objects.count() == 0


def test_buyer_uploads_a_proof_and_sees_it_received(client, quoted):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    url = links.tracking_url(order)
    client.post(url + "bukti/", {"proof": upload(image_bytes("PNG"), "bukti.png", "image/png")})
    assert "Bukti bayar sudah diterima" in client.get(url).content.decode()
    client.post(url + "bukti/", {"proof": upload(b"<svg onload=alert(1)>", "x.png", "image/png")})
    assert Payment.objects.get().has_proof


def test_pdfs_hold_the_institution_and_totals(quoted, staff):
    order, quote = quoted()
    text = pdf_text(quote_pdf(quote, compress=False))
    assert "Dinas Pendidikan Provinsi Maluku" in text and "u.p. Ibu Maria Latuheru" in text
    assert "NPWP 01.234.567.8-901.000" in text
    assert "Rp 23.000.000" in text and "Rp 11.500.000" in text
    assert "LEMBAGA PEMASYARAKATAN KELAS IIA AMBON" in text
    assert "50% uang muka ditahan" in text
    services.accept_quote(quote, method="qris")
    dp = Payment.objects.get()
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=11_500_000)
    text = pdf_text(invoice_pdf(order, compress=False))
    assert text.splitlines()[2] == "Faktur" or "Faktur" in text
    assert "Dinas Pendidikan Provinsi Maluku" in text and "Sudah dibayar" in text and "Rp 23.000.000" in text
    assert f"{order.code}/DP" in text
    assert quote_pdf(quote).startswith(b"%PDF-")


# --- Console ---------------------------------------------------------------------------------


def test_console_list_is_valid_html_with_bounded_queries(
    client, login, staff, make_request, quoted, django_assert_max_num_queries
):
    login(client, staff.lapas_officer)
    for _i in range(2):
        quoted()
    with django_assert_max_num_queries(14):
        response = client.get("/petugas/pesanan-khusus/")
    assert response.status_code == 200
    assert_valid_html(response.content)
    for _i in range(8):
        quoted()
    with django_assert_max_num_queries(14):
        response = client.get("/petugas/pesanan-khusus/?status=aktif&q=Dinas&jenis=instansi")
    html = response.content.decode()
    assert html.count("Dinas Pendidikan Provinsi Maluku") == 10
    assert "Penawaran dikirim" in html


def test_console_list_is_scoped_to_the_unit(client, login, make_request, shop, rutan_officer):
    make_request()
    make_request(unit=shop.rutan.unit, institution="Kantor Camat Sirimau")
    login(client, rutan_officer)
    html = client.get("/petugas/pesanan-khusus/").content.decode()
    assert "Kantor Camat Sirimau" in html and "Dinas Pendidikan" not in html
    lapas_order = CustomOrder.objects.get(unit=shop.lapas.unit)
    assert client.get(f"/petugas/pesanan-khusus/{lapas_order.pk}/").status_code == 404


def test_export_xlsx_and_csv_follow_the_filters(client, login, staff, make_request):
    import openpyxl

    make_request()
    make_request(buyer_kind="perorangan", institution="", contact_name="Ibu Ona")
    login(client, staff.lapas_officer)
    response = client.get("/petugas/pesanan-khusus/?jenis=instansi&ekspor=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Kode" and len(rows) == 2 and rows[1][5] == "Dinas Pendidikan Provinsi Maluku"
    csv_text = b"".join(client.get("/petugas/pesanan-khusus/?ekspor=csv").streaming_content).decode("utf-8-sig")
    assert csv_text.count("\n") == 3 and "Ibu Ona" in csv_text


def test_console_detail_walks_the_flow(
    client, login, staff, quoted, work, make_rule, django_assert_max_num_queries, cashier_till
):
    make_rule(work.batch.unit)
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    login(client, staff.lapas_officer)
    url = f"/petugas/pesanan-khusus/{order.pk}/"
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert_valid_html(response.content)
    html = response.content.decode()
    assert "wa.me/6281234567890" in html and "Menunggu uang muka" in html
    dp = Payment.objects.get()
    client.post(url + "pembayaran/", {"payment": dp.pk, "received_amount": "11.500.000", "external_reference": "RRN77"})
    client.post(url + "batch/", {"batch": work.batch.pk})
    client.post(url + "langkah/", {"step": "siap"})
    login(client, staff.lapas_cashier)  # cash is taken by the cashier with her till open (issue 16)
    client.post(url + "pembayaran/", {"method": "cash", "received_amount": "11500000"})
    login(client, staff.lapas_officer)
    client.post(url + "langkah/", {"step": "diambil"})
    client.post(url + "langkah/", {"step": "selesai"})
    order.refresh_from_db()
    assert order.status == Status.DONE
    page = client.get(url).content.decode()
    assert "Lunas" in page and work.batch.code in page and "Selesai" in page
    assert client.get(url + "faktur.pdf")["Content-Type"] == "application/pdf"
    assert client.get(f"{url}penawaran/{quote.pk}.pdf").status_code == 200


def test_console_quote_form_sends_a_quote(client, login, staff, make_request):
    order = make_request()
    login(client, staff.lapas_officer)
    url = f"/petugas/pesanan-khusus/{order.pk}/penawaran/"
    response = client.get(url)
    assert response.status_code == 200
    assert_valid_html(response.content)
    bad = client.post(
        url,
        {
            "desc_0": "Kursi",
            "qty_0": "40",
            "lead_time_days": "30",
            "dp_percent": "50",
            "valid_until": timezone.localdate().isoformat(),
            "cancel_keep_percent": "100",
        },
    )
    assert bad.status_code == 400 and "belum lengkap" in bad.content.decode()
    response = client.post(
        url,
        {
            "desc_0": "Kursi",
            "qty_0": "40",
            "price_0": "Rp 550.000",
            "desc_1": "Antar",
            "qty_1": "1",
            "price_1": "1.000.000",
            "lead_time_days": "30",
            "dp_percent": "50",
            "valid_until": timezone.localdate().isoformat(),
            "cancel_keep_percent": "100",
        },
    )
    assert response.status_code == 302
    quote = order.quotes.get()
    assert quote.total == TOTAL
    detail = client.get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    assert links.quote_token(quote) in detail


def test_officer_cannot_cancel_after_dp_but_admin_can(client, login, staff, quoted):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=Payment.objects.get(), received_amount=11_500_000)
    login(client, staff.lapas_officer)
    url = f"/petugas/pesanan-khusus/{order.pk}/"
    assert "Batalkan pesanan" not in client.get(url).content.decode()
    # Issue 16: the officer's cancel is a request; the administrator approves it.
    client.post(url + "batal/", {"reason": "Anggaran dipotong"})
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION
    login(client, staff.lapas_admin)
    page = client.get(url).content.decode()
    assert "ditahan Rp 5.750.000" in page
    client.post(url + "putusan-batal/", {"action": "batal_dibayar", "kept_amount": ""})
    order.refresh_from_db()
    assert order.status == Status.CANCELLED and order.cancel_kept_amount == 5_750_000


def test_reference_images_are_for_staff_only(client, login, staff, make_request, rutan_officer):
    order = make_request(images=[upload(image_bytes("PNG"), "a.png", "image/png")])
    image = order.images.get()
    url = f"/petugas/pesanan-khusus/{order.pk}/gambar/{image.pk}/"
    assert client.get(url).status_code == 302  # to sign in
    login(client, rutan_officer)
    assert client.get(url).status_code == 404
    login(client, staff.lapas_officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, no-store"
