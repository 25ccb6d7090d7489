"""Keyboard alone (issue 19, WCAG 2.1.1 and 2.4.7), from the demo data: a buyer checks out and a
cashier makes a counter sale with Tab/Shift+Tab/Enter/Space/arrows and typed text, no mouse; a
focused link, button and input show a visible focus indicator on public and console pages; the
main forms' errors are announced and tied to their fields.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARCODE = "2001001000028"  # Bakul Nasi Anyaman Bambu Bertutup, Rp 85.000, on the Lapas gallery shelf
IS_FOCUSED = "s => !!document.activeElement && document.activeElement.matches(s)"


def tab_to(page, selector, limit=150, back=False):
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(IS_FOCUSED, selector):
            return
    raise AssertionError(f"{key} never reached {selector} on {page.url}")


def choose_radio(page, group_selector, value, limit=8):
    """Tab into a radio group (focus lands on its checked or first radio), arrow to ``value``, Space."""
    tab_to(page, group_selector)
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {value} in {group_selector}")


def keyboard_login(page, demo_site, username):
    from .conftest import DEMO_PASSWORD

    page.goto(demo_site.url + "/petugas/masuk/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/petugas/(?!masuk)"))
    if "/akun/verifikasi/" in page.url:  # every staff role confirms a TOTP code, typed too
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.helpers import fresh_code_for

        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
        tab_to(page, "#id_token")
        page.keyboard.type(fresh_code_for(device))
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/akun/verifikasi/" not in url)


def test_a_buyer_checks_out_with_the_keyboard_alone(demo_site, phone_page):
    from galeri.catalog.models import Product
    from galeri.orders.models import Order

    page = phone_page
    product = Product.objects.published().filter(unit__code="LPA").order_by("id").first()
    page.goto(f"{demo_site.url}/produk/{product.slug}/")
    tab_to(page, "[data-testid=tambah-keranjang]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/keranjang/")
    tab_to(page, "[data-testid=ke-checkout]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/checkout/")

    # Submitted empty first (the browser's own checks switched off, as the server must cope
    # without them): the errors are announced and the fields point at their messages.
    page.evaluate("() => document.querySelector('form.checkout').noValidate = true")
    tab_to(page, "[data-testid=kirim-pesanan]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#checkout-errors, .errorlist")
    assert_errors_are_announced(page)

    tab_to(page, "#id_name", back=True)
    page.keyboard.type("Maria Latuheru")
    tab_to(page, "#id_phone")
    page.keyboard.type("081277771234")
    choose_radio(page, "input[type=radio][name$=fulfilment]", "ambil")
    choose_radio(page, "input[type=radio][name$=payment_method]", "qris")
    tab_to(page, "input[type=checkbox][name$=consent]")
    if not page.evaluate("() => document.activeElement.checked"):
        page.keyboard.press("Space")
    tab_to(page, "[data-testid=kirim-pesanan]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pesanan/selesai/**")
    order = Order.objects.get(buyer_phone="+6281277771234")
    assert order.payment_method == "qris" and order.fulfilment == "ambil"
    assert page.errors == [], page.errors


def assert_errors_are_announced(page):
    """After a full reload: one error summary with role=alert, focused, its links leading to fields
    that exist; every invalid field aria-invalid and described by its message."""
    summary = page.evaluate(
        """() => {
             const s = document.querySelector('[data-error-summary]');
             if (!s) return null;
             return {
               role: s.getAttribute('role'),
               focused: document.activeElement === s,
               text: s.innerText,
               broken: [...s.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
                 .filter(id => !document.getElementById(id)),
             };
           }"""
    )
    assert summary, "no error summary ([data-error-summary]) on the page"
    assert summary["role"] == "alert" and summary["focused"], summary
    assert summary["text"].strip() and summary["broken"] == [], summary
    live = page.evaluate(
        """() => [...document.querySelectorAll('.errors, .errorlist')].filter(e =>
             e.closest('[role=alert], [role=status], [aria-live]')).length"""
    )
    assert live >= 1, "no error summary or message in an aria-live / role=alert region"
    fields = page.evaluate(
        """() => [...document.querySelectorAll('[aria-invalid=true]')].map(f => ({
             name: f.name,
             // a radio of a group may be described through its fieldset
             described: (f.getAttribute('aria-describedby') || f.closest('fieldset')?.getAttribute('aria-describedby') || '')
               .split(' ').filter(Boolean)
               .some(id => { const d = document.getElementById(id); return d && d.classList.contains('errorlist'); }),
           }))"""
    )
    assert fields, "no field marked aria-invalid"
    orphans = [f["name"] for f in fields if not f["described"]]
    assert orphans == [], f"aria-invalid fields whose aria-describedby does not point at their error: {orphans}"


def test_a_cashier_sells_at_the_counter_with_the_keyboard_alone(demo_site, desktop_page):
    from galeri.pos.models import Sale

    page = desktop_page
    keyboard_login(page, demo_site, "kasir.lapas")
    page.goto(demo_site.url + "/petugas/kasir/")
    tab_to(page, "form.pos-open input[name=opening_float]")
    page.keyboard.press("Control+a")
    page.keyboard.type("200000")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kasir/sesi/\d+/$"))

    tab_to(page, "#pos-code")
    page.keyboard.type(BARCODE)
    page.keyboard.press("Enter")
    page.wait_for_selector(".pos-lines >> text=Bakul Nasi Anyaman Bambu Bertutup")
    tab_to(page, "[data-pos-tendered]")
    page.keyboard.type("100000")
    tab_to(page, "button.pos-complete")
    page.keyboard.press("Enter")
    page.wait_for_url("**/struk/*/")
    sale = Sale.objects.get()
    assert (sale.total, sale.change) == (85_000, 15_000)
    assert page.errors == [], page.errors


FOCUS_STYLE = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
}"""


def _assert_visible_focus(page, selector):
    tab_to(page, selector)
    style = page.evaluate(FOCUS_STYLE)
    visible = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] not in ("none", "")
    assert visible, f"{selector} on {page.url}: no visible focus indicator {style}"


