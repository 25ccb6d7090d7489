"""The one renderer of payment instructions (galeri/payments/instructions.py): what each method
tells the buyer, whom a QRIS pays (name, NMID, city), and "Simpan QRIS" as a PNG download."""

import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from PIL import Image

from galeri.core import links
from galeri.payments import acquiring, instructions
from galeri.payments.instructions import Merchant, instructions_for, instructions_for_amount, merchant_of
from galeri.payments.models import ChargeStatus
from galeri.payments.qris import parse
from tests.helpers import static_qris
from tests.payments.vectors import DYNAMIC_25000, STATIC

pytestmark = pytest.mark.django_db


# --- Whom a QRIS pays ---------------------------------------------------------------------------


def test_the_merchant_is_read_from_the_national_template_of_the_payload():
    assert merchant_of(STATIC) == Merchant(name="Kantin Ibu Lilik", nmid="ID1019000002328", city="Jakarta Pusat")
    assert merchant_of(DYNAMIC_25000) == merchant_of(STATIC)  # the amount does not change whom it pays


def test_a_national_id_in_another_merchant_account_template_is_read_there():
    assert merchant_of(static_qris("GALERI KARYA UJI", "AMBON")) == Merchant("GALERI KARYA UJI", "ID1020000000001", "AMBON")


def test_no_merchant_from_an_empty_or_damaged_payload():
    assert merchant_of("") is None and merchant_of(None) is None
    assert merchant_of(STATIC[:-4] + "0000") is None  # wrong CRC
    assert merchant_of("https://contoh.go.id/bayar") is None


# --- What each method tells the buyer ----------------------------------------------------------


def test_qris_instructions_carry_the_code_the_exact_amount_and_the_merchant(make_payment):
    payment = make_payment(150_000, "qris")
    ins = instructions_for(payment)
    assert (ins.method, ins.amount, ins.error) == ("qris", 150_000, "")
    shown = parse(ins.qris_payload)
    assert shown.amount == 150_000 and shown.is_dynamic
    assert ins.qris_src.startswith("data:image/svg+xml;base64,")
    assert ins.merchant == Merchant("Kantin Ibu Lilik", "ID1019000002328", "Jakarta Pusat")
    assert ins.png_url.startswith("/pembayaran/qris/") and ins.png_url.endswith(".png")
    lines = ins.text_lines()
    assert "Bayar dengan QRIS tepat Rp 150.000." in lines
    assert "Merchant: Kantin Ibu Lilik · NMID ID1019000002328 · Jakarta Pusat" in lines


def test_a_pending_acquirer_charge_is_the_code_shown_with_its_deadline(make_payment, acquirer_account, network):
    acquirer_account("simulasi")
    payment = make_payment(150_000, "qris")
    charge = acquiring.create_charge(payment)
    ins = instructions_for(payment)
    assert ins.qris_payload == charge.payload and ins.deadline == charge.expires_at
    assert ins.merchant == merchant_of(charge.payload) and ins.merchant.nmid
    png = Client().get(ins.png_url)
    assert png.status_code == 200 and png.content == instructions.png_of(charge.payload)
    charge.status = ChargeStatus.EXPIRED
    charge.save()
    assert Client().get(ins.png_url).status_code == 404  # that code can no longer be paid
    assert instructions_for(payment).qris_payload != charge.payload  # back to the unit's own QRIS


def test_transfer_instructions_carry_the_account_and_the_unique_code(make_payment, with_unique_codes, paying_unit):
    with_unique_codes(999)
    payment = make_payment(150_000, "transfer")
    ins = instructions_for(payment)
    assert ins.amount == payment.amount and 1 <= ins.unique_code <= 999 and ins.base_amount == 150_000
    assert ins.bank_name == "Bank Rakyat Indonesia" and ins.bank_account_number == "0123-01-000456-30-7"
    assert ins.account_digits == "012301000456307"
    assert ins.bank_account_name == "Bendahara Penerimaan Lapas Ambon"
    assert ins.amount_head + ins.amount_tail == f"Rp {payment.amount:,}".replace(",", ".")
    assert len(ins.amount_tail) == 3 and not ins.qris_src and ins.merchant is None
    assert f"Termasuk kode unik Rp {ins.unique_code}: transfer tepat sampai tiga angka terakhir." in ins.text_lines()


