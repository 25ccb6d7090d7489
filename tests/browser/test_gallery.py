"""The public gallery in chromium, as a buyer on a phone sees it.

Home -> a category -> a product -> "Tanya via WhatsApp"; the language switch;
the header search with an Indonesian word form; no script error and no
Content-Security-Policy violation; nothing wider than a 360 px screen.
Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
"""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from galeri.catalog.photos import add_photo
from tests.browser.conftest import ARTIFACTS
from tests.helpers import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every securitypolicyviolation event lands in window.__csp (Chromium also logs
# them as console errors, which page.errors collects; this says which directive).
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " @" + e.sourceFile + ":" + e.lineNumber);
});
"""


def photo(color, accent):
    """A square product photo: a plain ground with a woven pattern, so screenshots show real images."""
    image = Image.new("RGB", (800, 800), color)
    draw = ImageDraw.Draw(image)
    for x in range(0, 800, 80):
        draw.rectangle([x, 0, x + 36, 800], fill=accent)
    for y in range(0, 800, 80):
        draw.rectangle([0, y, 800, y + 36], fill=accent)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return upload(out.getvalue(), name="foto.png", content_type="image/png")


@pytest.fixture
def gallery(unit_tree, make_category, make_product):
    crafts = make_category("Kerajinan Tangan", slug="kerajinan", name_en="Handicrafts", icon="weave")
    food = make_category("Kuliner", slug="kuliner", name_en="Food", icon="food")
    lapas, rutan = unit_tree.lapas, unit_tree.rutan
    mat = make_product(
        unit=lapas,
        category=crafts,
        name="Tikar Menganyam Pandan Motif Maluku",
        short_description="Tikar anyaman daun pandan, motif khas Maluku",
        description="Dianyam tangan dari daun pandan yang dijemur dan diwarnai alami.",
        price=175_000,
        stock_quantity=4,
        workshop_credit="Bengkel Anyaman Lapas Ambon",
    )
    add_photo(mat, photo((196, 160, 98), (120, 84, 40)), "Tikar pandan terbentang")
    carving = make_product(
        unit=lapas,
        category=crafts,
        name="Ukiran Kayu Burung Cendrawasih",
        price=450_000,
        stock_quantity=1,
    )
    add_photo(carving, photo((110, 70, 40), (70, 40, 20)), "Ukiran kayu")
    make_product(unit=rutan, category=crafts, name="Gantungan Kunci Kapal Kora-Kora", price=15_000, stock_quantity=40)
    make_product(unit=rutan, category=food, name="Kue Kering Bagea Kenari", price=30_000, stock_quantity=20)
    return {"mat": mat, "crafts": crafts}


def watch(page):
    page.add_init_script(CSP_WATCH)
    return page


def assert_clean(page, what):
    """No script error, no CSP violation, nothing wider than the viewport."""
    assert page.evaluate("window.__csp || []") == [], what
    assert page.errors == [], what
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{what}: horizontal scroll at {width} px"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_buyer_on_a_phone_finds_a_product_and_asks_on_whatsapp(live_server, phone_page, gallery):
    page = watch(phone_page)
    mat = gallery["mat"]

    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Galeri Karya Warga Binaan Maluku")
    assert_clean(page, "home")
    shot(page, "gallery-phone-home")

    page.locator(".cat-grid").get_by_role("link", name="Kerajinan Tangan").tap()
    expect(page).to_have_url(re.compile(r"/kategori/kerajinan/$"))
    cards = page.locator("article.card")
    expect(cards).to_have_count(3)  # the food product is elsewhere
    expect(page.get_by_text("Kue Kering Bagea Kenari")).to_have_count(0)
    assert_clean(page, "category")
    shot(page, "gallery-phone-category")

    cards.filter(has_text="Tikar Menganyam Pandan").get_by_role("link").tap()
    expect(page).to_have_url(re.compile(rf"/produk/{mat.slug}/$"))
    expect(page.locator("h1")).to_have_text(mat.name)
    expect(page.locator(".buy-box .price")).to_have_text("Rp 175.000")
    expect(page.locator("#main-photo")).to_be_visible()
    assert page.locator("#main-photo").evaluate("img => img.complete && img.naturalWidth > 0")

    ask = page.get_by_test_id("tanya-wa")
    expect(ask).to_be_visible()
    expect(ask).to_contain_text("Tanya via WhatsApp")
    link = urlsplit(ask.get_attribute("href"))
    assert (link.scheme, link.netloc, link.path) == ("https", "wa.me", "/6281234567890")  # Lapas Ambon's 0812-3456-7890
    text = parse_qs(link.query)["text"][0]  # decoded
    assert f'"{mat.name}"' in text
    assert "Rp 175.000" in text
    assert text.startswith("Halo Lapas Ambon")
    product_url = f"{live_server.url}/produk/{mat.slug}/"
    assert product_url in text
    # The URL in the message is the page the buyer is on.
    assert page.url == product_url
    assert_clean(page, "product")
    shot(page, "gallery-phone-product")


def test_language_switch_goes_to_english_and_back(live_server, phone_page, gallery):
    page = watch(phone_page)
    mat = gallery["mat"]

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Gallery of Inmates’ Work, Maluku")
    expect(page.get_by_role("link", name="See all products")).to_be_visible()
    expect(page.locator(".cat-grid")).to_contain_text("Handicrafts")
    assert_clean(page, "/en/")
    shot(page, "gallery-phone-home-en")

    # The switch keeps the page: a product in English, then back to Indonesian.
    page.goto(live_server.url + f"/en/produk/{mat.slug}/")
    expect(page.get_by_test_id("tanya-wa")).to_contain_text("Ask on WhatsApp")
    assert_clean(page, "/en/ product")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page).to_have_url(live_server.url + f"/produk/{mat.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_test_id("tanya-wa")).to_contain_text("Tanya via WhatsApp")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert_clean(page, "back to Indonesian")


def test_header_search_finds_a_word_form(live_server, phone_page, gallery):
    page = watch(phone_page)
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Cari produk")
    box.fill("anyaman")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/cari/\?q=anyaman$"))
    cards = page.locator("article.card")
    # "anyaman" finds "Tikar Menganyam ...": one stem, anyam.
    expect(cards.filter(has_text="Tikar Menganyam Pandan Motif Maluku")).to_have_count(1)
    expect(cards.filter(has_text="Ukiran Kayu")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Cari produk")).to_have_value("anyaman")
    assert_clean(page, "search")
    shot(page, "gallery-phone-search")


def test_gallery_pages_on_a_desktop(live_server, desktop_page, gallery):
    page = watch(desktop_page)
    mat = gallery["mat"]
    for name, path in [
        ("home", "/"),
        ("category", "/kategori/kerajinan/"),
        ("product", f"/produk/{mat.slug}/"),
        ("search", "/cari/?q=anyaman"),
        ("home-en", "/en/"),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        expect(page.locator("h1").first).to_be_visible()
        assert_clean(page, path)
        shot(page, f"gallery-desktop-{name}")
