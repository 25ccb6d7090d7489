"""Pages that must fit a 360 px phone without scrolling sideways, from the demo data: the public
impact page, the privacy page and the staff order detail (an order with a long address and e-mail, as buyers type)."""

import uuid

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCROLL_WIDTH = "() => document.scrollingElement.scrollWidth"


def assert_no_sideways_scroll(page):
    width = page.evaluate(SCROLL_WIDTH)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > 361)
              .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert width <= 360, (width, wide)
    # Nor does a part of it: no table hides a column (a total, a subtotal) behind a sideways scroll.
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
              .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
              .filter(e => !e.matches('.nav-cats, .status-tabs, .subnav, select, input, textarea'))
              .map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
    )
    assert hidden == [], hidden


def test_the_impact_page_fits_a_phone(demo_site, phone_page, desktop_page):
    phone_page.goto(demo_site.url + "/dampak/")
    demo_site.shot(phone_page, "dampak")
    assert_no_sideways_scroll(phone_page)
    desktop_page.goto(demo_site.url + "/dampak/")
    assert desktop_page.locator("table.data thead").is_visible()
    demo_site.shot(desktop_page, "dampak-desktop")


def test_the_privacy_page_and_its_retention_table_fit_a_phone(demo_site, phone_page, desktop_page):
    """The retention table (issue 18) stacks each rule as a card on a phone; a table on a desktop."""
    phone_page.goto(demo_site.url + "/privasi/")
    demo_site.shot(phone_page, "privasi")
    assert_no_sideways_scroll(phone_page)
    assert phone_page.locator("[data-rule='payments.proofs']").is_visible()
    desktop_page.goto(demo_site.url + "/privasi/")
    assert desktop_page.locator("table.retention thead").is_visible()


def _place_order(unit_code="LPA", delivery=False):
    from galeri.catalog.models import Product
    from galeri.orders import fulfilment as rules
    from galeri.orders import services
    from galeri.units.models import Unit

    unit = Unit.objects.get(code=unit_code)
    buyer = services.Buyer(
        name="Maria Magdalena Latuheru-Pattiasina",
        phone="+6281234567890",
        email="maria.magdalena.latuheru.pattiasina@pemerintah-kota-ambon.contoh.go.id",
        note="Tolong dibungkus rapi untuk hadiah ulang tahun; saya ambil sendiri sesudah jam kantor.",
    )
    day = rules.pickup_dates(unit)[0]
    if delivery:
        choice = services.UnitChoice(
            unit_id=unit.pk,
            fulfilment="antar",
            payment_method="transfer",
            region_code="81.71.02.2003",  # Batu Merah, Sirimau: the demo's own delivery zone (fee known)
            option_key="zone:81.71.02",
            street="Jalan Sultan Hasanudin Lorong Pattimura-Kebun-Cengkeh No. 17/RT.003/RW.005",
            delivery_notes="Rumah pagar biru di belakang masjid, sebelah warung kopi Sibu-Sibu",
        )
    else:
        choice = services.UnitChoice(unit_id=unit.pk, fulfilment="ambil", payment_method="qris", pickup_date=day)
    for product in Product.objects.published().filter(unit=unit).order_by("id"):
        try:
            result = services.place_checkout(
                idempotency_key=uuid.uuid4(), buyer=buyer, items=[(product.pk, 1)], choices={unit.pk: choice}
            )
        except services.CheckoutError:
            continue
        return result.orders[0]
    raise AssertionError("no demo product of the unit could be ordered")


@pytest.mark.parametrize("delivery", [False, True], ids=["pickup-qris", "delivery-transfer"])
def test_the_staff_order_detail_fits_a_phone(demo_site, phone_page, desktop_page, delivery):
    from django.contrib.auth.models import User

    from galeri.orders import services

    order = _place_order(delivery=delivery)
    if delivery and order.delivery_fee is None:  # confirmed with its fee: the transfer bill is shown too
        services.confirm_order(order, User.objects.get(username="admin.lapas"), delivery_fee=25_000)
    demo_site.login(phone_page, "admin.lapas")
    phone_page.goto(f"{demo_site.url}/petugas/pesanan/{order.pk}/")
    assert order.code in phone_page.content()
    demo_site.shot(phone_page, "pesanan-detail")
    assert_no_sideways_scroll(phone_page)
    # On a desktop the lines stay a table with its header row.
    demo_site.login(desktop_page, "admin.lapas")
    desktop_page.goto(f"{demo_site.url}/petugas/pesanan/{order.pk}/")
    assert desktop_page.locator("table.lines-table thead").is_visible()
    demo_site.shot(desktop_page, "pesanan-detail-desktop")


def test_the_till_management_fits_a_phone(demo_site, phone_page, desktop_page):
    """The unit administrator's "Atur kasir": every column of a till readable at 360 px."""
    demo_site.login(phone_page, "admin.lapas")
    phone_page.goto(demo_site.url + "/petugas/kasir/atur/")
    demo_site.shot(phone_page, "atur-kasir")
    assert phone_page.get_by_role("link", name="Ubah").first.is_visible()
    assert_no_sideways_scroll(phone_page)
    demo_site.login(desktop_page, "admin.lapas")
    desktop_page.goto(demo_site.url + "/petugas/kasir/atur/")
    assert desktop_page.locator("table thead").first.is_visible()
