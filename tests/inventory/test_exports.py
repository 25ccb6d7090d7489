"""Stock levels and movements export to XLSX and CSV with the page's filters, scoped like the page."""

import datetime

import pytest
from django.urls import reverse

from galeri.inventory import services
from galeri.inventory.models import Reason
from tests.helpers import column, read_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(places, stocked):
    bag = stocked(places.lapas.galeri, 5, name="Tas Anyaman Pandan", sku="LPA-TAS-01", price=150_000, low_stock_threshold=1)
    services.receive(bag, places.lapas.gudang, 2, reason=Reason.RECEIPT)
    mat = stocked(places.lapas.galeri, 1, name="Tikar Pandan", sku="LPA-TKR-01", low_stock_threshold=3)
    cake = stocked(places.lpp.galeri, 4, name="Kue Kenari RAHASIA", sku="LPP-KUE-01")
    return bag, mat, cake


def test_levels_xlsx_has_a_row_per_product_and_location(client, login, staff, stock):
    officer = login(client, staff.lapas_officer)
    page = officer.get(reverse("inventory:levels"))
    assert reverse("inventory:levels_export") + "?format=xlsx" in page.content.decode()
    rows = read_export(officer.get(reverse("inventory:levels_export"), {"format": "xlsx"}))
    assert rows[0][:3] == ["Unit", "SKU", "Produk"]
    bag_rows = [r for r in rows[1:] if r[1] == "LPA-TAS-01"]
    assert sorted((r[5], r[6]) for r in bag_rows) == [("Galeri", 5), ("Gudang", 2)]
    assert all(r[7] == 7 and r[4] == 150_000 for r in bag_rows)  # numbers stay numbers
    assert set(column(rows, "Unit")) == {"Lapas Ambon"}
    assert "LPP-KUE-01" not in column(rows, "SKU")


def test_levels_filters_apply(client, login, staff, stock, places):
    officer = login(client, staff.lapas_officer)
    url = reverse("inventory:levels_export")
    assert column(read_export(officer.get(url, {"low": "1", "format": "csv"})), "SKU") == ["LPA-TKR-01"]
    assert column(read_export(officer.get(url, {"q": "tas", "format": "csv"})), "SKU") == ["LPA-TAS-01", "LPA-TAS-01"]
    rows = read_export(officer.get(url, {"location": places.lapas.gudang.pk, "format": "csv"}))
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [("LPA-TAS-01", "Gudang", "2")]
    # The regional office filters by unit.
    regional = login(client, staff.regional)
    rows = read_export(regional.get(url, {"unit": places.lpp.unit.pk, "format": "xlsx"}))
    assert column(rows, "SKU") == ["LPP-KUE-01"]


def test_another_units_filter_gives_nothing_of_it(client, login, staff, stock, places):
    officer = login(client, staff.lapas_officer)
    rows = read_export(officer.get(reverse("inventory:levels_export"), {"unit": places.lpp.unit.pk, "format": "csv"}))
    assert rows[1:] == []
    rows = read_export(officer.get(reverse("inventory:movements_export"), {"unit": places.lpp.unit.pk, "format": "csv"}))
    assert rows[1:] == []
    _bag, _mat, cake = stock
    assert officer.get(reverse("inventory:movements_export"), {"product": cake.pk}).status_code == 404
    assert officer.get(reverse("inventory:movements_export"), {"location": places.lpp.galeri.pk}).status_code == 404


def test_movements_export_matches_the_filtered_page(client, login, staff, stock, places):
    bag, _mat, _cake = stock
    services.adjust(bag, places.lapas.galeri, -1, Reason.DAMAGED, note="=SUM(A1) robek")
    officer = login(client, staff.lapas_officer)
    url = reverse("inventory:movements_export")
    rows = read_export(officer.get(url, {"format": "xlsx"}))
    assert len(rows) == 1 + 4  # bag initial + receipt + damaged, mat initial
    assert set(column(rows, "Unit")) == {"Lapas Ambon"}
    rows = read_export(officer.get(url, {"reason": "damaged", "format": "xlsx"}))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1]))
    assert row["Jumlah"] == -1 and row["Saldo di lokasi"] == 4 and row["Alasan"] == "Rusak"
    assert row["Catatan"] == "'=SUM(A1) robek"  # a formula never runs in the spreadsheet
    assert isinstance(row["Waktu (WIT)"], datetime.datetime)
    rows = read_export(officer.get(url, {"product": bag.pk, "format": "csv"}))
    assert set(column(rows, "SKU")) == {"LPA-TAS-01"} and len(rows) == 4
    today = datetime.date.today()
    later = (today + datetime.timedelta(days=3)).isoformat()
    assert read_export(officer.get(url, {"from": later, "format": "csv"}))[1:] == []
    # A bad date is ignored as on the page, never a 500.
    assert len(read_export(officer.get(url, {"from": "kemarin", "format": "csv"}))) == 5


def test_movements_page_links_to_export_with_its_filters(client, login, staff, stock):
    officer = login(client, staff.lapas_officer)
    html = officer.get(reverse("inventory:movements"), {"reason": "receipt", "hal": "1"}).content.decode()
    assert reverse("inventory:movements_export") + "?reason=receipt&amp;format=csv" in html
