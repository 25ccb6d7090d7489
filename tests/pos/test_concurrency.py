"""Two tills at once: real threads, one database connection each, on SQLite and PostgreSQL.

Run against PostgreSQL with DATABASE_URL=postgres://... .
"""

import uuid

import pytest

from galeri.inventory.models import Reason, StockLevel, StockMovement
from galeri.inventory.services import ledger_differences
from galeri.pos import services
from galeri.pos.models import Sale, SaleLine, TillSession
from galeri.pos.services import PosError
from galeri.production.models import Settlement
from galeri.units.models import Role
from tests.helpers import run_threads
from tests.pos.helpers import sell

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_tills_selling_the_last_pieces_never_oversell(counter, open_till, stocked):
    sessions = [open_till(counter.till), open_till(counter.till2, user=counter.admin)]
    users = [counter.cashier, counter.admin]
    bag = stocked(counter.location, 3, name="Tas Anyaman Pandan")

    results = run_threads(8, lambda i: sell(sessions[i % 2], users[i % 2], [(bag, 1)]))

    sold = [r for r in results if isinstance(r, Sale)]
    refused = [r for r in results if isinstance(r, PosError)]
    assert (len(sold), len(refused)) == (3, 5), results
    assert all("Tas Anyaman Pandan" in r.messages[0] for r in refused)
    assert StockLevel.objects.get(product=bag, location=counter.location).quantity == 0
    assert StockMovement.objects.filter(product=bag, reason=Reason.SALE).count() == 3
    assert sorted(Sale.objects.values_list("receipt_number", flat=True)) == [1, 2, 3]
    assert ledger_differences() == ([], [])


def test_receipt_numbers_stay_gapless_under_concurrent_sales(counter, open_till, stocked):
    sessions = [open_till(counter.till), open_till(counter.till2, user=counter.admin)]
    users = [counter.cashier, counter.admin]
    bag = stocked(counter.location, 100)
    scarce = stocked(counter.location, 2)

    def work(i):
        items = [(bag, 1)] + ([(scarce, 1)] if i % 3 == 0 else [])  # some fail for want of stock: no gap
        return sell(sessions[i % 2], users[i % 2], items)

    results = run_threads(16, work)
    sold = [r for r in results if isinstance(r, Sale)]
    assert all(isinstance(r, (Sale, PosError)) for r in results), results
    assert len(sold) == 16 - 4  # six want a scarce piece, two of them get it
    assert sorted(Sale.objects.values_list("receipt_number", flat=True)) == list(range(1, len(sold) + 1))
    assert SaleLine.objects.count() == len(sold) + 2


def test_the_same_sale_posted_twice_at_once_is_one_sale(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 10)
    key = uuid.uuid4()

    results = run_threads(4, lambda i: sell(session, counter.cashier, [(bag, 2)], client_sale_id=key))

    assert all(isinstance(r, Sale) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Sale.objects.count() == 1 and SaleLine.objects.count() == 1
    assert StockLevel.objects.get(product=bag, location=counter.location).quantity == 8
    assert Settlement.objects.filter(source_type="pos.sale").count() == 1
    assert ledger_differences() == ([], [])


def test_two_cashiers_closing_one_session_at_once_close_it_once(counter, open_till):
    from galeri.core import timeline
    from galeri.pos.models import SessionStatus, TillSession
    from galeri.pos.services import close_session

    session = open_till(opening_float=100_000)
    users = [counter.cashier, counter.admin]

    results = run_threads(2, lambda i: close_session(session, counted_cash=100_000 + i, note=f"hitung {i}", user=users[i]))

    closed = [r for r in results if isinstance(r, TillSession)]
    refused = [r for r in results if isinstance(r, PosError)]
    assert (len(closed), len(refused)) == (1, 1), results
    assert refused[0].codes == ["closed"]
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.counted_cash == closed[0].counted_cash
    # the cashier closes her own; the administrator closes hers with a reason (issue 16)
    assert [e.action for e in timeline.events_of(session)] == ["", "tutup" if closed[0].closed_by == users[0] else "tutup_paksa"]


def test_two_cashiers_on_one_till_only_the_one_who_opened_it_sells(counter, open_till, stocked, make_staff):
    session = open_till(opening_float=0)  # opened by counter.cashier
    users = [counter.cashier, make_staff(Role.CASHIER, counter.unit, "kasir.dua")]
    bag = stocked(counter.location, 20, price=10_000)

    results = run_threads(8, lambda i: sell(session, users[i % 2], [(bag, 1)]))

    assert all(isinstance(r, Sale) for r in results[::2]), results
    assert all(isinstance(r, PosError) and r.codes == ["not_your_session"] for r in results[1::2]), results
    assert set(Sale.objects.values_list("cashier", flat=True)) == {counter.cashier.pk}
    assert services.session_figures(session)["expected_cash"] == 4 * 10_000
    assert StockLevel.objects.get(product=bag, location=counter.location).quantity == 16


def test_a_sale_racing_the_close_is_counted_or_refused_never_lost(counter, open_till, stocked):
    bag = stocked(counter.location, 20, price=10_000)
    for round_ in range(4):
        session = open_till(opening_float=50_000)

        def work(i, session=session):
            if i == 0:
                return sell(session, counter.cashier, [(bag, 1)])
            return services.close_session(session, counted_cash=50_000, note="tutup paksa uji", user=counter.admin)

        sale, closed = run_threads(2, work)
        assert isinstance(closed, TillSession), (round_, closed)
        assert isinstance(sale, Sale) or (isinstance(sale, PosError) and sale.codes == ["closed"]), (round_, sale)
        in_session = Sale.objects.filter(session=session).count()
        assert closed.expected_cash == 50_000 + 10_000 * in_session  # the close count includes every sale in it
        assert in_session == (1 if isinstance(sale, Sale) else 0)


def test_the_same_offline_batch_posted_twice_at_once_makes_one_sale_each(counter, open_till, stocked, make_staff):
    """Two posts of one batch from a device (a retry while the first was still running): each sale
    once, its stock moved once, its money once, whatever the order the threads run in."""
    from django.test import Client

    from galeri.inventory.models import StockMovement as Movement
    from galeri.payments.models import Payment
    from galeri.pos import offline
    from tests.pos.test_offline import payload, post

    session = open_till()
    device = offline.prepare_device(counter.till, user=counter.cashier)
    bag = stocked(counter.location, 10, name="Tas Anyaman Pandan", price=50_000)
    cake = stocked(counter.location, 1, name="Kue Sagu", price=15_000)
    sales = [payload(device, session, n, [(bag.pk, 1, 50_000), (cake.pk, 1, 15_000)]) for n in range(1, 4)]
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(counter.cashier)
        from tests.helpers import verify_session

        verify_session(client, counter.cashier)
        clients.append(client)

    results = run_threads(2, lambda i: post(clients[i], sales).json()["results"])

    statuses = sorted(r["status"] for batch in results for r in batch)
    assert statuses == ["created"] * 3 + ["duplicate"] * 3, results
    assert Sale.objects.count() == 3
    assert StockLevel.objects.get(product=bag, location=counter.location).quantity == 7
    assert Movement.objects.filter(product=bag, reason=Reason.SALE).count() == 3
    assert StockLevel.objects.get(product=cake, location=counter.location).quantity == 0
    assert Payment.objects.filter(till_session_id=session.pk).count() == 3
    assert ledger_differences() == ([], [])
