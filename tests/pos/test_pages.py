"""The cashier screen through the test client: open a till, scan, search, change quantities,
pay cash with change or by QRIS, the receipt (58/80 mm, SALINAN), ESC/POS bytes, closing."""

import pytest
from django.urls import reverse

from galeri.payments.models import Payment
from galeri.pos.models import Sale, TillSession
from galeri.pos.receipt import THANKS, escpos_bytes, receipt_lines
from tests.helpers import static_qris
from tests.pos.helpers import cash, sell

pytestmark = pytest.mark.django_db


@pytest.fixture
def cashier_client(client, counter, login):
    return login(client, counter.cashier)


def _open(client, counter, opening_float="200.000"):
    response = client.post(reverse("pos:home"), {"till": counter.till.pk, "opening_float": opening_float})
    session = TillSession.objects.get(till=counter.till, closed_at__isnull=True)
    assert response.status_code == 302 and response["Location"] == reverse("pos:sell", kwargs={"pk": session.pk})
    return session


def test_scan_two_skus_pay_cash_with_change_and_print(cashier_client, counter, stocked):
    client = cashier_client
    stocked(counter.location, 5, name="Tas Anyaman Pandan", sku="TAS-001", price=150_000)
    cake = stocked(counter.location, 5, name="Kue Sagu", sku="KUE-002", barcode="8990000000021", price=25_000)
    session = _open(client, counter)
    assert session.opening_float == 200_000
    page = client.get(reverse("pos:sell", kwargs={"pk": session.pk}))
    assert b'id="pos-code"' in page.content and b"autofocus" in page.content
    add = reverse("pos:add", kwargs={"pk": session.pk})
    client.post(add, {"code": "tas-001"})
    client.post(add, {"code": "8990000000021"})
    client.post(add, {"code": "8990000000021"}, HTTP_HX_REQUEST="true")
    empty = stocked(counter.location, 0, name="Dompet Tenun", sku="DOM-3")
    page = client.post(add, {"code": "DOM-3"}, follow=True)
    assert "Stok Dompet Tenun" in page.content.decode() and empty.pk not in [r["product"].pk for r in page.context["rows"]]
    page = client.post(add, {"code": "TIDAK-ADA"}, follow=True)
    assert "Kode “TIDAK-ADA” tidak dikenal" in page.content.decode()
    page = client.get(reverse("pos:sell", kwargs={"pk": session.pk}))
    assert "Rp 200.000" in page.content.decode()  # 150.000 + 2 × 25.000
    client.post(reverse("pos:line", kwargs={"pk": session.pk}), {"product": cake.pk, "quantity": "1"})
    matches = client.get(reverse("pos:search", kwargs={"pk": session.pk}), {"code": "anyaman"})
    assert "Tas Anyaman Pandan" in matches.content.decode() and "Kue Sagu" not in matches.content.decode()
    sale_id = page.context["sale_id"]
    response = client.post(
        reverse("pos:pay", kwargs={"pk": session.pk}), {"sale_id": sale_id, "tendered": "200.000", "qris": "0", "transfer": "0"}
    )
    sale = Sale.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/struk/{sale.pk}/")
    assert (sale.total, sale.change) == (175_000, 25_000)
    # the same sale resent (a network retry) is recorded once
    again = client.post(reverse("pos:pay", kwargs={"pk": session.pk}), {"sale_id": sale_id, "tendered": "200.000"})
    assert again.status_code == 302 and Sale.objects.count() == 1
    receipt = client.get(response["Location"]).content.decode()
    assert "SALINAN" not in receipt.split("<pre")[1] and THANKS[:20] in receipt and "Kembali" in receipt and "WIT" in receipt
    assert sale.receipt_code in receipt and "Tas Anyaman Pandan" in receipt
    copy = client.get(reverse("pos:receipt", kwargs={"pk": sale.pk}) + "?lebar=80").content.decode()
    assert "SALINAN" in copy.split("<pre")[1] and "paper-80" in copy
    raw = client.get(reverse("pos:receipt_escpos", kwargs={"pk": sale.pk}))
    assert raw.content.startswith(b"\x1b@")
    # a new sale starts with an empty cart and a new sale id
    page = client.get(reverse("pos:sell", kwargs={"pk": session.pk}))
    assert page.context["rows"] == [] and page.context["sale_id"] != sale_id


