"""Price labels in chromium: search, quantities, print to an A4 sheet; phone and desktop layouts."""

import io
import os

import pytest
from pypdf import PdfReader

from galeri.inventory.models import LocationKind
from galeri.units.models import Role
from tests.helpers import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LABELS_SHOTS")  # a folder to keep screenshots in, when set


@pytest.fixture
def officer(unit_tree, make_location, stocked, make_staff):
    unit = unit_tree.lapas
    galeri = make_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True)
    for name, sku, price in (("Tas Anyaman Pandan", "LPA-TAS-01", 150_000), ("Kue Bagea Sagu", "LPA-KUE-01", 25_000)):
        stocked(galeri, 4, name=name, sku=sku, price=price)
    return make_staff(Role.OFFICER, unit, "petugas.lapas")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.parametrize("which", ["phone_page", "desktop_page"])
def test_officer_prints_a_sheet(live_server, officer, request, which):
    page = request.getfixturevalue(which)
    browser_sign_in(page, live_server, "petugas.lapas")
    page.goto(live_server.url + "/petugas/label/")
    page.fill("#f-q", "bagea")
    page.press("#f-q", "Enter")
    page.wait_for_url("**/label/?q=bagea*")
    assert page.locator("input.qty").count() == 1
    page.locator("input.qty").fill("5")
    page.select_option("#id_output", "4x10")
    page.fill("#id_start", "41")  # a 4x10 sheet has 40 places
    page.click("button:has-text('Cetak label')")
    page.wait_for_load_state()
    assert "paling besar 40" in page.inner_text(".label-output")
    assert page.locator("input.qty").input_value() == "5"  # what was typed is kept
    _shot(page, f"label-error-{which}.png")
    page.fill("#id_start", "3")
    # Chromium's PDF viewer keeps the body to itself: read the response on its way to the page.
    caught = {}

    def keep(route):
        response = route.fetch()
        caught["type"], caught["body"] = response.headers["content-type"], response.body()
        route.fulfill(response=response)

    page.route("**/label/cetak/", keep)
    page.click("button:has-text('Cetak label')")
    page.wait_for_timeout(200)
    for _i in range(50):
        if caught:
            break
        page.wait_for_timeout(100)
    assert caught["type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(caught["body"]))
    assert reader.pages[0].extract_text().count("Kue Bagea Sagu") == 5
    page.goto(live_server.url + "/petugas/label/")
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    _shot(page, f"label-home-{which}.png")
    assert [e for e in page.errors if "status of 400" not in e] == []  # only the refused form above
