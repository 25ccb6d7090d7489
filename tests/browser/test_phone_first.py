"""Phone first (issue 19) in chromium: two cards per row at 360 px, the filter and sort drawer with
and without script, swipe and tap-to-zoom on the product photos, the share button's fallback.

Screenshots of home, listing, product and the open drawer at 360 and 1280 px go to
``test-artifacts/phone-first/`` (or ``$GALERI_SHOTS_DIR``) for a person to look at.
"""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from galeri.catalog.photos import add_photo
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from tests.helpers import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("GALERI_SHOTS_DIR") or ARTIFACTS / "phone-first")
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective); });
"""
COLORS = [
    ((196, 160, 98), (120, 84, 40)),
    ((110, 70, 40), (70, 40, 20)),
    ((40, 110, 120), (20, 60, 70)),
    ((150, 60, 60), (90, 30, 30)),
    ((90, 130, 60), (50, 80, 30)),
    ((170, 150, 200), (110, 90, 140)),
]


def photo(index):
    color, accent = COLORS[index % len(COLORS)]
    image = Image.new("RGB", (800, 800), color)
    draw = ImageDraw.Draw(image)
    for x in range(0, 800, 80):
        draw.rectangle([x, 0, x + 36, 800], fill=accent)
    for y in range(0, 800, 80):
        draw.rectangle([0, y, 800, y + 36], fill=accent)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return upload(out.getvalue(), name="foto.png", content_type="image/png")


NAMES = [
    ("Tikar Anyaman Pandan Motif Maluku", 175_000, 3),
    ("Ukiran Kayu Burung Cendrawasih", 450_000, 12),
    ("Tas Noken Serat Kayu", 120_000, 30),
    ("Kemeja Batik Tulis Ambon", 250_000, 8),
    ("Meja Ukir Jati Kecil", 1_250_000, 2),
    ("Gelang Manik Maluku", 25_000, 40),
    ("Keranjang Rotan Besar", 95_000, 15),
    ("Sarung Tenun Tanimbar", 380_000, 6),
]


@pytest.fixture
def shop(unit_tree, make_category, make_product):
    crafts = make_category("Kerajinan Tangan", slug="kerajinan", name_en="Handicrafts", icon="weave")
    make_category("Kuliner", slug="kuliner", name_en="Food", icon="food")
    products = []
    for i, (name, price, stock) in enumerate(NAMES):
        product = make_product(
            unit=unit_tree.lapas if i % 3 else unit_tree.rutan,
            category=crafts,
            name=name,
            price=price,
            stock_quantity=stock,
            is_featured=i < 4,
            sale_unit="buah",
            workshop_credit="Bengkel Anyaman Lapas Ambon" if i % 3 else "",
        )
        add_photo(product, photo(i), name)
        products.append(product)
    for extra in range(1, 3):
        add_photo(products[0], photo(extra + 2), f"{products[0].name}, sisi {extra + 1}")
    return products


def watch(page):
    page.add_init_script(CSP_WATCH)
    return page


def assert_clean(page, what):
    assert page.evaluate("window.__csp || []") == [], what
    assert page.errors == [], what
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{what}: horizontal scroll"


def shot(page, name, full_page=True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def settle(page, condition, tries=40):
    """Wait for a condition checked from Python (the CSP forbids wait_for_function's eval)."""
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("condition never held")


def card_boxes(page):
    return [c.bounding_box() for c in page.locator("article.card").all()]


def columns(boxes):
    first_row = [b for b in boxes if abs(b["y"] - boxes[0]["y"]) < 1]
    return len(first_row)


@pytest.fixture
def no_script_phone(request, chromium_browser):
    from tests.browser.conftest import _new_page

    yield from _new_page(
        request, chromium_browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, java_script_enabled=False
    )


def test_two_compact_cards_per_row_on_a_360_px_phone(live_server, phone_page, shop):
    page = watch(phone_page)
    page.goto(live_server.url + "/produk/")
    boxes = card_boxes(page)
    assert len(boxes) == 8
    left, right, below = boxes[0], boxes[1], boxes[2]
    assert abs(left["y"] - right["y"]) < 1, "the first two cards share a row"
    assert right["x"] > left["x"] + left["width"]
    assert below["y"] > left["y"] + left["height"] - 1 and abs(below["x"] - left["x"]) < 1
    for box in boxes:
        assert 150 <= box["width"] <= 170, box  # (360 - 2 × 16 margin - 10 gap) / 2 = 159
        assert box["x"] >= 16 and box["x"] + box["width"] <= 360 - 16 + 0.5
    # Compact: two rows of cards fit in well under a screen and a half.
    assert boxes[4]["y"] - boxes[0]["y"] < 780
    expect(page.locator("article.card").first.locator(".price")).to_be_visible()
    expect(page.get_by_test_id("sisa").first).to_have_text(re.compile(r"sisa \d+"))
    # Images: the first row loads at once, the rest when scrolled to; the box is set before they load.
    lazy = page.locator("article.card img").evaluate_all("imgs => imgs.map(i => i.loading)")
    assert lazy[:4] == ["auto"] * 4 and set(lazy[4:]) == {"lazy"}
    cart = page.get_by_test_id("keranjang-melayang")
    expect(cart).to_be_in_viewport()
    page.mouse.wheel(0, 3000)
    expect(cart).to_be_in_viewport()  # stays in reach while scrolling
    assert_clean(page, "listing at 360")


@pytest.mark.parametrize(
    ("viewport", "path", "expected"),
    [({"width": 768, "height": 900}, "/produk/", {3, 4}), (DESKTOP, "/produk/", {4, 5}), (DESKTOP, "/", {4, 5})],
)
def test_more_cards_per_row_on_wider_screens(live_server, chromium_browser, shop, viewport, path, expected):
    width = viewport["width"]
    context = chromium_browser.new_context(viewport=viewport, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        assert columns(card_boxes(page)) in expected
        if width >= 960 and path != "/":
            expect(page.get_by_test_id("keranjang-melayang")).to_be_hidden()  # the header's cart is in view
            expect(page.locator("#saring")).to_be_visible()  # a sidebar, not a drawer
    finally:
        context.close()


def test_filter_drawer_slides_in_with_script(live_server, phone_page, shop):
    page = watch(phone_page)
    page.goto(live_server.url + "/produk/")
    drawer = page.locator("#saring")
    expect(drawer).to_be_hidden()
    page.get_by_test_id("buka-saring").tap()
    expect(drawer).to_be_visible()
    expect(drawer).to_be_in_viewport()
    settle(page, lambda: drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 361)
    assert "#saring" not in page.url  # opened by the script, no history entry
    shot(page, "phone-drawer-open", full_page=False)
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()

    page.get_by_test_id("buka-saring").tap()
    drawer.get_by_label("Harga terendah").check()
    drawer.get_by_label("Hanya yang tersedia").check()
    drawer.get_by_label("sampai (Rp)").fill("300000")
    drawer.get_by_role("button", name="Terapkan").tap()
    expect(page).to_have_url(re.compile(r"harga_maks=300000.*tersedia=1.*urut=harga-naik"))
    prices = page.locator("article.card .price").all_inner_texts()
    assert prices[0].startswith("Rp 25.000") and len(prices) == 5
    expect(page.get_by_test_id("buka-saring")).to_contain_text("2")  # two filters chosen
    assert_clean(page, "drawer with script")


def test_filter_drawer_works_without_script(live_server, no_script_phone, shop):
    page = no_script_phone
    page.goto(live_server.url + "/kategori/kerajinan/")
    drawer = page.locator("#saring")
    expect(drawer).to_be_hidden()
    page.get_by_test_id("buka-saring").click()
    expect(page).to_have_url(re.compile(r"#saring$"))
    expect(drawer).to_be_visible()
    page.wait_for_timeout(300)  # let the CSS transition end before the picture
    shot(page, "phone-drawer-open-no-script", full_page=False)
    drawer.get_by_label("Harga tertinggi").check()
    drawer.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"/kategori/kerajinan/\?[^#]*urut=harga-turun$"))  # closed after applying
    expect(page.locator("article.card .price").first).to_have_text(re.compile(r"^Rp 1\.250\.000"))
    # The close link hides it again.
    page.get_by_test_id("buka-saring").click()
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name="Tutup saringan").click()
    expect(drawer).to_be_hidden()


