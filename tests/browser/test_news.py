"""News in chromium, end to end through the real forms: an officer of Lapas Ambon writes a post
with a photo on a 360 px phone and submits it; the unit's administrator approves it from the
console; a visitor then finds it on the home page and opens it, with its share preview."""

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from galeri.news.models import Post, PostStatus
from galeri.units.models import Role
from tests.browser.conftest import DESKTOP, PHONE
from tests.helpers import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(unit_tree, make_staff):
    return {
        "officer": make_staff(Role.OFFICER, unit_tree.lapas, "petugas.lapas"),
        "admin": make_staff(Role.UNIT_ADMIN, unit_tree.lapas, "admin.lapas"),
    }


@pytest.fixture
def photo(tmp_path):
    image = Image.new("RGB", (1000, 700), (196, 160, 98))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1000, 50):
        draw.rectangle([x, 0, x + 24, 700], fill=(122, 74, 42))
    path = tmp_path / "anyaman.jpg"
    image.save(path, format="JPEG")
    return path


@pytest.fixture
def open_page(chromium_browser):
    contexts = []

    def make(viewport):
        context = chromium_browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jayapura")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def test_author_writes_at_360px_head_approves_visitor_sees_it_on_home(live_server, open_page, people, unit_tree, photo):
    # --- The officer, on a phone: writes, adds a photo, is stopped by the no-inmate check, submits.
    phone = open_page(PHONE)
    browser_sign_in(phone, live_server, "petugas.lapas")
    phone.goto(live_server.url + "/petugas/berita/")
    phone.get_by_test_id("berita-baru").click()
    expect(phone.locator("h1")).to_have_text("Berita baru")
    expect(phone.locator("#privacy-hint")).to_contain_text("Jangan menulis nama lengkap")
    phone.get_by_label("Judul").fill("Tikar pandan motif kora-kora sudah di galeri")
    phone.get_by_label("Isi berita").fill("Bengkel anyaman menyelesaikan **tikar baru**.\n\n- motif kora-kora\n- motif cengkih")
    phone.locator("input[type=file][name=photo]").set_input_files(photo)
    phone.get_by_label("Teks alternatif foto").fill("Tikar pandan terbentang di meja galeri")
    phone.get_by_test_id("simpan-ajukan").click()
    expect(phone.locator("#id_no_inmate_error")).to_contain_text("tidak ada Warga Binaan yang bisa dikenali")
    assert Post.objects.count() == 0
    phone.locator("input[type=file][name=photo]").set_input_files(photo)  # a file input is never kept
    phone.get_by_label("Saya sudah memeriksa").check()
    phone.get_by_test_id("simpan-ajukan").click()
    expect(phone.locator(".messages")).to_contain_text("diajukan untuk disetujui")
    expect(phone.get_by_test_id("status-berita")).to_have_text("Menunggu persetujuan")
    expect(phone.locator(".news-body strong")).to_have_text("tikar baru")
    expect(phone.get_by_role("button", name="Setujui dan terbitkan")).to_have_count(0)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the editor scrolls sideways at 360 px ({width})"
    post = Post.objects.get()
    assert post.status == PostStatus.SUBMITTED and post.photo
    assert phone.errors == []

    # Not public yet.
    visitor = open_page(PHONE)
    visitor.goto(live_server.url + "/")
    expect(visitor.get_by_test_id("berita-beranda")).to_have_count(0)

    # --- The unit's administrator: the console home counts it; approves from the post's page.
    head = open_page(DESKTOP)
    browser_sign_in(head, live_server, "admin.lapas")
    head.goto(live_server.url + "/petugas/")
    task = head.locator("a.stat", has_text="Berita menunggu persetujuan")
    expect(task.locator("strong")).to_have_text("1")
    task.click()
    head.get_by_role("link", name="Tikar pandan motif kora-kora sudah di galeri").click()
    head.get_by_role("button", name="Setujui dan terbitkan").click()
    expect(head.locator(".messages")).to_contain_text("selesai")
    expect(head.get_by_test_id("status-berita")).to_have_text("Terbit")
    assert head.errors == []

    # --- The visitor: the home page (cached before) now shows it; the post carries its preview.
    visitor.goto(live_server.url + "/")
    section = visitor.get_by_test_id("berita-beranda")
    expect(section).to_contain_text("Tikar pandan motif kora-kora sudah di galeri")
    section.get_by_role("link", name="Tikar pandan motif kora-kora sudah di galeri").click()
    expect(visitor).to_have_url(re.compile(r"/berita/tikar-pandan-motif-kora-kora-sudah-di-galeri/$"))
    expect(visitor.locator("h1")).to_have_text("Tikar pandan motif kora-kora sudah di galeri")
    expect(visitor.locator(".news-figure img")).to_have_attribute("alt", "Tikar pandan terbentang di meja galeri")
    assert visitor.locator(".news-figure img").evaluate("img => img.complete && img.naturalWidth > 0")
    og_image = visitor.locator('meta[property="og:image"]').get_attribute("content")
    assert og_image.endswith(".jpg") and "/media/berita/" in og_image
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the post scrolls sideways at 360 px ({width})"
    assert visitor.errors == []
