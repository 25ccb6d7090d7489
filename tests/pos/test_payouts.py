"""Cash refunds leave through the till (issue 16, item 4): an approved cancellation's cash becomes a
task; the cashier with an open till pays it out from the counter, once, with a slip."""

import pytest
from django.urls import reverse

from galeri.payments import refunds
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from galeri.pos import payouts
from galeri.pos.errors import PosError
from tests.helpers import run_threads

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(counter):
    return refunds.request_refund(
        counter.unit, "order", 1, 40_000, "cash", "LPA-20261207-0001/BATAL", "Pesanan dibatalkan: rusak"
    )


def test_the_cashier_pays_a_cash_refund_out_of_her_till_with_a_slip(client, login, counter, open_till, task):
    session = open_till()
    login(client, counter.cashier)
    sell = client.get(reverse("pos:sell", kwargs={"pk": session.pk})).content.decode()
    assert reverse("pos:payouts", kwargs={"pk": session.pk}) in sell
    page = client.get(reverse("pos:payouts", kwargs={"pk": session.pk})).content.decode()
    assert "LPA-20261207-0001/BATAL" in page and "Bayarkan Rp 40.000" in page

    response = client.post(reverse("pos:payouts", kwargs={"pk": session.pk}), {"refund": task.pk}, follow=True)

    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="payout-slip"' in html and "Rp 40.000" in html
    task.refresh_from_db()
    assert (task.status, task.till_session_id, task.confirmed_by) == (PaymentStatus.CONFIRMED, session.pk, counter.cashier)
    again = client.post(reverse("pos:payouts", kwargs={"pk": session.pk}), {"refund": task.pk})
    assert again.status_code == 400 and "sudah diproses" in again.content.decode()
    assert (
        "Tidak ada pengembalian tunai yang menunggu"
        in client.get(reverse("pos:payouts", kwargs={"pk": session.pk})).content.decode()
    )


def test_only_the_sessions_own_cashier_and_cash_of_its_unit(counter, open_till, task, staff, unit_tree):
    session = open_till()
    with pytest.raises(PosError) as refused:  # the administrator may not pay out of the cashier's drawer
        payouts.pay_out(session, task, user=counter.admin)
    assert refused.value.code == "not_your_session"
    transfer = refunds.request_refund(counter.unit, "order", 2, 10_000, "transfer", "LPA-2/BATAL", "Batal")
    with pytest.raises(PosError) as refused:
        payouts.pay_out(session, transfer, user=counter.cashier)
    assert refused.value.code == "not_cash"
    other = refunds.request_refund(unit_tree.lpp, "order", 3, 10_000, "cash", "LPP-3/BATAL", "Batal")
    with pytest.raises(PosError) as refused:
        payouts.pay_out(session, other, user=counter.cashier)
    assert refused.value.code == "wrong_unit"
    assert Payment.objects.filter(kind=PaymentKind.REFUND, status=PaymentStatus.PENDING).count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_cashiers_paying_out_the_same_refund_pay_it_once(counter, open_till, task, make_staff):
    from django.db import connection

    from galeri.units.models import Role

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers")
    second = make_staff(Role.CASHIER, counter.unit)
    sessions = [open_till(), open_till(till=counter.till2, user=second)]
    cashiers = [counter.cashier, second]

    results = run_threads(2, lambda i: payouts.pay_out(sessions[i], Payment.objects.get(pk=task.pk), user=cashiers[i]))

    assert sorted(type(r).__name__ for r in results) == ["Payment", "PosError"], results
    refused = next(r for r in results if isinstance(r, PosError))
    assert "sudah diproses" in refused.messages[0]
    task.refresh_from_db()
    assert task.status == PaymentStatus.CONFIRMED and task.till_session_id in {s.pk for s in sessions}
    assert task.history.filter(status=PaymentStatus.CONFIRMED).count() == 1
