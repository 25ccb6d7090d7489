import pytest

from galeri.catalog.demo import loader
from galeri.console.management.commands.demo import seed_stock_of_new_products
from galeri.production.checks import check_allocations
from galeri.production.demo import seed_demo_production
from galeri.production.models import Batch, Participant, ParticipantPersonal, SplitRule

pytestmark = pytest.mark.django_db


def test_demo_production_is_complete_pseudonymous_and_repeatable():
    result = loader.load_all(with_photos=False)
    seed_stock_of_new_products()
    made = seed_demo_production(result["units"])
    assert made["rules"] == 3 and made["batches"] == 9 and made["participants"] == 30 and made["workshops"] == 24
    assert {r.unit.code for r in SplitRule.objects.select_related("unit")} == {"LPA", "LPP", "RTA"}
    assert not ParticipantPersonal.objects.exists()  # no names in the demo
    assert all(b.lot_id and b.unit_cost for b in Batch.objects.all())
    assert seed_demo_production(result["units"]) == {"workshops": 0, "participants": 0, "batches": 0, "rules": 0}
    assert Participant.objects.count() == 30
    assert check_allocations().problems == []
