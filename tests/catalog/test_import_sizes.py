"""Weight and size in the product import and export (columns berat gram, panjang/lebar/tinggi cm)."""

import io

import openpyxl
import pytest

from galeri.catalog import imports
from galeri.catalog.models import Product
from tests.catalog.test_import_export import row, xlsx

pytestmark = pytest.mark.django_db


def test_weight_and_size_go_in_and_out_of_the_file(staff, upt, category, client):
    data = xlsx([row("W-1", **{"berat gram": 1250, "panjang cm": 40, "lebar cm": 30, "tinggi cm": 8})])
    imports.run_import(data, staff.lapas_officer, file_name="ukuran.xlsx")
    product = Product.objects.get(sku="W-1")
    assert (product.weight_grams, product.length_cm, product.width_cm, product.height_cm) == (1250, 40, 30, 8)
    report, _plan = imports.check_import(xlsx([row("W-2", **{"tinggi cm": 40_000})]), staff.lapas_officer)
    assert [(e.column, "32767" in e.message) for e in report.errors] == [("tinggi cm", True)]
    exported = openpyxl.load_workbook(io.BytesIO(imports.export_xlsx([product])))["Produk"]
    headers = [c.value for c in exported[1]]
    values = dict(zip(headers, [c.value for c in exported[2]]))
    assert (values["berat gram"], values["panjang cm"], values["lebar cm"], values["tinggi cm"]) == (1250, 40, 30, 8)