def test_focus_is_visible_on_links_buttons_and_inputs(demo_site, desktop_page):
    page = desktop_page
    page.goto(demo_site.url + "/")
    _assert_visible_focus(page, "main a[href]")
    _assert_visible_focus(page, "input#q-head, input[type=search]")
    page.goto(demo_site.url + "/lacak/")
    _assert_visible_focus(page, "#id_code")
    _assert_visible_focus(page, "[data-testid=lacak-kirim]")

    keyboard_login(page, demo_site, "admin.lapas")
    page.goto(demo_site.url + "/petugas/produk/")
    _assert_visible_focus(page, "nav a[href]")
    _assert_visible_focus(page, "main input, main select")
    _assert_visible_focus(page, "main button, main .btn")


def _service_booking(demo_site):
    from galeri.bookings.models import Service

    return f"/jasa/{Service.objects.filter(is_active=True).order_by('id').first().slug}/pesan/"


# (name, how to reach the form, the form's submit button). Each is sent empty past the browser's checks.
FORMS = [
    ("checkout", None, "[data-testid=kirim-pesanan]"),
    ("custom-order", lambda site: "/pesan-khusus/", "[data-testid=form-pesan-khusus] button[type=submit]"),
    ("service-booking", _service_booking, "[data-testid=kirim-pesanan-jasa]"),
    ("lacak", lambda site: "/lacak/", "[data-testid=lacak-kirim]"),
    ("console-product", lambda site: "/petugas/produk/baru/", "form.product-form button[type=submit]"),
]


@pytest.mark.parametrize("name, where, submit", FORMS, ids=[f[0] for f in FORMS])
def test_form_errors_are_announced_and_tied_to_their_fields(demo_site, desktop_page, name, where, submit):
    page = desktop_page
    if name.startswith("console"):
        keyboard_login(page, demo_site, "admin.lapas")
    if where is None:  # the checkout: a product in the cart first
        from galeri.catalog.models import Product

        product = Product.objects.published().filter(unit__code="LPA").order_by("id").first()
        page.goto(f"{demo_site.url}/produk/{product.slug}/")
        page.get_by_test_id("tambah-keranjang").click()
        page.wait_for_url("**/keranjang/")
        page.goto(demo_site.url + "/checkout/")
    else:
        page.goto(demo_site.url + where(demo_site))
    page.evaluate("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.locator(submit).first.click()
    page.wait_for_selector(".errorlist, .errors")
    assert_errors_are_announced(page)
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"form-errors-{name}-1280.png"))
