"""The gapless counter: one number per take, given back on rollback, per scope and period."""

import datetime

import pytest
from django.db import transaction

from galeri.core import counters
from galeri.core.models import Counter

pytestmark = pytest.mark.django_db


def take(scope, period=""):
    with transaction.atomic():
        return counters.take(scope, period)


def test_numbers_follow_one_another_from_one():
    assert [take("t.thing:1") for _ in range(3)] == [1, 2, 3]
    assert counters.last("t.thing:1") == 3


def test_a_rolled_back_transaction_leaves_no_gap():
    assert take("t.thing:1") == 1
    with pytest.raises(ValueError), transaction.atomic():
        assert counters.take("t.thing:1") == 2
        raise ValueError("the sale failed after taking its number")
    assert counters.last("t.thing:1") == 1
    assert take("t.thing:1") == 2


def test_a_rolled_back_savepoint_gives_its_number_back_too():
    with transaction.atomic():
        assert counters.take("t.thing:1") == 1
        with pytest.raises(ValueError), transaction.atomic():
            counters.take("t.thing:1")
            raise ValueError
        assert counters.take("t.thing:1") == 2


def test_each_scope_and_period_counts_on_its_own():
    day, next_day = datetime.date(2026, 12, 8), datetime.date(2026, 12, 9)
    assert take(counters.scope("t.order", 1), day) == 1
    assert take(counters.scope("t.order", 1), day) == 2
    assert take(counters.scope("t.order", 2), day) == 1  # another unit
    assert take(counters.scope("t.order", 1), next_day) == 1  # another day
    assert take(counters.scope("t.receipt", 1)) == 1  # another sequence, no period
    assert take(counters.scope("t.order", 1), "2026-12-08") == 3  # a date and its ISO text are one period
    assert Counter.objects.count() == 4


def test_codes_carry_their_prefix_and_width():
    assert counters.code("LPA-20261208-", 7) == "LPA-20261208-0007"
    assert counters.code("LPA-B", 12, width=6) == "LPA-B000012"
    assert counters.code("", 12345) == "12345"  # never cut
    with transaction.atomic():
        assert counters.take_code("t.batch:1", "2026-12", prefix="BT-202612-") == "BT-202612-0001"


@pytest.mark.django_db(transaction=True)
def test_a_number_cannot_be_taken_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        counters.take("t.thing:1")
    assert not Counter.objects.exists()


def test_scope_joins_name_and_keys():
    assert counters.scope("pos.receipt", 12) == "pos.receipt:12"
    assert counters.scope("x", "a", 3) == "x:a:3"
