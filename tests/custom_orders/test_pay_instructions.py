"""The made-to-order buyer's page and invoice show how to pay through the one renderer
(payments/_instructions.html, payments.instructions): the exact amount, and for a QRIS whom it pays."""

import re

import pytest
from django.test import Client

from galeri.custom_orders import links, services
from galeri.custom_orders.pdf import invoice_pdf
from galeri.payments.models import Payment
from tests.core.test_pdf import pdf_text
from tests.custom_orders.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

NO_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>")


def test_the_tracking_page_shows_the_qris_with_merchant_nmid_and_exact_dp(client, quoted):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    page = client.get(links.tracking_url(order))
    html = page.content.decode()
    assert "payments/_instructions.html" in [t.name for t in page.templates]
    assert 'data-testid="qris"' in html and 'data-testid="jumlah-bayar">Rp 11.500.000<' in html
    assert "LAPAS AMBON" in html and 'data-testid="nmid">ID1020000000001<' in html and "AMBON" in html
    assert "Simpan QRIS" in html and 'data-copy="11500000"' in html
    png_url = re.search(r'href="(/pembayaran/qris/[^"]+\.png)"', html).group(1)
    png = Client().get(png_url)  # the link works for whoever holds it, like the page itself
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert not NO_INLINE_SCRIPT.search(html)  # CSP: the copy buttons come from a static file
    assert "'unsafe-inline'" not in page.get("Content-Security-Policy", "").split("script-src")[-1].split(";")[0]
    assert_valid_html(page.content)


def test_the_tracking_page_shows_the_transfer_account_with_copy_buttons(client, quoted, unique_codes):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    payment = Payment.objects.get()
    html = client.get(links.tracking_url(order)).content.decode()
    assert 'data-testid="rekening">1234567890<' in html and 'data-copy="1234567890"' in html
    assert f'data-copy="{payment.amount}"' in html
    if payment.unique_code:
        assert f"kode unik Rp {payment.unique_code}" in html


def test_the_invoice_prints_how_to_pay_while_the_dp_is_due_and_not_after(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    text = pdf_text(invoice_pdf(order, compress=False))
    assert "Cara bayar" in text and "Bayar dengan QRIS tepat Rp 11.500.000." in text
    assert "NMID ID1020000000001" in text and "LAPAS AMBON" in text
    dp = Payment.objects.get()
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=11_500_000)
    assert "Cara bayar" not in pdf_text(invoice_pdf(order, compress=False))
