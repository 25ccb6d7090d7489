"""generate_year numbers its counter sales 1..N per unit; the live receipt counter must continue
after them, or the first real sale at a generated unit repeats receipt number 1 (and is refused
by the unique receipt number)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max

from galeri.core import counters
from galeri.pos.models import Sale

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_next_live_receipt_follows_the_generated_ones():
    call_command(
        "generate_year",
        units=1,
        year=2025,
        sale_lines=40,
        orders=3,
        participants=2,
        batches=2,
        products_per_unit=5,
        verbosity=0,
    )
    last = Sale.objects.values("unit_id").annotate(last=Max("receipt_number"))
    assert last
    for row in last:
        scope = counters.scope("pos.receipt", row["unit_id"])
        assert counters.last(scope) == row["last"]
        with transaction.atomic():
            assert counters.take(scope) == row["last"] + 1
