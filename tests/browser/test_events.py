"""Events in chromium: a unit administrator creates a bazaar and brings goods to it in the console;
a visitor on a 360 px phone finds it in the calendar, opens it and sees place, map link and dates."""

import pytest

from galeri.events.models import Event
from galeri.inventory.models import LocationKind, StockLevel
from galeri.units.models import Role
from tests.browser.conftest import ARTIFACTS
from tests.helpers import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "events"


@pytest.fixture
def admin_with_stock(unit_tree, make_location, stocked, make_staff):
    unit = unit_tree.lapas
    galeri = make_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    bag = stocked(galeri, 5, name="Tas Anyaman Pandan", sku="LPA-TAS-01")
    return make_staff(Role.UNIT_ADMIN, unit, "admin.lapas"), galeri, bag


def test_staff_create_an_event_and_a_visitor_sees_it_on_a_phone(
    live_server, desktop_page, phone_page, admin_with_stock, time_machine
):
    import datetime

    from galeri.core.clock import wit_datetime

    time_machine.move_to(wit_datetime(datetime.date(2026, 12, 7), datetime.time(10)), tick=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    user, galeri, bag = admin_with_stock
    page = desktop_page
    browser_sign_in(page, live_server, "admin.lapas")
    page.goto(live_server.url + "/petugas/pameran/")
    page.click("[data-testid=pameran-baru]")
    page.fill("#id_name", "Bazar Karya di Lapangan Merdeka")
    page.select_option("#id_kind", "bazar")
    page.check("input[name=units]")
    page.fill("#id_place_name", "Lapangan Merdeka Ambon")
    page.fill("#id_latitude", "-3.695600")
    page.fill("#id_longitude", "128.181400")
    page.fill("#id_starts_on", "2026-12-17")
    page.fill("#id_ends_on", "2026-12-19")
    page.fill("#id_opens_at", "09:00")
    page.fill("#id_closes_at", "21:00")
    page.click("[data-testid=simpan-pameran]")
    page.wait_for_url("**/petugas/pameran/*/")
    assert "dibuat" in page.inner_text(".messages")
    event = Event.objects.get()
    part = event.participations.get()
    page.fill(f"#id_bawa-{part.pk}-product", "LPA-TAS-01")
    page.fill(f"#id_bawa-{part.pk}-quantity", "3")
    page.click(f"[data-testid=bawa-{part.pk}]")
    page.wait_for_load_state()
    assert "dibawa ke pameran" in page.inner_text(".messages")
    assert StockLevel.objects.get(location=part.location, product=bag).quantity == 3
    assert page.locator(f"[data-testid=rekonsiliasi-{part.pk}]").inner_text().count("3") >= 2
    page.screenshot(path=str(SHOTS / "console-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    page.screenshot(path=str(SHOTS / "console-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + event.get_absolute_url())
    page.screenshot(path=str(SHOTS / "event-1280.png"), full_page=True)
    assert page.errors == []

    visitor = phone_page
    visitor.goto(live_server.url + "/pameran/")
    visitor.click("text=Bazar Karya di Lapangan Merdeka")
    visitor.wait_for_url("**/pameran/bazar-karya-di-lapangan-merdeka/")
    assert "Lapangan Merdeka Ambon" in visitor.inner_text("main")
    assert "09.00–21.00 WIT" in visitor.inner_text("[data-testid=tanggal]")
    href = visitor.get_attribute("[data-testid=peta]", "href")
    assert href.startswith("https://www.openstreetmap.org/?mlat=-3.695600&mlon=128.181400")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot(path=str(SHOTS / "event-360.png"), full_page=True)
    visitor.goto(live_server.url + "/pameran/")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot(path=str(SHOTS / "calendar-360.png"), full_page=True)
    assert visitor.errors == []
