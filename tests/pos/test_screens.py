"""The screens built on the services: discounts and price overrides by role, returns by receipt
number, online pickup orders at the counter, PDF/ESC-POS receipts with their QR, the daily
report and the sales list with their exports."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from galeri.inventory.models import Reason, StockLevel, StockMovement
from galeri.inventory.services import ledger_differences
from galeri.orders.models import OrderStatus
from galeri.payments.models import Payment
from galeri.pos.models import CounterPayment, Refund, Sale, SaleStatus
from galeri.pos.services import PaymentInput
from galeri.units.models import Role
from tests.helpers import static_qris
from tests.orders.helpers import pickup, place
from tests.pos.helpers import approval, cash, sell, take

pytestmark = pytest.mark.django_db


def level(product, location):
    return StockLevel.objects.get(product=product, location=location).quantity


def _scan(client, session, *codes):
    for code in codes:
        client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": code})


def _sell_page(client, session):
    return client.get(reverse("pos:sell", kwargs={"pk": session.pk}))


# --- Discounts and price overrides --------------------------------------------------------------


def test_an_administrator_gives_line_and_sale_discounts_with_reasons(client, login, counter, open_till, stocked):
    session = open_till(user=counter.admin)
    login(client, counter.admin)
    bag = stocked(counter.location, 5, name="Tas Anyaman Pandan", sku="TAS-1", price=150_000)
    cake = stocked(counter.location, 5, name="Kue Sagu", sku="KUE-1", price=25_000)
    _scan(client, session, "TAS-1", "KUE-1", "KUE-1")
    page = _sell_page(client, session)
    assert "Potongan / ubah harga" in page.content.decode()
    adjust = reverse("pos:adjust", kwargs={"pk": session.pk})
    # no reason: refused, nothing changes
    page = client.post(adjust, {"product": bag.pk, "price": "150.000", "discount": "10.000", "reason": ""}, follow=True)
    assert "alasan" in page.content.decode().lower() and page.context["total"] == 200_000
    # a discount above the line: refused
    page = client.post(adjust, {"product": cake.pk, "price": "", "discount": "60.000", "reason": "rusak"}, follow=True)
    assert "melebihi" in page.content.decode() and page.context["total"] == 200_000
    client.post(adjust, {"product": bag.pk, "price": "150.000", "discount": "10.000", "reason": "jahitan lepas"})
    client.post(adjust, {"product": cake.pk, "price": "20.000", "discount": "0", "reason": "harga promosi"})
    page = client.post(adjust, {"discount": "5.000", "reason": "pelanggan tetap"}, follow=True)
    assert page.context["total"] == 150_000 - 10_000 + 2 * 20_000 - 5_000
    assert "jahitan lepas" in page.content.decode() and "pelanggan tetap" in page.content.decode()
    client.post(reverse("pos:pay", kwargs={"pk": session.pk}), {"sale_id": page.context["sale_id"], "tendered": "200.000"})
    sale = Sale.objects.get()
    assert (sale.subtotal, sale.discount, sale.total, sale.change, sale.discount_reason) == (
        190_000,
        15_000,
        175_000,
        25_000,
        "pelanggan tetap",
    )
    lines = {l.name: l for l in sale.lines.all()}
    assert (lines["Tas Anyaman Pandan"].discount, lines["Tas Anyaman Pandan"].reason) == (10_000, "jahitan lepas")
    assert (lines["Kue Sagu"].list_price, lines["Kue Sagu"].unit_price, lines["Kue Sagu"].reason) == (
        25_000,
        20_000,
        "harga promosi",
    )
    receipt = client.get(reverse("pos:receipt", kwargs={"pk": sale.pk})).content.decode()
    assert "Potongan" in receipt and "-5.000" in receipt


def test_a_cashier_sees_no_discount_form_and_the_server_refuses(client, login, counter, open_till, stocked):
    session = open_till()
    login(client, counter.cashier)
    bag = stocked(counter.location, 5, sku="TAS-2", price=150_000)
    _scan(client, session, "TAS-2")
    page = _sell_page(client, session)
    assert (
        "Potongan / ubah harga" not in page.content.decode()
        and reverse("pos:adjust", kwargs={"pk": session.pk}) not in page.content.decode()
    )
    response = client.post(
        reverse("pos:adjust", kwargs={"pk": session.pk}), {"product": bag.pk, "price": "1", "discount": "0", "reason": "teman"}
    )
    assert response.status_code == 403
    assert _sell_page(client, session).context["total"] == 150_000


# --- Returns ---------------------------------------------------------------------------------------


def test_a_partial_then_full_return_by_receipt_number(client, login, counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5, name="Tas Anyaman Pandan", price=150_000)
    cake = stocked(counter.location, 5, name="Kue Sagu", price=25_000)
    sale = sell(session, counter.cashier, [(bag, 1), (cake, 2)])
    ok = approval(counter.admin)  # issue 16: the cashier refunds from her till, the administrator approves with his PIN
    login(client, counter.cashier)
    found = client.get(reverse("pos:refund_find"), {"struk": sale.receipt_code.lower()})
    assert found.status_code == 302 and found["Location"] == reverse("pos:refund", kwargs={"pk": sale.pk})
    assert client.get(reverse("pos:refund_find"), {"struk": "LPA-K999999"}).context["sales"] == []
    url = reverse("pos:refund", kwargs={"pk": sale.pk})
    cake_line = sale.lines.get(name="Kue Sagu")
    bag_line = sale.lines.get(name="Tas Anyaman Pandan")
    page = client.post(url, {f"qty_{cake_line.pk}": "1", f"qty_{bag_line.pk}": "0", "method": "cash", "reason": "", **ok})
    assert page.status_code == 400 and "alasan" in page.content.decode().lower() and Refund.objects.count() == 0
    page = client.post(url, {f"qty_{cake_line.pk}": "3", "method": "cash", "reason": "rusak", **ok})
    assert page.status_code == 400 and "hanya 2" in page.content.decode() and Refund.objects.count() == 0
    response = client.post(url, {f"qty_{cake_line.pk}": "1", "method": "cash", "reason": "kue rusak", **ok})
    assert response.status_code == 302
    assert level(cake, counter.location) == 4 and Refund.objects.get().amount == 25_000
    receipt = client.get(response["Location"]).content.decode()
    assert "Retur" in receipt and "-25.000" in receipt and "kue rusak" in receipt
    client.post(
        url,
        {
            f"qty_{cake_line.pk}": "1",
            f"qty_{bag_line.pk}": "1",
            "method": "transfer",
            "reason": "batal beli",
            **ok,
        },
    )
    sale.refresh_from_db()
    assert sale.status == SaleStatus.VOIDED and (level(bag, counter.location), level(cake, counter.location)) == (5, 5)
    assert "DIBATALKAN" in client.get(reverse("pos:receipt", kwargs={"pk": sale.pk})).content.decode()
    assert ledger_differences() == ([], [])


def test_returns_are_for_allowed_roles_and_own_units(client, login, counter, open_till, stocked, places, make_staff):
    session = open_till()
    sale = sell(session, counter.cashier, [(stocked(counter.location, 2), 1)])
    login(client, make_staff(Role.OFFICER, counter.unit))  # (a cashier may: a second person approves, issue 16)
    assert client.get(reverse("pos:refund", kwargs={"pk": sale.pk})).status_code == 403
    other_admin = make_staff(Role.UNIT_ADMIN, places.rutan.unit)
    login(client, other_admin)
    assert client.get(reverse("pos:refund", kwargs={"pk": sale.pk})).status_code == 404
    assert client.get(reverse("pos:refund_find"), {"struk": sale.receipt_code}).context["sales"] == []


# --- Online pickup orders --------------------------------------------------------------------------


@pytest.fixture
def pickup_order(counter, stocked):
    counter.unit.qris_payload = static_qris()
    counter.unit.save()
    bag = stocked(counter.location, 3, name="Tas Anyaman Pandan", price=150_000)
    order = place([(bag, 1)], [pickup(counter.unit, "cash")]).orders[0]
    return order, bag


def test_an_unpaid_pickup_order_is_paid_and_handed_over_at_the_counter(client, login, counter, open_till, pickup_order):
    order, bag = pickup_order
    assert order.status == OrderStatus.AWAITING_PAYMENT and level(bag, counter.location) == 2  # reserved
    session = open_till(opening_float=100_000)
    login(client, counter.cashier)
    response = client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": order.code.lower()})
    assert response.status_code == 302 and reverse("pos:pickup", kwargs={"pk": session.pk}) in response["Location"]
    listed = client.get(response["Location"])
    assert listed.status_code == 302  # the only match opens the order
    page = client.get(listed["Location"])
    assert order.code in page.content.decode() and "Rp 150.000" in page.content.decode()
    key = page.context["payment_id"]
    url = reverse("pos:pickup_order", kwargs={"pk": session.pk, "order_pk": order.pk})
    bad = client.post(url, {"payment_id": key, "method": "cash", "tendered": "100.000"})
    assert bad.status_code == 400 and "kurang" in bad.content.decode() and CounterPayment.objects.count() == 0
    response = client.post(url, {"payment_id": key, "method": "cash", "tendered": "200.000"})
    payment = CounterPayment.objects.get()
    assert response["Location"].startswith(reverse("pos:payment_receipt", kwargs={"pk": payment.pk}))
    again = client.post(url, {"payment_id": key, "method": "cash", "tendered": "200.000"})  # a resend
    assert again.status_code == 302 and CounterPayment.objects.count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.paid_at is not None and level(bag, counter.location) == 2
    assert StockMovement.objects.filter(product=bag, reason=Reason.SALE).count() == 1
    assert (payment.amount, payment.change, payment.source_type, payment.source_id) == (150_000, 50_000, "order", order.pk)
    # one rupiah, one record: the order's own payment, confirmed, in the cashier's till
    (record,) = Payment.objects.filter(payable_type="order", payable_id=order.pk, status="confirmed")
    assert (record.method, record.received_amount, record.change) == ("cash", 200_000, 50_000)
    assert (record.till_session_id, record.counter_action_id) == (session.pk, payment.client_payment_id)
    assert not Payment.objects.exclude(pk=record.pk).filter(status="confirmed").exists()
    receipt = client.get(response["Location"]).content.decode()
    assert order.code in receipt and payment.receipt_code in receipt and "Kembali" in receipt
    close = client.get(reverse("pos:close", kwargs={"pk": session.pk}))
    assert close.context["figures"]["expected_cash"] == 250_000
    assert ledger_differences() == ([], [])


def test_a_paid_pickup_order_is_handed_over_without_money_and_qris_shows_for_unpaid(
    client, login, counter, open_till, pickup_order
):
    order, _bag = pickup_order
    session = open_till()
    login(client, counter.cashier)
    url = reverse("pos:pickup_order", kwargs={"pk": session.pk, "order_pk": order.pk})
    page = client.get(url, {"qris": "1"})
    assert b'data-testid="qris"' in page.content and b"ID1020000000001" in page.content
    from galeri.orders import services as orders

    orders.record_payment(
        order, counter.cashier, received_amount=150_000, method="qris", reference="RRN-AMBIL-1"
    )  # paid before pickup
    page = client.get(url)
    assert "Sudah lunas" in page.content.decode()
    response = client.post(url, {"payment_id": page.context["payment_id"]}, follow=True)
    assert "diserahkan" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and CounterPayment.objects.count() == 0
    assert client.post(url, {"payment_id": str(uuid.uuid4())}).status_code == 400  # already handed over


def test_another_units_order_is_not_found_from_this_till(client, login, counter, open_till, places, stocked, make_staff):
    location = places.rutan.galeri
    bag = stocked(location, 2, price=50_000)
    order = place([(bag, 1)], [pickup(places.rutan.unit, "cash")]).orders[0]
    session = open_till()
    login(client, counter.cashier)
    url = reverse("pos:pickup_order", kwargs={"pk": session.pk, "order_pk": order.pk})
    assert client.get(url).status_code == 404


# --- Receipts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", [58, 80])
def test_pdf_receipt_is_as_wide_as_the_paper_and_escpos_carries_the_qris(client, login, counter, open_till, stocked, paper):
    counter.unit.qris_payload = static_qris()
    counter.unit.save()
    session = open_till()
    bag = stocked(counter.location, 2, name="Tas Anyaman Pandan", price=150_000)
    sale = sell(session, counter.cashier, [(bag, 1)], [cash(50_000), PaymentInput("qris", 100_000)])
    login(client, counter.cashier)
    pdf = client.get(reverse("pos:receipt_pdf", kwargs={"pk": sale.pk}), {"lebar": str(paper)})
    assert pdf["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == paper
    text = page.extract_text()
    assert "Tas Anyaman Pandan" in text and sale.receipt_code in text and "SALINAN" not in text  # the first print
    data = client.get(reverse("pos:receipt_escpos", kwargs={"pk": sale.pk}), {"lebar": str(paper)}).content
    assert data.startswith(b"\x1b@") and sale.receipt_code.encode() in data and b"SALINAN" in data  # a second print
    assert b"\x1d(k" in data and b"5406100000" in data  # the QRIS with tag 54 = Rp 100.000
    cash_sale = sell(session, counter.cashier, [(bag, 1)])
    data = client.get(reverse("pos:receipt_escpos", kwargs={"pk": cash_sale.pk})).content
    assert counter.unit.get_absolute_url().encode() in data  # a link QR to the gallery


# --- Reports -----------------------------------------------------------------------------------------------


def test_daily_report_per_till_unit_and_cashier_with_xlsx(
    client, login, counter, open_till, stocked, django_assert_max_num_queries, make_staff
):
    second_admin = make_staff(Role.UNIT_ADMIN, counter.unit, "admin.dua")
    first = open_till(counter.till, opening_float=0)
    second = open_till(counter.till2, user=counter.admin)
    bag = stocked(counter.location, 20, price=100_000)
    sell(first, counter.cashier, [(bag, 2)], [cash(200_000, 250_000)])
    sell(first, counter.cashier, [(bag, 1)], [PaymentInput("qris", 100_000)])
    discounted = sell(
        second, counter.admin, [(bag, 1)], [PaymentInput("transfer", 90_000)], sale_discount=10_000, discount_reason="promo"
    )
    from galeri.pos import services

    services.refund_sale(
        discounted,
        quantities={discounted.lines.get().pk: 1},
        method="transfer",
        reason="batal",
        user=counter.admin,
        session=second,
        **approval(second_admin),
    )
    take(first, counter.cashier, 30_000, payable_id=3, label="Cukur")
    login(client, counter.cashier)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("pos:report"))
    figures = page.context["figures"]
    rows = {r["till"].name: r for r in figures["tills"]}
    assert (rows["Kasir 1"]["sales"], rows["Kasir 1"]["items"], rows["Kasir 1"]["net_cash"], rows["Kasir 1"]["net_qris"]) == (
        2,
        3,
        230_000,
        100_000,
    )
    assert (
        rows["Kasir 2"]["discount"],
        rows["Kasir 2"]["refunds"],
        rows["Kasir 2"]["net_transfer"],
        rows["Kasir 2"]["voided"],
    ) == (10_000, 90_000, 0, 1)
    unit = figures["units"][0]
    assert (unit["sales"], unit["total"], unit["other"], unit["net"]) == (3, 390_000, 30_000, 330_000)
    assert {c["sales"] for c in figures["cashiers"]} == {2, 1}
    assert "Rp 330.000" in page.content.decode()
    export = client.get(reverse("pos:report"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    sheet = book["Per kasir"]
    header = [c.value for c in sheet[1]]
    values = {r[2]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Kasir 1"]["Tunai bersih"] == 230_000 and isinstance(values["Jumlah unit"]["Bersih"], int)
    yesterday = client.get(reverse("pos:report"), {"hari": "2020-01-01"})
    assert yesterday.context["figures"]["tills"] == [] and "Tidak ada transaksi" in yesterday.content.decode()
    assert client.get(reverse("pos:report"), {"hari": "bukan-tanggal"}).status_code == 200


def test_sales_list_filters_and_exports_with_the_filters(client, login, counter, open_till, stocked, places, make_staff):
    first = open_till(counter.till)
    second = open_till(counter.till2, user=counter.admin)
    bag = stocked(counter.location, 20, price=100_000)
    a = sell(first, counter.cashier, [(bag, 1)])
    b = sell(second, counter.admin, [(bag, 2)])
    from galeri.pos import services

    services.refund_sale(
        b,
        quantities={b.lines.get().pk: 2},
        method="cash",
        reason="batal",
        user=counter.admin,
        session=second,
        **approval(make_staff(Role.UNIT_ADMIN, counter.unit, "admin.dua")),
    )
    login(client, counter.admin)
    url = reverse("pos:sales")
    page = client.get(url, {"kasir": counter.till.pk})
    assert [s.pk for s in page.context["page"]] == [a.pk]
    page = client.get(url, {"status": "voided"})
    assert [s.pk for s in page.context["page"]] == [b.pk]
    page = client.get(url, {"petugas": counter.cashier.pk, "dari": "2020-01-01", "sampai": "2099-12-31"})
    assert [s.pk for s in page.context["page"]] == [a.pk]
    assert client.get(url, {"dari": "kemarin"}).context["bad_dates"]
    export = client.get(url, {"status": "voided", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [b.receipt_code] and rows[1][8] == "200000"
    export = client.get(url, {"kasir": counter.till.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in data] == [a.receipt_code] and data[0][8] == 100_000
    other = make_staff(Role.UNIT_ADMIN, places.rutan.unit)
    login(client, other)
    assert list(client.get(url).context["page"]) == []


def test_the_sell_screen_and_the_sales_list_take_bounded_queries(
    client, login, counter, open_till, stocked, django_assert_max_num_queries
):
    session = open_till(user=counter.admin)
    login(client, counter.admin)
    products = [stocked(counter.location, 50, sku=f"Q-{i}", price=10_000 + i) for i in range(8)]
    for p in products:
        client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": p.sku})
    with django_assert_max_num_queries(15):
        page = _sell_page(client, session)
    assert len(page.context["rows"]) == 8
    for i in range(12):
        sell(session, counter.admin, [(products[i % 8], 1)])
    with django_assert_max_num_queries(15):
        page = client.get(reverse("pos:sales"))
    assert len(page.context["page"]) == 12
