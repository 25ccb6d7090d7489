"""manage.py check_stock: recompute from the ledger, report, exit 1, --fix."""

import pytest
from django.core.management import call_command

from galeri.catalog.models import Product
from galeri.inventory.models import StockLevel

pytestmark = pytest.mark.django_db


def check(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_stock", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_ledger_passes(places, stocked):
    stocked(places.lapas.galeri, 5)
    code, out = check()
    assert code == 0
    assert "cocok" in out


def test_a_tampered_level_is_found_and_fixed(places, stocked):
    product = stocked(places.lapas.galeri, 5, sku="TAS-001")
    StockLevel.objects.filter(product=product).update(quantity=9)
    Product.objects.filter(pk=product.pk).update(stock_quantity=9)
    code, out = check()
    assert code == 1
    assert "TAS-001" in out and "tersimpan 9, buku stok 5" in out
    assert "stock_quantity 9, buku stok (lokasi dijual) 5" in out
    code, out = check("--fix")
    assert code == 1  # differences were found, even though they are fixed now
    assert StockLevel.objects.get(product=product).quantity == 5
    product.refresh_from_db()
    assert product.stock_quantity == 5
    assert check() == (0, check()[1])


def test_a_missing_level_row_and_a_figure_without_ledger_are_found(places, stocked, make_product, category):
    product = stocked(places.lapas.gudang, 4, sku="UKR-7")
    StockLevel.objects.filter(product=product).delete()
    outside = make_product(unit=places.lapas.unit, category=category, stock_quantity=10, sku="KUE-3")  # never through the ledger
    code, out = check()
    assert code == 1
    assert "UKR-7" in out and "tersimpan -, buku stok 4" in out
    assert "KUE-3: stock_quantity 10, buku stok (lokasi dijual) 0" in out
    check("--fix")
    assert StockLevel.objects.get(product=product).quantity == 4
    outside.refresh_from_db()
    assert outside.stock_quantity == 0
    assert check()[0] == 0
