"""The offline counter in chromium with Playwright's offline mode (docs/offline-counter.md):

a cashier prepares a till, sells 50 times without the network (cash and QRIS, a reload in the
middle, the browser closed and opened again on the same profile), and back online every sale
reaches the server once: totals, stock (a shortfall flagged, not refused), the till's figures;
the same batch posted again makes no duplicate; two tabs, one sender."""

import json

import pytest

from galeri.inventory.models import LocationKind, StockLevel
from galeri.pos import services as pos
from galeri.pos.models import OfflineDevice, Sale, StockShortfall
from galeri.pos.selectors import session_figures
from galeri.units.models import Role
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.helpers import browser_sign_in, static_qris

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAG, CAKE = "LPA-TAS-01", "LPA-KUE-02"


@pytest.fixture
def bazaar(unit_tree, make_location, stocked, make_staff):
    unit = unit_tree.lapas
    unit.qris_payload = static_qris()
    unit.save(update_fields=["qris_payload"])
    stand = make_location(unit, "Stan IPPAFest", kind=LocationKind.GALLERY, is_sellable=True)
    bag = stocked(stand, 40, name="Tas Anyaman Pandan", sku=BAG, price=50_000)
    cake = stocked(stand, 10, name="Kue Sagu", sku=CAKE, barcode="2001001000028", price=15_000)
    till = pos.create_till(unit, stand, "Kasir Pameran")
    cashier = make_staff(Role.CASHIER, unit, "kasir.lapas", first_name="Kasir")
    session = pos.open_session(till, user=cashier, opening_float=100_000)
    return {"till": till, "stand": stand, "bag": bag, "cake": cake, "session": session}


def _context(chromium_browser, profile):
    context = chromium_browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=DESKTOP,
        locale="id-ID",
        timezone_id="Asia/Jayapura",
    )
    context.set_default_timeout(15_000)
    return context


def _pending(page):
    return int(page.inner_text("[data-testid=pending]"))


def _sell(page, code, *, qris=False):
    page.fill("#code", code)
    page.press("#code", "Enter")
    page.wait_for_selector("#cart tbody tr")
    if qris:
        page.click("[data-testid=pay-qris]")
        page.click("[data-testid=qris-done]")
    else:
        page.click("[data-testid=pay-cash]")
    page.wait_for_selector("[data-testid=receipt]:visible")
    code = page.inner_text("[data-testid=receipt-code]")
    page.click("[data-testid=next]")
    return code


def _prepare(page, live_server, till):
    browser_sign_in(page, live_server, "kasir.lapas")
    page.goto(live_server.url + "/petugas/kasir/")
    page.click("[data-testid=offline-prepare]")
    page.click("[data-testid=prepare]")
    page.wait_for_selector("#offline[data-ready=yes]")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker
    page.wait_for_selector("#offline[data-ready=yes]")
    assert page.evaluate("!!navigator.serviceWorker.controller")


