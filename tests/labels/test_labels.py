"""Price labels end to end: the console form, batches, stock receipts, ESC/POS, the unit's barcode choice."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from galeri.catalog.models import Product
from galeri.inventory.models import Reason
from galeri.inventory.services import receive
from galeri.labels import codes
from galeri.labels.models import LabelSettings
from galeri.production import services as production
from tests.helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

CREDIT_LAPAS = "Karya Warga Binaan — Lapas Ambon"


@pytest.fixture
def kue(stocked, places):
    return stocked(places.lapas.galeri, 6, name="Kue Bagea Sagu", price=25_000, sku="LPA-KUL-001")


@pytest.fixture
def officer(client, login, staff):
    return login(client, staff.lapas_officer)


def _print(client, quantities, output="3x8", start=""):
    data = {f"qty-{pk}": value for pk, value in quantities.items()}
    data.update({"output": output, "start": start})
    return client.post(reverse("labels:print"), data)


def test_a_sheet_of_labels_carries_name_price_and_credit(officer, kue):
    response = _print(officer, {kue.pk: "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert text.count("Kue Bagea Sagu") == 3
    assert text.count("Rp 25.000") == 3
    assert text.count(CREDIT_LAPAS) == 3
    assert "LPA-KUL-001" in text  # the barcode's readable line
    assert pdf_pages(response.content) == 1


@pytest.mark.parametrize(
    "output, count, start, pages",
    [
        ("3x8", 24, "", 1),
        ("3x8", 25, "", 2),
        ("3x8", 4, "21", 1),
        ("3x8", 5, "21", 2),
        ("4x10", 40, "1", 1),
        ("4x10", 2, "40", 2),
    ],
)
def test_pages_follow_layout_and_start_position(officer, kue, output, count, start, pages):
    response = _print(officer, {kue.pk: str(count)}, output=output, start=start)
    assert response.status_code == 200
    assert pdf_pages(response.content) == pages
    assert pdf_text(response.content).count("Kue Bagea Sagu") == count


def test_several_products_on_one_sheet(officer, kue, stocked, places):
    tas = stocked(places.lapas.galeri, 1, name="Tas Anyaman Pandan", price=150_000)
    text = pdf_text(_print(officer, {kue.pk: "2", tas.pk: "1"}).content)
    assert text.count("Kue Bagea Sagu") == 2 and text.count("Rp 150.000") == 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("0", "harus antara 1 dan 1.000"),
        ("10000", "harus antara 1 dan 1.000"),
        ("-2", "harus antara 1 dan 1.000"),
        ("dua", "harus berupa angka"),
        ("", "Pilih minimal satu produk"),
    ],
)
def test_bad_quantities_give_a_message_and_no_file(officer, kue, value, message):
    response = _print(officer, {kue.pk: value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    # The form comes back with what was typed.
    assert f'name="qty-{kue.pk}"' in response.content.decode()


def test_too_many_labels_in_total(officer, kue, stocked, places):
    other = stocked(places.lapas.galeri, 0, name="Dompet Tenun")
    response = _print(officer, {kue.pk: "1000", other.pk: "1001"})
    assert response.status_code == 400
    assert "harus antara 1 dan 1.000" in response.content.decode()
    response = _print(
        officer,
        {
            kue.pk: "1000",
            other.pk: "1000",
        },
    )
    assert response.status_code == 200
    response = _print(officer, {kue.pk: "1000", other.pk: "1000", (other.pk + 10_000): "1"})
    assert response.status_code == 400


def test_unknown_product_and_bad_start(officer, kue):
    response = _print(officer, {999999: "1"})
    assert response.status_code == 400
    assert "Produk tidak ditemukan" in response.content.decode()
    response = officer.post(reverse("labels:print"), {"qty-abc": "1", "output": "3x8"})
    assert response.status_code == 400
    response = _print(officer, {kue.pk: "1"}, start="25")
    assert response.status_code == 400
    assert "paling besar 24" in response.content.decode()
    response = _print(officer, {kue.pk: "1"}, start="x")
    assert response.status_code == 400
    response = _print(officer, {kue.pk: "1"}, output="a5")
    assert response.status_code == 400


def test_another_units_product_is_not_printed(officer, stocked, places):
    lpp_product = stocked(places.lpp.galeri, 1, name="Sarung Tenun LPP")
    response = _print(officer, {lpp_product.pk: "1"})
    assert response.status_code == 400
    assert "Sarung Tenun LPP" not in response.content.decode()
    assert officer.get(reverse("labels:product", args=[lpp_product.pk])).status_code == 404
    assert "Sarung Tenun LPP" not in officer.get(reverse("labels:home") + "?q=Sarung").content.decode()


def test_search_and_product_page_prefill(officer, kue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = officer.get(reverse("labels:home"), {"q": "bagea"})
    assert "Kue Bagea Sagu" in page.content.decode()
    page = officer.get(reverse("labels:product", args=[kue.pk]))
    assert f'name="qty-{kue.pk}" value="1"' in page.content.decode()


def test_home_query_count_does_not_grow(officer, stocked, places, django_assert_max_num_queries):
    for n in range(30):
        stocked(places.lapas.galeri, 0, name=f"Gantungan Kunci {n}")
    with django_assert_max_num_queries(12):
        response = officer.get(reverse("labels:home"))
    assert response.content.decode().count('class="qty"') == 30


# --- Batches and receipts -------------------------------------------------------------


@pytest.fixture
def batch(kue, places, make_workshop, make_participant):
    participant = make_participant(places.lapas.unit, initials="R.H.")
    made = production.create_batch(
        make_workshop(places.lapas.unit, name="Bengkel Kue"),
        kue,
        quantity_made=10,
        started_on=datetime.date(2026, 11, 2),
        participants=[(participant, Decimal("6"))],
        instructor="Ibu Instruktur Maria",
        materials=[production.MaterialLine("Sagu", Decimal("2"), 15_000, "kg")],
    )
    return made, participant


def test_batch_labels_count_the_pieces_that_passed_qc(officer, batch, places):
    made, participant = batch
    url = reverse("labels:batch", args=[made.pk])
    response = officer.post(url, {"output": "3x8"})
    assert response.status_code == 400
    assert "belum diperiksa" in response.content.decode()
    production.pass_quality_check(made, passed=7, rejected=3, reject_reason="retak", location=places.lapas.galeri)
    assert "7 (barang lulus QC)" in officer.get(url).content.decode()
    response = officer.post(url, {"output": "3x8"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert text.count("Kue Bagea Sagu") == 7
    # Privacy: no participant, initials, code or instructor on a label.
    for private in ("R.H.", participant.code, "Maria", "Instruktur", "Bengkel Kue"):
        assert private not in text


def test_a_batch_with_nothing_passed(officer, kue, places, make_workshop, make_participant):
    made = production.create_batch(
        make_workshop(places.lapas.unit),
        kue,
        quantity_made=2,
        started_on=datetime.date(2026, 11, 2),
        participants=[(make_participant(places.lapas.unit), Decimal("1"))],
    )
    production.pass_quality_check(made, passed=0, rejected=2, reject_reason="gosong", location=places.lapas.galeri)
    response = officer.post(reverse("labels:batch", args=[made.pk]), {"output": "3x8"})
    assert response.status_code == 400
    assert "Tidak ada barang batch ini yang lulus QC" in response.content.decode()


def test_another_units_batch_and_receipt_are_404(officer, stocked, places, make_workshop, make_participant):
    lpp_product = stocked(places.lpp.galeri, 0, name="Sarung LPP")
    made = production.create_batch(
        make_workshop(places.lpp.unit),
        lpp_product,
        quantity_made=2,
        started_on=datetime.date(2026, 11, 2),
        participants=[(make_participant(places.lpp.unit), Decimal("1"))],
    )
    movement = receive(lpp_product, places.lpp.galeri, 3, reason=Reason.RECEIPT)
    for url in (reverse("labels:batch", args=[made.pk]), reverse("labels:receipt", args=[movement.pk])):
        assert officer.get(url).status_code == 404
        assert officer.post(url, {"output": "3x8"}).status_code == 404


def test_receipt_labels_and_escpos(officer, kue, places):
    movement = receive(kue, places.lapas.gudang, 5, reason=Reason.RECEIPT)
    url = reverse("labels:receipt", args=[movement.pk])
    assert officer.get(url).status_code == 200
    response = officer.post(url, {"output": "4x10", "start": "3"})
    assert pdf_text(response.content).count("Kue Bagea Sagu") == 5
    response = officer.post(url, {"output": "escpos"})
    assert response["Content-Type"] == "application/octet-stream"
    data = response.content
    assert data.startswith(b"\x1b@")  # ESC @: initialise
    assert data.count(b"Kue Bagea Sagu") == 5
    assert data.count(b"Rp 25.000") == 5
    assert b"{BLPA-KUL-001" in data  # Code 128, code set B, of the SKU
    assert data.count(b"Karya Warga Binaan") == 5
    assert data.count(b"\x1dV") == 5  # a cut after each label
    # The QR (GS ( k) holds the product's public address.
    assert (settings.SITE_URL + kue.get_absolute_url()).encode() in data


def test_a_sale_or_transfer_is_not_a_receipt(officer, kue, places):
    from galeri.inventory.services import transfer

    transfer(kue, places.lapas.galeri, places.lapas.gudang, 1)
    moved = kue.stock_movements.filter(reason=Reason.TRANSFER_IN).get()
    assert officer.get(reverse("labels:receipt", args=[moved.pk])).status_code == 404


# --- The unit's barcode setting --------------------------------------------------------


def test_manager_chooses_in_store_ean13_and_products_get_their_code(client, login, staff, kue, stocked, places):
    admin = login(client, staff.lapas_admin)
    url = reverse("labels:settings")
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"unit": places.lapas.unit.pk, "barcode_kind": "ean13", "ean_prefix": "21"})
    assert response.status_code == 302
    assert LabelSettings.objects.get(unit=places.lapas.unit).ean_prefix == "21"

    factory_code = "8991234567891"
    assert codes.is_valid_ean13(factory_code)
    branded = stocked(places.lapas.galeri, 0, name="Minyak Kayu Putih", barcode=factory_code)
    text = pdf_text(_print(admin, {kue.pk: "1", branded.pk: "1"}).content)
    kue.refresh_from_db()
    expected = codes.in_store_ean13("21", kue.pk)
    assert kue.barcode == expected  # recorded: the counter's scanner finds it
    assert expected in text and factory_code in text
    assert "LPA-KUL-001" not in text
    # The cashier's scan of the label finds the product.
    from galeri.pos.cart import find_code  # noqa: PLC0415

    assert find_code(places.lapas.unit, expected) == kue


def test_a_product_with_another_barcode_keeps_code128(client, login, staff, stocked, places):
    LabelSettings.objects.create(unit=places.lapas.unit, barcode_kind="ean13", ean_prefix="20")
    odd = stocked(places.lapas.galeri, 0, name="Gelang Manik", sku="LPA-AKS-009", barcode="GM-01")
    text = pdf_text(_print(login(client, staff.lapas_officer), {odd.pk: "1"}).content)
    assert "LPA-AKS-009" in text
    assert Product.objects.get(pk=odd.pk).barcode == "GM-01"


def test_bad_settings_change_nothing(client, login, staff, places):
    admin = login(client, staff.lapas_admin)
    url = reverse("labels:settings")
    for data in (
        {"unit": places.lapas.unit.pk, "barcode_kind": "ean13", "ean_prefix": "30"},
        {"unit": places.lapas.unit.pk, "barcode_kind": "qr", "ean_prefix": "20"},
        {"unit": places.lpp.unit.pk, "barcode_kind": "ean13", "ean_prefix": "20"},
        {"unit": "x", "barcode_kind": "ean13", "ean_prefix": "20"},
    ):
        assert admin.post(url, data).status_code == 400
    assert not LabelSettings.objects.exists()


def test_officers_and_cashiers_do_not_change_settings(client, login, staff, kue):
    assert login(client, staff.lapas_officer).get(reverse("labels:settings")).status_code == 403
    cashier = login(client, staff.lapas_cashier)
    assert cashier.get(reverse("labels:settings")).status_code == 403
    assert _print(cashier, {kue.pk: "1"}).status_code == 200


def test_regional_admin_prints_for_every_unit(client, login, staff, kue, stocked, places):
    regional = login(client, staff.regional)
    lpp_product = stocked(places.lpp.galeri, 0, name="Sarung Tenun LPP")
    text = pdf_text(_print(regional, {kue.pk: "1", lpp_product.pk: "1"}).content)
    assert CREDIT_LAPAS in text and "Karya Warga Binaan — LPP Ambon" in text
