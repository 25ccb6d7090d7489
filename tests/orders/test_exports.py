"""The order queue exports to XLSX and CSV with the queue's filters, scoped to the user's units."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import column, read_export
from tests.orders.helpers import delivery, pickup, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(goods, shop):
    bag = place([(goods.bag, 2)], [pickup(shop.lapas.unit)]).orders[0]
    sent = place([(goods.bag, 1)], [delivery(shop.lapas.unit, "transfer")]).orders[0]
    cake = place([(goods.cake, 1)], [pickup(shop.lpp.unit, "transfer")]).orders[0]
    return bag, sent, cake


def test_export_has_the_units_orders_only(staff, login, orders):
    bag, sent, cake = orders
    officer = login(Client(), staff.lapas_officer)
    html = officer.get(reverse("orders_console:list")).content.decode()
    assert reverse("orders_console:export") + "?format=xlsx" in html
    rows = read_export(officer.get(reverse("orders_console:export"), {"format": "xlsx"}))
    assert sorted(column(rows, "Kode")) == sorted([bag.code, sent.code])
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == bag.code)))
    assert row["Subtotal (Rp)"] == 300_000 and row["Total (Rp)"] == 300_000
    assert row["Pembeli"] == "Maria Latuheru"
    assert row["Unit"] == "Lapas Ambon"
    assert isinstance(row["Dipesan (WIT)"], datetime.datetime)
    # A delivery waiting for its fee: total unknown, left empty rather than wrong.
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == sent.code)))
    assert row["Ongkos kirim (Rp)"] is None and row["Total (Rp)"] is None


def test_export_follows_the_filters(staff, login, orders, shop):
    bag, sent, cake = orders
    officer = login(Client(), staff.lapas_officer)
    url = reverse("orders_console:export")
    assert column(read_export(officer.get(url, {"q": bag.code, "format": "csv"})), "Kode") == [bag.code]
    assert column(read_export(officer.get(url, {"cara": "transfer", "format": "csv"})), "Kode") == [sent.code]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert read_export(officer.get(url, {"dari": tomorrow, "format": "csv"}))[1:] == []
    # Another unit as a filter: nothing of it.
    assert read_export(officer.get(url, {"unit": shop.lpp.unit.pk, "format": "csv"}))[1:] == []
    assert read_export(officer.get(url, {"q": cake.code, "format": "csv"}))[1:] == []
    # Nonsense filters are ignored as on the page.
    assert len(read_export(officer.get(url, {"status": "zzz", "dari": "x", "format": "xlsx"}))) == 3


def test_regional_admin_exports_every_unit(staff, login, orders, shop):
    bag, sent, cake = orders
    regional = login(Client(), staff.regional)
    rows = read_export(regional.get(reverse("orders_console:export"), {"format": "csv"}))
    assert sorted(column(rows, "Kode")) == sorted([bag.code, sent.code, cake.code])
    rows = read_export(regional.get(reverse("orders_console:export"), {"unit": shop.lpp.unit.pk, "format": "csv"}))
    assert column(rows, "Kode") == [cake.code]