def test_product_photos_swipe_and_tap_to_zoom(live_server, phone_page, shop):
    page = watch(phone_page)
    product = shop[0]
    page.goto(live_server.url + product.get_absolute_url())
    slides = page.locator(".slides li")
    expect(slides).to_have_count(3)
    expect(page.locator("[data-slide-count]")).to_have_text("1 / 3")
    # Swipe: the row scrolls one photo at a time.
    page.locator(".slides").evaluate("row => row.scrollTo({left: row.clientWidth, behavior: 'instant'})")
    expect(page.locator("[data-slide-count]")).to_have_text("2 / 3")
    page.locator(".thumbs a").nth(2).tap()
    expect(page.locator("[data-slide-count]")).to_have_text("3 / 3")
    expect(page.get_by_test_id("sisa")).to_have_text("sisa 3")
    shot(page, "phone-product")

    page.locator(".slides a").nth(2).tap()
    zoom = page.locator("#zoom")
    expect(zoom).to_be_visible()
    big = zoom.locator("img")
    href = page.locator(".slides a").nth(2).get_attribute("href")
    expect(big).to_have_attribute("src", href)
    settle(page, lambda: big.evaluate("img => img.complete && img.naturalWidth > 0"))
    assert big.evaluate("img => img.naturalWidth") == 800  # the large image, not a thumbnail
    box = big.bounding_box()
    assert box["width"] >= 359  # full screen width
    shot(page, "phone-product-zoom", full_page=False)
    big.tap()
    expect(zoom).to_have_class(re.compile(r"\bzoomed\b"))
    page.get_by_role("button", name=re.compile("Tutup")).tap()
    expect(zoom).to_be_hidden()
    assert_clean(page, "product photos")