def test_underpaid_cash_is_refused_with_a_message(cashier_client, counter, stocked):
    client = cashier_client
    stocked(counter.location, 5, sku="TAS-9", price=150_000)
    session = _open(client, counter)
    client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": "TAS-9"})
    page = client.post(reverse("pos:pay", kwargs={"pk": session.pk}), {"tendered": "100.000"}, follow=True)
    assert "kurang" in page.content.decode().lower() and Sale.objects.count() == 0


def test_qris_shows_the_code_and_split_payment_completes(cashier_client, counter, stocked):
    client = cashier_client
    counter.unit.qris_payload = static_qris()
    counter.unit.save()
    stocked(counter.location, 5, sku="TAS-7", price=150_000)
    session = _open(client, counter)
    client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": "TAS-7"})
    page = client.get(reverse("pos:qris", kwargs={"pk": session.pk}), {"jumlah": "100000"})
    html = page.content.decode()
    # the one renderer of payment instructions: the code, the exact amount, whom it pays
    assert 'data-testid="qris"' in html and "Rp 100.000" in html
    assert "GALERI KARYA" in html and "ID1020000000001" in html and "AMBON" in html
    client.post(
        reverse("pos:pay", kwargs={"pk": session.pk}), {"sale_id": page.context["sale_id"], "qris": "100000", "tendered": "50000"}
    )
    sale = Sale.objects.get()
    assert sorted(Payment.objects.filter(payable_type="pos_sale", payable_id=sale.pk).values_list("method", "amount")) == [
        ("cash", 50_000),
        ("qris", 100_000),
    ]


def test_closing_with_a_difference_needs_a_note(cashier_client, counter, stocked):
    client = cashier_client
    session = _open(client, counter, "100000")
    bag = stocked(counter.location, 5, price=50_000)
    sell(session, counter.cashier, [(bag, 1)], [cash(50_000, 100_000)])
    url = reverse("pos:close", kwargs={"pk": session.pk})
    page = client.get(url)
    assert "Rp 150.000" in page.content.decode()
    page = client.post(url, {"counted_cash": "149.000"}, follow=True)
    assert "catatan" in page.content.decode().lower()
    response = client.post(url, {"counted_cash": "149.000", "note": "uang receh kurang"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.expected_cash, session.counted_cash, session.difference, session.note) == (
        150_000,
        149_000,
        -1_000,
        "uang receh kurang",
    )


@pytest.mark.parametrize("paper,width", [(58, 32), (80, 48)])
def test_receipt_lines_fit_the_paper_and_escpos_bytes_carry_them(counter, open_till, stocked, paper, width):
    session = open_till()
    bag = stocked(counter.location, 5, name="Tas Anyaman Pandan Motif Cengkeh Khas Maluku Ukuran Besar", price=1_250_000)
    sale = sell(session, counter.cashier, [(bag, 2)], [cash(2_500_000, 3_000_000)])
    lines = receipt_lines(sale, width)
    assert all(len(line) <= width for line in lines)
    assert any(line.startswith("TOTAL") and line.endswith("Rp 2.500.000") and len(line) == width for line in lines)
    assert any(line.startswith("Kembali") and line.endswith("500.000") for line in lines)
    assert "SALINAN" not in "".join(lines) and "SALINAN" in receipt_lines(sale, width, copy=True)[0]
    data = escpos_bytes(lines, qr="https://galeri.contoh.id/upt/lapas/")
    assert data.startswith(b"\x1b@") and b"\x1dV" in data[-4:]  # initialise first, cut last
    for line in lines:
        assert line.encode("ascii") + b"\n" in data
    assert b"\x1d(k" in data and b"https://galeri.contoh.id/upt/lapas/" in data  # the native QR command
