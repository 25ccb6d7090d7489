"""N takers at once on PostgreSQL (real threads, one connection each) get 1..N: no gap, no repeat.

Run against PostgreSQL with DATABASE_URL=postgres://... .
"""

import pytest
from django.db import transaction

from galeri.core import counters
from galeri.core.models import Counter
from tests.helpers import run_threads

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_takers_get_one_to_n_without_gap_or_repeat():
    n = 12

    def work(i):
        with transaction.atomic():
            number = counters.take("t.concurrent:1", "2026-12-08")
            if i % 4 == 0:
                raise ValueError(f"taker {i} fails after taking its number")  # gives it back
            return number

    results = run_threads(n, work)
    numbers = [r for r in results if isinstance(r, int)]
    failed = [r for r in results if isinstance(r, ValueError)]
    assert len(failed) == 3 and len(numbers) == n - 3, results
    assert sorted(numbers) == list(range(1, n - 3 + 1))
    assert Counter.objects.get(scope="t.concurrent:1").last_number == n - 3


def test_concurrent_first_takes_make_one_row():
    results = run_threads(8, lambda i: transaction.atomic()(counters.take)(f"t.fresh:{i % 2}"))
    assert sorted(results) == [1, 1, 2, 2, 3, 3, 4, 4], results
    assert Counter.objects.filter(scope__startswith="t.fresh:").count() == 2
