"""Journey from the demo data: a new product goes from the officer's draft to the public gallery.

petugas.lapas (1280 px) creates a product, uploads a real JPEG carrying EXIF GPS (the
photo was taken inside the prison: the location must never leave the server), and
submits it; admin.lapas approves it; a buyer on a phone (360 px) finds it on its
product page and in Lapas Ambon's listing, with a photo that has no EXIF at all.
"""

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Tikar Pandan Motif Cengkih"
SKU = "LPA-JRN-001"


@pytest.fixture
def gps_jpeg(tmp_path):
    """A photo as a phone makes it: JPEG with EXIF GPS (a spot inside Lapas Ambon)."""
    image = Image.new("RGB", (1200, 900), (196, 160, 98))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 60):
        draw.rectangle([x, 0, x + 28, 900], fill=(120, 84, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"  # GPSLatitudeRef
    gps[2] = (3.0, 41.0, 52.0)  # GPSLatitude
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = (128.0, 10.0, 55.0)  # GPSLongitude
    path = tmp_path / "tikar-pandan.jpg"
    image.save(path, format="JPEG", exif=exif, quality=90)
    # The file really carries the location before it is uploaded.
    with Image.open(path) as check:
        assert check.getexif().get_ifd(0x8825)[2] == (3.0, 41.0, 52.0)
    return path


def _no_metadata(data):
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), f"EXIF left in the image: {dict(image.getexif())}"
        assert "exif" not in image.info
        assert not image.getexif().get_ifd(0x8825)
        return image.size


def test_officer_creates_with_photo_admin_approves_buyer_sees_it(demo_site, desktop_page, phone_page, gps_jpeg):
    from galeri.catalog.models import Product, ProductPhoto, ProductStatus

    page = desktop_page
    # --- petugas.lapas: a new product, saved as a draft.
    demo_site.login(page, "petugas.lapas")
    page.goto(demo_site.url + "/petugas/produk/")
    demo_site.shot(page, "officer-product-list")
    page.get_by_role("link", name="Tambah produk").click()
    expect(page.get_by_role("heading", name="Produk baru")).to_be_visible()
    page.get_by_label("Nama produk").fill(NAME)
    # The officer of Lapas Ambon creates for Lapas Ambon only.
    options = page.get_by_label("Unit (UPT)").locator("option").all_inner_texts()
    assert any("Lapas Ambon" in o for o in options) and not any("LPP" in o or "Rutan" in o for o in options), options
    page.get_by_label("Kategori").select_option(label="— Anyaman")
    page.get_by_label("Harga (Rp)").fill("185.000")
    page.get_by_label("SKU (kode barang)").fill(SKU)
    page.get_by_label("Deskripsi singkat").fill("Tikar anyaman pandan dengan motif bunga cengkih khas Maluku.")
    page.get_by_label("Deskripsi", exact=True).fill("Dianyam tangan dari daun pandan yang dijemur, 120 x 80 cm.")
    demo_site.shot(page, "officer-new-product-filled")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    expect(page.get_by_text("Produk disimpan sebagai draf")).to_be_visible()
    expect(page.locator("#flow-title + p")).to_contain_text("Draf")
    demo_site.shot(page, "officer-draft-saved")
    product = Product.objects.get(sku=SKU)
    assert product.status == ProductStatus.DRAFT and product.unit.code == "LPA" and product.price == 185_000

    # --- The photo: a real JPEG with GPS; it is stored without any metadata.
    page.locator("#foto input[type=file]").set_input_files(str(gps_jpeg))
    page.locator("#foto").get_by_label("Teks alternatif").fill("Tikar pandan motif cengkih digelar di lantai")
    page.get_by_role("button", name="Unggah foto").click()
    expect(page.get_by_text("1 foto ditambahkan.")).to_be_visible()
    expect(page.locator("#foto img")).to_have_count(1)
    demo_site.shot(page, "officer-photo-uploaded")
    photo = ProductPhoto.objects.get(product=product)
    from django.core.files.storage import default_storage

    stored_names = [photo.image.name, *photo.thumbnails.values()]
    assert len(stored_names) >= 2
    for name in stored_names:
        with default_storage.open(name, "rb") as stored:
            _no_metadata(stored.read())

    # --- Submitted for publication.
    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(page.get_by_text(f"“{NAME}” diajukan untuk disetujui.")).to_be_visible()
    expect(page.locator("#flow-title + p")).to_contain_text("menunggu persetujuan")
    demo_site.shot(page, "officer-submitted")
    # Not public yet.
    response = phone_page.goto(demo_site.url + product.get_absolute_url())
    assert response.status == 404
    phone_page.errors.clear()  # that 404 was this test's own check
    demo_site.logout(page)

    # --- admin.lapas: the approvals queue shows it; approve it.
    demo_site.login(page, "admin.lapas")
    page.goto(demo_site.url + "/petugas/produk/persetujuan/")
    row = page.get_by_role("row").filter(has_text=NAME)
    expect(row).to_be_visible()
    demo_site.shot(page, "admin-approvals-queue")
    row.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", name=re.compile(NAME))).to_be_visible()
    expect(page.locator("#foto img")).to_have_count(1)
    demo_site.shot(page, "admin-reviews-product")
    page.get_by_role("button", name="Setujui dan terbitkan").click()
    expect(page.get_by_text(f"“{NAME}” disetujui dan tampil di galeri.")).to_be_visible()
    expect(page.locator("#flow-title + p")).to_contain_text("tampil di galeri")
    demo_site.shot(page, "admin-approved")
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED

    # --- A buyer on a phone: the unit's listing, then the product page, then the photo itself.
    buyer = phone_page
    buyer.goto(demo_site.url + "/upt/lapas-ambon/")
    card = buyer.get_by_role("link", name=re.compile(NAME)).first
    expect(card).to_be_visible()
    demo_site.shot(buyer, "buyer-unit-listing")
    card.click()
    expect(buyer.get_by_role("heading", level=1, name=NAME)).to_be_visible()
    expect(buyer.get_by_text("Rp 185.000").first).to_be_visible()
    expect(buyer.get_by_text("Lapas Ambon").first).to_be_visible()
    demo_site.shot(buyer, "buyer-product-page")
    images = buyer.locator("main img[src*='/media/']")
    assert images.count() >= 1
    sources = {images.nth(i).get_attribute("src") for i in range(images.count())}
    sources |= {img.get_attribute("content") for img in buyer.locator("meta[property='og:image']").all()}
    for src in sorted(s for s in sources if s):
        url = src if src.startswith("http") else demo_site.url + src
        response = buyer.request.get(url)
        assert response.ok, url
        width, height = _no_metadata(response.body())
        assert width > 0 and height > 0
    assert not buyer.errors, buyer.errors
    assert not page.errors, page.errors
