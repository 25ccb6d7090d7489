"""Unique codes and confirmations under real concurrency: real threads, one connection each, both databases."""

import pytest

from galeri.payments import services
from galeri.payments.models import Payment, PaymentStatus
from galeri.payments.services import PaymentError
from tests.helpers import run_threads

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12


def test_simultaneous_checkouts_never_get_the_same_transfer_total(paying_unit, with_unique_codes):
    with_unique_codes(6)

    def checkout(i):
        return services.create_payment(paying_unit, "order", 1000 + i, 150_000, "transfer", f"LPA-{i}")

    results = run_threads(THREADS, checkout)
    made = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, PaymentError)]
    assert len(made) == 6 and len(refused) == THREADS - 6, results
    assert all(r.code in ("codes_exhausted", "busy") for r in refused)
    assert sorted(p.amount for p in made) == [150_001 + i for i in range(6)]


def test_two_cashiers_confirming_at_once_confirm_once(make_payment, staff):
    payment = make_payment(150_000, "cash")
    users = [staff.lapas_cashier, staff.lapas_admin] * (THREADS // 2)

    def confirm(i):
        return services.confirm_payment(Payment.objects.get(pk=payment.pk), users[i], 150_000, note=f"kasir {i}")

    results = run_threads(THREADS, confirm)
    confirmed = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, PaymentError)]
    assert len(confirmed) == 1 and len(refused) == THREADS - 1, results
    assert all(r.code == "already_confirmed" for r in refused)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.note == confirmed[0].note
    assert payment.history.filter(status=PaymentStatus.CONFIRMED).count() == 1
