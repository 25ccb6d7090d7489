"""Visitors reading cached pages while staff change prices: every answer is a page, and once the
last change is committed every visitor sees the last price."""

import re

import pytest
from django.test import Client

from galeri.catalog.models import Product
from galeri.catalog.services import save_product
from tests.helpers import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_readers_and_a_writer_at_once(make_product, unit_tree, category):
    product = make_product(unit=unit_tree.lapas, category=category, name="Tikar Pandan", price=100_000)
    url = product.get_absolute_url()
    prices = [100_000 + 1_000 * i for i in range(1, 11)]

    def work(i):
        if i == 0:
            for price in prices:
                item = Product.objects.get(pk=product.pk)
                item.price = price
                save_product(item)
            return "written"
        client, seen = Client(), []
        for _ in range(15):
            response = client.get(url)
            assert response.status_code == 200
            seen.append(re.search(r'<p class="price">(Rp [\d.]+)', response.content.decode()).group(1))
        return seen

    results = run_threads(6, work)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert Client().get(url).content.decode().count("Rp 110.000") >= 1
    for seen in results[1:]:
        assert set(seen) <= {"Rp 100.000", *(f"Rp {p:,}".replace(",", ".") for p in prices)}