def test_without_script_a_photo_opens_the_large_image(live_server, no_script_phone, shop):
    page = no_script_phone
    page.goto(live_server.url + shop[0].get_absolute_url())
    href = page.locator(".slides a").first.get_attribute("href")
    page.locator(".slides a").first.click()
    expect(page).to_have_url(live_server.url + href)
    assert page.evaluate("document.images[0].naturalWidth") == 800


def test_share_falls_back_to_a_whatsapp_link(live_server, no_script_phone, phone_page, shop):
    product = shop[0]
    # Without script: a plain link to WhatsApp with the product's name and address.
    page = no_script_phone
    page.goto(live_server.url + product.get_absolute_url())
    share = page.get_by_test_id("bagikan")
    href = share.get_attribute("href")
    assert href.startswith("https://wa.me/?text=")
    assert "Tikar%20Anyaman%20Pandan" in href and f"/produk/{product.slug}/" in href

    # With script but no Web Share API (a desktop browser): the link opens WhatsApp.
    page = phone_page
    page.add_init_script("delete Navigator.prototype.share; delete navigator.share;")
    page.context.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="wa", content_type="text/plain"))
    page.goto(live_server.url + product.get_absolute_url())
    with page.context.expect_page() as popup:
        page.get_by_test_id("bagikan").tap()
    assert popup.value.url.startswith("https://wa.me/?text=")
    popup.value.close()

    # With the Web Share API: the phone's share sheet gets the name and the text, no new tab.
    page.add_init_script("navigator.share = function (data) { window.__shared = data; return Promise.resolve(); };")
    page.goto(live_server.url + product.get_absolute_url())
    page.get_by_test_id("bagikan").tap()
    settle(page, lambda: page.evaluate("!!window.__shared"))
    shared = page.evaluate("window.__shared")
    assert shared["title"] == product.name and f"/produk/{product.slug}/" in shared["text"]
    assert len(page.context.pages) == 1


def test_screenshots_at_360_and_1280(live_server, phone_page, desktop_page, shop):
    for label, page in [("phone", phone_page), ("desktop", desktop_page)]:
        watch(page)
        for name, path in [("home", "/"), ("listing", "/produk/"), ("product", shop[0].get_absolute_url())]:
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(200)
            page.evaluate("window.scrollTo(0, 0)")
            shot(page, f"{label}-{name}")
            assert_clean(page, f"{label} {name}")
        if label == "desktop":
            page.goto(live_server.url + "/produk/")
            shot(page, "desktop-listing-sidebar", full_page=False)
    assert os.access(CHROMIUM, os.X_OK)