def test_cash_instructions_say_where_and_when_the_gallery_is_open(paying_unit):
    paying_unit.gallery_address = "Galeri Karya, ruang depan Lapas Ambon"
    paying_unit.opening_hours = "Senin–Jumat 08.00–15.00 WIT\nSabtu 08.00–12.00 WIT"
    when = datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)
    ins = instructions_for_amount(paying_unit, "cash", 75_000, deadline=when)
    assert ins.place == "Galeri Karya, ruang depan Lapas Ambon" and "Sabtu" in ins.opening_hours
    assert ins.text_lines() == [
        "Bayar tunai Rp 75.000 di galeri: Galeri Karya, ruang depan Lapas Ambon.",
        "Jam buka: Senin–Jumat 08.00–15.00 WIT · Sabtu 08.00–12.00 WIT",
        "Bayar sebelum 31 Desember 2026 23.30 WIT.",
    ]


def test_cod_instructions_ask_to_pay_the_courier(paying_unit):
    ins = instructions_for_amount(paying_unit, "cod", 90_000)
    assert ins.text_lines() == ["Bayar tunai Rp 90.000 kepada petugas saat barang diantar."]


def test_a_unit_without_a_qris_gets_a_message_not_a_code(paying_unit):
    paying_unit.qris_payload = ""
    ins = instructions_for_amount(paying_unit, "qris", 50_000)
    assert ins.error and not ins.qris_src and not ins.png_url and ins.merchant is None
    assert "belum memasang QRIS" in ins.error


# --- Simpan QRIS --------------------------------------------------------------------------------


def test_simpan_qris_downloads_the_same_code_as_png(client, make_payment):
    payment = make_payment(150_000, "qris")
    ins = instructions_for(payment)
    response = client.get(ins.png_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="qris-{payment.unit.code.lower()}-150000.png"'
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size[0] == image.size[1] > 200
    assert response.content == instructions.png_of(ins.qris_payload)  # the very code the page shows


def test_a_forged_changed_or_foreign_token_is_a_404(client, paying_unit):
    good = instructions.qris_png_url(paying_unit, 50_000)
    token = good.removeprefix("/pembayaran/qris/").removesuffix(".png")
    assert client.get(good).status_code == 200
    forged = links.dumps(links.Purpose(salt="something-else"), {"u": paying_unit.pk, "a": 1, "c": None})
    for bad in (token[:-2] + "xx", forged, "abc", "x" * 900):
        assert client.get(reverse("payment_qris_png", kwargs={"token": bad})).status_code == 404
    wrong_amount = links.dumps(instructions.QRIS_PNG, {"u": paying_unit.pk, "a": "50000", "c": None})
    assert client.get(reverse("payment_qris_png", kwargs={"token": wrong_amount})).status_code == 404
    unknown_unit = links.dumps(instructions.QRIS_PNG, {"u": 999_999, "a": 50_000, "c": None})
    assert client.get(reverse("payment_qris_png", kwargs={"token": unknown_unit})).status_code == 404


def test_the_png_link_expires_after_thirty_days(client, paying_unit):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC), tick=False):
        url = instructions.qris_png_url(paying_unit, 50_000)
    with time_machine.travel(datetime.datetime(2026, 12, 30, 2, 0, tzinfo=datetime.UTC), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(datetime.datetime(2027, 1, 1, 2, 0, tzinfo=datetime.UTC), tick=False):
        assert client.get(url).status_code == 404


def test_a_unit_whose_qris_broke_after_the_link_was_made_gets_a_404(client, paying_unit):
    url = instructions.qris_png_url(paying_unit, 50_000)
    paying_unit.qris_payload = ""
    paying_unit.save()
    assert client.get(url).status_code == 404
