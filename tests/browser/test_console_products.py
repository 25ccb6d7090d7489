"""The product console in chromium, end to end through the real forms.

An officer of Lapas Ambon signs in, creates a product, adds a photo and submits
it; the unit administrator of Lapas Ambon approves it on the approvals page; the
product is then on the public gallery; an officer of LPP Ambon gets a 404 for it.
(Unit administrators and officers need no TOTP code; regional administrators do,
so none takes part here.)
"""

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from galeri.catalog.models import Product, ProductStatus
from galeri.units.models import Role
from tests.browser.conftest import DESKTOP
from tests.helpers import PASSWORD, browser_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(unit_tree, make_staff):  # noqa: F811
    return {
        "officer": make_staff(Role.OFFICER, unit_tree.lapas, "petugas.lapas"),
        "admin": make_staff(Role.UNIT_ADMIN, unit_tree.lapas, "admin.lapas"),
        "other": make_staff(Role.OFFICER, unit_tree.lpp, "petugas.lpp"),
    }


@pytest.fixture
def png(tmp_path):
    """A product photo made with Pillow, as a file on disk for the file input."""
    image = Image.new("RGB", (900, 700), (196, 160, 98))
    draw = ImageDraw.Draw(image)
    for x in range(0, 900, 60):
        draw.rectangle([x, 0, x + 28, 700], fill=(120, 84, 40))
    path = tmp_path / "tikar-pandan.png"
    image.save(path, format="PNG")
    return path


@pytest.fixture
def new_page(chromium_browser):
    """new_page() -> a desktop page in a fresh browser context (one person, one set of cookies)."""
    contexts = []

    def make():
        context = chromium_browser.new_context(viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jayapura")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, live_server, username):
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user__username=username, confirmed=True).exists():
        TOTPDevice.objects.create(user=User.objects.get(username=username), name="ponsel", confirmed=True)
    page.goto(live_server.url + "/petugas/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    browser_second_step(page, username)  # every staff role confirms a TOTP code
    expect(page).to_have_url(re.compile(r"/petugas/$"))
    expect(page.locator(".console-user")).to_contain_text("Petugas")  # the user's first name


def test_officer_creates_admin_approves_gallery_shows_other_unit_cannot_open(
    live_server, desktop_page, new_page, people, unit_tree, category, png
):
    # --- The officer of Lapas Ambon: a new product, a photo, submitted.
    page = desktop_page
    sign_in(page, live_server, "petugas.lapas")
    page.get_by_role("navigation", name="Menu konsol").get_by_role("link", name="Produk", exact=True).click()
    page.get_by_role("link", name="Tambah produk").click()
    expect(page.locator("h1")).to_have_text("Produk baru")
    page.get_by_label("Nama produk").fill("Tikar Pandan Motif Kora-Kora")
    # One unit in the officer's reach: chosen already, and no other unit on offer.
    expect(page.locator("#id_unit")).to_have_value(str(unit_tree.lapas.pk))
    assert page.locator("#id_unit option").all_inner_texts() == ["— pilih unit —", "Lapas Ambon (LPA)"]
    page.get_by_label("Kategori").select_option(label="Kerajinan Tangan")
    page.get_by_label("Harga (Rp)").fill("185.000")
    page.get_by_label("SKU (kode barang)").fill("LPA-TKR-777")
    page.get_by_label("Deskripsi singkat").fill("Tikar anyaman pandan bermotif perahu kora-kora")
    page.get_by_label("Kredit bengkel kerja").fill("Bengkel Anyaman Lapas Ambon")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    expect(page.locator(".messages")).to_contain_text("Produk disimpan sebagai draf")
    expect(page.locator("h1")).to_contain_text("Tikar Pandan Motif Kora-Kora")
    expect(page.locator("h1 .status")).to_have_text("Draf")
    product = Product.objects.get(sku="LPA-TKR-777")
    assert (product.status, product.price, product.unit.short_name) == (ProductStatus.DRAFT, 185_000, "Lapas Ambon")
    edit_path = f"/petugas/produk/{product.pk}/"
    assert page.url == live_server.url + edit_path

    page.locator("input[type=file][name=photos]").set_input_files(png)
    page.get_by_label("Teks alternatif").fill("Tikar pandan motif kora-kora terbentang")
    page.get_by_role("button", name="Unggah foto").click()
    expect(page.locator(".messages")).to_contain_text("1 foto ditambahkan")
    thumb = page.locator(".photo-grid img")
    expect(thumb).to_have_count(1)
    expect(thumb).to_have_attribute("alt", "Tikar pandan motif kora-kora terbentang")
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")

    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(page.locator(".messages")).to_contain_text("diajukan untuk disetujui")
    expect(page.locator("h1 .status")).to_have_text("Diajukan")
    # An officer cannot approve: no such button, and the gallery does not have it yet.
    expect(page.get_by_role("button", name="Setujui dan terbitkan")).to_have_count(0)
    assert page.errors == []

    # Not on the gallery yet (a page of its own: the 404 logs "Failed to load resource").
    response = new_page().goto(live_server.url + f"/produk/{product.slug}/")
    assert response.status == 404

    # --- The unit administrator of Lapas Ambon approves it on the approvals page.
    admin = new_page()
    sign_in(admin, live_server, "admin.lapas")
    admin.get_by_role("navigation", name="Menu konsol").get_by_role("link", name="Persetujuan", exact=True).click()
    expect(admin).to_have_url(re.compile(r"/petugas/produk/persetujuan/$"))
    row = admin.locator("section.queue tbody tr").filter(has_text="Tikar Pandan Motif Kora-Kora")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Rp 185.000")
    expect(row).to_contain_text("Lapas Ambon")
    expect(row.locator("img.thumb")).to_have_count(1)  # the photo is there to judge
    row.get_by_role("button", name="Setujui", exact=True).click()
    expect(admin.locator(".messages")).to_contain_text("disetujui dan tampil di galeri")
    expect(admin.get_by_text("Tidak ada produk yang menunggu persetujuan.")).to_be_visible()
    assert admin.errors == []
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED

    # --- The public gallery shows it: name, price, photo.
    public = new_page()
    response = public.goto(live_server.url + f"/produk/{product.slug}/")
    assert response.status == 200
    expect(public.locator("h1")).to_have_text("Tikar Pandan Motif Kora-Kora")
    expect(public.locator(".buy-box .price")).to_have_text("Rp 185.000")
    expect(public.locator("#main-photo")).to_have_attribute("alt", "Tikar pandan motif kora-kora terbentang")
    assert public.locator("#main-photo").evaluate("img => img.complete && img.naturalWidth > 0")
    public.goto(live_server.url + "/upt/lapas-ambon/")
    expect(public.locator("article.card").filter(has_text="Tikar Pandan Motif Kora-Kora")).to_contain_text("Rp 185.000")
    assert public.errors == []

    # --- An officer of LPP Ambon: not in the list, and the product's console page is a 404.
    other = new_page()
    sign_in(other, live_server, "petugas.lpp")
    other.goto(live_server.url + "/petugas/produk/")
    expect(other.locator("h1")).to_be_visible()
    expect(other.get_by_text("Tikar Pandan Motif Kora-Kora")).to_have_count(0)
    assert other.errors == []
    # (The 404 below logs "Failed to load resource" in the console, which is the point.)
    response = other.goto(live_server.url + edit_path)
    assert response.status == 404
    expect(other.locator("h1")).to_have_text("Halaman tidak ditemukan")
    expect(other.get_by_text("Tikar Pandan Motif Kora-Kora")).to_have_count(0)