def test_fifty_sales_offline_reach_the_server_once(live_server, chromium_browser, bazaar, tmp_path):
    profile = tmp_path / "profil"
    context = _context(chromium_browser, profile)
    page = context.new_page()
    _prepare(page, live_server, bazaar["till"])
    assert "Perangkat L1" in page.inner_text("[data-testid=device]")
    assert page.inner_text("[data-testid=persist]")  # the answer of navigator.storage.persist()

    context.set_offline(True)
    bag = bazaar["bag"]
    bag.price = 60_000  # changed on the server meanwhile: the device charges what it showed
    bag.save(update_fields=["price"])
    receipts = []
    for i in range(25):
        receipts.append(_sell(page, CAKE if i % 3 == 0 else BAG, qris=i % 5 == 4))
    assert _pending(page) == 25
    page.reload()  # offline: the page comes from the service worker
    page.wait_for_selector("#offline[data-ready=yes]")
    assert _pending(page) == 25
    for i in range(25, 50):
        receipts.append(_sell(page, "2001001000028" if i % 3 == 0 else BAG, qris=i % 5 == 4))
    assert _pending(page) == 50
    assert receipts == [f"LPA-KL1-{n:06d}" for n in range(1, 51)]  # gapless on the device
    assert Sale.objects.count() == 0
    context.close()

    # The browser closed and opened again on the same profile, still without the network.
    context = _context(chromium_browser, profile)
    context.set_offline(True)
    page = context.new_page()
    page.goto(live_server.url + "/petugas/kasir/luring/")
    page.wait_for_selector("#offline[data-ready=yes]")
    assert _pending(page) == 50
    assert page.get_attribute("#offline", "data-sender") == "yes"

    # Back online: the browser's session ended with it, so the cashier signs in again and sends.
    context.set_offline(False)
    page.wait_for_function("() => document.querySelector('[data-testid=sync-note]').textContent.includes('masuk lagi')")
    assert Sale.objects.count() == 0
    browser_sign_in(page, live_server, "kasir.lapas")
    page.goto(live_server.url + "/petugas/kasir/luring/")
    page.wait_for_selector("#offline[data-ready=yes]")
    page.wait_for_function("() => document.querySelector('[data-testid=pending]').textContent === '0'", timeout=30_000)

    cakes, bags = 17, 33
    assert page.is_hidden("[data-testid=refused]"), page.inner_text("[data-testid=refused]")
    sales = Sale.objects.all()
    assert sales.count() == 50
    assert sorted(s.receipt_code for s in sales) == receipts
    assert sum(s.total for s in sales) == cakes * 15_000 + bags * 50_000
    assert {line.unit_price for s in sales.filter(lines__product=bag) for line in s.lines.filter(product=bag)} == {50_000}
    stand = bazaar["stand"]
    assert StockLevel.objects.get(product=bag, location=stand).quantity == 40 - bags
    assert StockLevel.objects.get(product=bazaar["cake"], location=stand).quantity == 0
    assert sorted(StockShortfall.objects.values_list("quantity", flat=True)) == [1] * (
        cakes - 10
    )  # one per sale beyond the shelf
    qris_total = sum(s.total for s in sales if s.payment_rows[0].method == "qris")
    figures = session_figures(bazaar["session"])
    assert figures["expected_cash"] == 100_000 + sum(s.total for s in sales) - qris_total
    assert figures["sales"]["qris"] == qris_total
    assert OfflineDevice.objects.get().last_sequence == 50

    # The same batch posted again (as a device that missed the answer would): no duplicate.
    again = page.evaluate(
        """async () => {
            const token = (await (await fetch('/petugas/kasir/luring/kirim/')).json()).csrf_token;
            const db = await new Promise((ok) => { const r = indexedDB.open('galeri-luring', 1); r.onsuccess = () => ok(r.result); });
            const sales = await new Promise((ok) => { const r = db.transaction('sales').objectStore('sales').getAll(); r.onsuccess = () => ok(r.result); });
            const response = await fetch('/petugas/kasir/luring/kirim/', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify({sales: sales.map((s) => s.payload)})});
            return (await response.json()).results.map((r) => r.status);
        }"""
    )
    assert again == ["duplicate"] * 50
    assert Sale.objects.count() == 50
    pos.close_session(bazaar["session"], counted_cash=figures["expected_cash"], user=bazaar["session"].opened_by)
    bazaar["session"].refresh_from_db()
    assert bazaar["session"].difference == 0
    context.close()


def test_two_tabs_share_one_queue_and_one_sender(live_server, chromium_browser, bazaar, tmp_path):
    context = _context(chromium_browser, tmp_path / "profil")
    first = context.new_page()
    _prepare(first, live_server, bazaar["till"])
    second = context.new_page()
    second.goto(live_server.url + "/petugas/kasir/luring/")
    second.wait_for_selector("#offline[data-ready=yes]")
    posts = {"first": 0, "second": 0}
    for name, tab in (("first", first), ("second", second)):
        tab.on(
            "request",
            lambda r, name=name: posts.__setitem__(name, posts[name] + (r.method == "POST" and "/luring/kirim/" in r.url)),
        )
    context.set_offline(True)
    codes = []
    for i in range(6):
        codes.append(_sell(first if i % 2 else second, BAG))
    assert sorted(codes) == [f"LPA-KL1-{n:06d}" for n in range(1, 7)]  # one sequence for both tabs
    first.wait_for_function("() => document.querySelector('[data-testid=pending]').textContent === '6'")
    context.set_offline(False)
    for tab in (first, second):
        tab.wait_for_function("() => document.querySelector('[data-testid=pending]').textContent === '0'", timeout=30_000)
    senders = [tab.get_attribute("#offline", "data-sender") for tab in (first, second)]
    assert senders == ["yes", None]
    assert posts["first"] >= 1 and posts["second"] == 0, json.dumps(posts)
    assert Sale.objects.count() == 6

    # The next day of the bazaar: a new session, the device refreshed; its numbers go on.
    pos.close_session(bazaar["session"], counted_cash=400_000, user=bazaar["session"].opened_by)
    day_two = pos.open_session(bazaar["till"], user=bazaar["session"].opened_by, opening_float=50_000)
    first.click("[data-testid=refresh]")
    first.wait_for_function("() => document.querySelector('[data-testid=sync-note]').textContent.includes('diperbarui')")
    assert _sell(first, BAG) == "LPA-KL1-000007"
    first.wait_for_function("() => document.querySelector('[data-testid=pending]').textContent === '0'", timeout=30_000)
    assert Sale.objects.get(device_sequence=7).session == day_two
    context.close()
