import pytest

from galeri.catalog.demo import loader
from galeri.console.management.commands.demo import seed_stock_of_new_products
from galeri.custom_orders.demo import seed_demo_custom_orders
from galeri.custom_orders.models import BatchLink, CustomOrder
from galeri.production.demo import seed_demo_production

pytestmark = pytest.mark.django_db


def test_demo_requests_in_three_states_and_repeatable():
    result = loader.load_all(with_photos=False)
    seed_stock_of_new_products()
    seed_demo_production(result["units"])
    assert seed_demo_custom_orders(result["units"]) == 3
    states = dict(CustomOrder.objects.values_list("unit__code", "status"))
    assert states == {"LPA": "diproduksi", "LPP": "ditawarkan", "RTA": "diminta"}
    assert BatchLink.objects.filter(order__unit__code="LPA").exists()
    assert seed_demo_custom_orders(result["units"]) == 0
    assert CustomOrder.objects.count() == 3
