"""The unit administrator keeps the kecamatan zones of the unit's own delivery on a 360 px phone."""

import pytest

from tests.browser.test_narrow_pages import assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_unit_admin_changes_a_zone_fee_on_a_phone(demo_site, phone_page):
    page = phone_page
    demo_site.login(page, "admin.lapas")
    page.goto(demo_site.url + "/petugas/pengiriman/")
    assert "Lapas Ambon" in page.content() and "Rutan Ambon" not in page.content()
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Zona antar").click()
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 5
    assert "Rp 15.000" in rows.nth(1).inner_text() and "Sirimau" in rows.nth(1).inner_text()
    demo_site.shot(page, "zona-antar")
    assert_no_sideways_scroll(page)

    rows.nth(1).get_by_role("link", name="Ubah").click()
    page.fill("#id_fee", "17500")
    page.get_by_role("button", name="Simpan").click()
    assert "Zona Sirimau disimpan." in page.content()
    assert "Rp 17.500" in page.locator("table.data tbody tr").nth(1).inner_text()

    page.fill("#id_district_code", "Sirimau")  # a name where the code belongs
    page.fill("#id_name", "Sirimau")
    page.fill("#id_fee", "10000")
    page.get_by_role("button", name="Tambah", exact=True).click()
    assert "kode kecamatan Kemendagri" in page.content()
    assert page.locator("table.data tbody tr").count() == 5
    demo_site.shot(page, "zona-salah")
    assert_no_sideways_scroll(page)
