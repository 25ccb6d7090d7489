"""``manage.py generate_year`` on a tiny scale: every settlement is divided as the split engine
divides it under the rule in force (no split typed twice), returns cancel to the rupiah."""

import io
from collections import defaultdict

import pytest
from django.core.management import call_command

from galeri.production import allocation as calc
from galeri.production import services as production
from galeri.production.models import Allocation, Settlement

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_small_year_is_divided_by_the_split_engine():
    out = io.StringIO()
    call_command(
        "generate_year",
        units=2,
        year=2025,
        sale_lines=400,
        orders=60,
        participants=12,
        batches=10,
        products_per_unit=8,
        seed=7,
        stdout=out,
    )
    assert "Selesai" in out.getvalue()
    settlements = list(Settlement.objects.select_related("rule").order_by("id"))
    assert len(settlements) > 100
    rows = defaultdict(list)
    for a in Allocation.objects.filter(reversal__isnull=True).order_by("id"):
        rows[a.settlement_id].append(a)
    for settlement in settlements:
        shares = production.shares_of(settlement.rule)
        mine = rows[settlement.pk]
        assert sum(a.amount for a in mine) == settlement.base_amount == settlement.revenue  # revenue rule
        by_kind = {a.share_kind: a.amount for a in mine}
        expected = calc.largest_remainder(settlement.base_amount, [s.basis_points for s in shares])
        assert [by_kind.get(s.kind, 0) for s in shares] == expected
    returned = Allocation.objects.filter(reversal__isnull=False).values_list("settlement_id", flat=True).distinct()
    assert returned  # about one in a hundred lines comes back, in full
    for settlement_id in returned:
        assert sum(Allocation.objects.filter(settlement_id=settlement_id).values_list("amount", flat=True)) == 0
