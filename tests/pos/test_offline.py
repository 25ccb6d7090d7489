"""The offline counter's server side (galeri/pos/offline.py): preparing a device, the sync endpoint
(strict, idempotent, booked when and where the sale happened), stock short flagged not refused."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse

from galeri.core import clock
from galeri.inventory.models import StockLevel
from galeri.inventory.services import ledger_differences
from galeri.payments.models import Payment
from galeri.pos import offline, offline_selectors
from galeri.pos.models import OfflineDevice, Sale, StockShortfall
from galeri.pos.services import PosError, close_session, session_figures

pytestmark = pytest.mark.django_db

WIT = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def bazaar(counter, open_till, stocked, time_machine):
    time_machine.move_to(dt.datetime(2026, 8, 17, 9, 0, tzinfo=WIT), tick=False)
    session = open_till(opening_float=100_000)
    device = offline.prepare_device(counter.till, user=counter.cashier, label="Tablet 1")
    bag = stocked(counter.location, 5, name="Tas Anyaman", price=50_000)
    cake = stocked(counter.location, 2, name="Kue Sagu", price=15_000)
    return session, device, bag, cake


def payload(device, session, seq, lines, *, method="cash", tendered=None, made_at=None, client_sale_id=None):
    total = sum(q * p for _pk, q, p in lines)
    pay = {"method": method, "amount": total}
    if tendered is not None:
        pay["tendered"] = tendered
    return {
        "client_sale_id": str(client_sale_id or uuid.uuid4()),
        "device": device.pk,
        "sequence": seq,
        "made_at": (made_at or clock.now()).isoformat(),
        "session_id": session.pk,
        "lines": [{"product": pk, "quantity": q, "unit_price": p} for pk, q, p in lines],
        "payments": [pay],
    }


def post(client, sales):
    return client.post(reverse("pos:offline_sync"), json.dumps({"sales": sales}), content_type="application/json")


def test_preparing_needs_the_users_own_open_session(counter, open_till):
    with pytest.raises(PosError):
        offline.prepare_device(counter.till, user=counter.cashier)
    open_till()
    first = offline.prepare_device(counter.till, user=counter.cashier)
    second = offline.prepare_device(counter.till, user=counter.cashier)
    assert (first.prefix, second.prefix) == ("L1", "L2")
    again = offline.prepare_device(counter.till, user=counter.cashier, device=first)
    assert (again.pk, again.prefix) == (first.pk, "L1")


def test_a_batch_becomes_sales_once_with_device_numbers(client, login, counter, bazaar):
    session, device, bag, cake = bazaar
    login(client, counter.cashier)
    sales = [
        payload(device, session, 1, [(bag.pk, 2, 50_000)], tendered=150_000),
        payload(device, session, 2, [(cake.pk, 1, 15_000)], method="qris"),
    ]
    first = post(client, sales).json()["results"]
    assert [r["status"] for r in first] == ["created", "created"]
    assert [r["receipt"] for r in first] == ["LPA-KL1-000001", "LPA-KL1-000002"]
    again = post(client, sales).json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert Sale.objects.count() == 2
    assert StockLevel.objects.get(product=bag, location=counter.location).quantity == 3
    sale = Sale.objects.get(device_sequence=1)
    assert (sale.total, sale.paid, sale.change, sale.session_id) == (100_000, 100_000, 50_000, session.pk)
    assert Payment.objects.filter(counter_action_id=sale.client_sale_id).count() == 1
    assert session_figures(session)["expected_cash"] == 200_000
    device.refresh_from_db()
    assert device.last_sequence == 2
    assert ledger_differences() == ([], [])


def test_a_price_changed_meanwhile_keeps_the_price_charged(client, login, counter, bazaar):
    session, device, bag, _cake = bazaar
    bag.price = 65_000
    bag.save(update_fields=["price"])
    login(client, counter.cashier)
    post(client, [payload(device, session, 1, [(bag.pk, 1, 50_000)])])
    line = Sale.objects.get().lines.get()
    assert (line.unit_price, line.line_total) == (50_000, 50_000)


def test_a_sale_after_the_session_closed_is_booked_on_it_when_it_happened(client, login, counter, bazaar, time_machine):
    session, device, bag, _cake = bazaar
    made_at = clock.now() + dt.timedelta(hours=2)
    time_machine.move_to(dt.datetime(2026, 8, 17, 18, 0, tzinfo=WIT), tick=False)
    close_session(session, counted_cash=150_000, note="uang penjualan luring", user=counter.cashier)
    session.refresh_from_db()
    assert session.difference == 50_000
    time_machine.move_to(dt.datetime(2026, 8, 18, 10, 0, tzinfo=WIT), tick=False)
    login(client, counter.cashier)
    result = post(client, [payload(device, session, 1, [(bag.pk, 1, 50_000)], made_at=made_at)]).json()["results"][0]
    assert result["status"] == "created", result
    sale = Sale.objects.get()
    assert (sale.session_id, sale.created_at) == (session.pk, made_at)
    session.refresh_from_db()
    assert (session.expected_cash, session.difference) == (150_000, 0)


def test_stock_below_zero_is_accepted_and_flagged(client, login, counter, bazaar):
    session, device, _bag, cake = bazaar
    login(client, counter.cashier)
    results = post(client, [payload(device, session, 1, [(cake.pk, 3, 15_000)])]).json()["results"]
    assert results[0]["status"] == "created"
    assert StockLevel.objects.get(product=cake, location=counter.location).quantity == 0
    assert StockShortfall.objects.get().quantity == 1
    rows = offline_selectors.negative_stock(counter.location)
    assert [(r["name"], r["short"], [s["receipt"] for s in r["sales"]]) for r in rows] == [("Kue Sagu", 1, ["LPA-KL1-000001"])]
    page = client.get(reverse("pos:offline_negative_location", args=[counter.location.pk]))
    assert "LPA-KL1-000001" in page.content.decode()
    assert ledger_differences() == ([], [])


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda s: s.update(extra=1), "kolom tidak dikenal"),
        (lambda s: s.pop("made_at"), "kolom wajib"),
        (lambda s: s.update(client_sale_id="x"), "bukan UUID"),
        (lambda s: s.update(made_at="2026-08-17T10:00:00"), "zona waktu"),
        (lambda s: s["lines"][0].update(quantity=0), "lines[0].quantity"),
        (lambda s: s["lines"][0].update(unit_price="50000"), "unit_price"),
        (lambda s: s["payments"][0].update(method="transfer"), "cash atau qris"),
        (lambda s: s["payments"][0].update(amount=1), "total"),
        (lambda s: s.update(lines=[]), "lines"),
    ],
)
def test_a_wrong_field_refuses_the_whole_batch(client, login, counter, bazaar, change, message):
    session, device, bag, _cake = bazaar
    login(client, counter.cashier)
    good = payload(device, session, 1, [(bag.pk, 1, 50_000)])
    bad = payload(device, session, 2, [(bag.pk, 1, 50_000)])
    change(bad)
    response = post(client, [good, bad])
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Sale.objects.exists()


def test_not_json_and_reused_ids_are_refused(client, login, counter, bazaar):
    session, device, bag, _cake = bazaar
    login(client, counter.cashier)
    response = client.post(reverse("pos:offline_sync"), "{nope", content_type="application/json")
    assert response.status_code == 400
    sale = payload(device, session, 1, [(bag.pk, 1, 50_000)])
    post(client, [sale])
    twin = payload(device, session, 1, [(bag.pk, 1, 50_000)])
    other = dict(sale, sequence=2)
    results = post(client, [twin, other]).json()["results"]
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert Sale.objects.count() == 1


def test_another_units_device_or_product_is_refused(client, login, counter, bazaar, make_staff, make_product, unit_tree):
    from galeri.units.models import Role

    session, device, bag, _cake = bazaar
    outsider = make_staff(Role.CASHIER, unit_tree.lpp, username="kasir.lpp")
    login(client, outsider)
    result = post(client, [payload(device, session, 1, [(bag.pk, 1, 50_000)])]).json()["results"][0]
    assert (result["status"], result["reason"]) == ("refused", "Perangkat luring tidak dikenal.")
    login(client, counter.cashier)
    foreign = make_product(unit=unit_tree.lpp, price=1_000)
    result = post(client, [payload(device, session, 1, [(foreign.pk, 1, 1_000)])]).json()["results"][0]
    assert result["status"] == "refused"
    assert not Sale.objects.exists()
    assert OfflineDevice.objects.get().last_sequence == 0


def test_the_device_data_lists_the_locations_products(client, login, counter, bazaar, django_assert_max_num_queries):
    _session, device, bag, cake = bazaar
    login(client, counter.cashier)
    with django_assert_max_num_queries(12):
        data = client.get(reverse("pos:offline_data", args=[device.pk])).json()
    assert data["device"]["receipt_prefix"] == "LPA-KL1-"
    assert {(p["name"], p["price"], p["stock"]) for p in data["products"]} == {
        ("Tas Anyaman", 50_000, 5),
        ("Kue Sagu", 15_000, 2),
    }


def test_the_service_worker_and_manifest_are_served(client, login, counter):
    login(client, counter.cashier)
    sw = client.get(reverse("pos:offline_sw"))
    assert sw["Content-Type"].startswith("text/javascript")
    assert "pos/offline.js" in sw.content.decode()
    manifest = client.get(reverse("pos:offline_manifest")).json()
    assert (manifest["display"], manifest["start_url"]) == ("standalone", reverse("pos:offline"))
    page = client.get(reverse("pos:offline"))
    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


def test_an_offline_sale_is_listed_printed_and_found_for_a_return(client, login, counter, bazaar):
    session, device, bag, _cake = bazaar
    login(client, counter.cashier)
    post(client, [payload(device, session, 7, [(bag.pk, 1, 50_000)])])
    sale = Sale.objects.get()
    assert "LPA-KL1-000007" in client.get(reverse("pos:sales")).content.decode()
    assert "LPA-KL1-000007" in client.get(reverse("pos:receipt", args=[sale.pk])).content.decode()
    from galeri.pos.selectors import sales_by_receipt

    assert list(sales_by_receipt(counter.admin, "LPA-KL1-000007")) == [sale]
    assert list(sales_by_receipt(counter.admin, "kl1-7")) == [sale]
    assert list(sales_by_receipt(counter.admin, "LPA-K000007")) == []


def test_a_shortfall_is_resolved_by_the_units_administrator(client, login, counter, bazaar):
    session, device, _bag, cake = bazaar
    login(client, counter.cashier)
    post(client, [payload(device, session, 1, [(cake.pk, 3, 15_000)])])
    url = reverse("pos:offline_negative_location", args=[counter.location.pk])
    client.post(url, {"product": cake.pk})
    assert StockShortfall.objects.get().resolved_at is None  # a cashier may see it, not resolve it
    login(client, counter.admin)
    assert "Sudah dicocokkan" in client.get(url).content.decode()
    client.post(url, {"product": cake.pk})
    assert StockShortfall.objects.get().resolved_by == counter.admin
    assert offline_selectors.negative_stock(counter.location) == []


def test_the_offline_pages_read_a_bounded_number_of_queries(client, login, counter, bazaar, django_assert_max_num_queries):
    session, device, bag, cake = bazaar
    login(client, counter.admin)
    sales = [payload(device, session, n, [(cake.pk, 2, 15_000), (bag.pk, 1, 50_000)]) for n in range(1, 6)]
    login(client, counter.cashier)
    post(client, sales)
    login(client, counter.admin)
    for name, args in (
        ("pos:offline", []),
        ("pos:offline_prepare", [counter.till.pk]),
        ("pos:offline_negative", []),
        ("pos:offline_negative_location", [counter.location.pk]),
    ):
        with django_assert_max_num_queries(15):
            response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert "LPA-KL1-000005" in client.get(reverse("pos:offline_negative_location", args=[counter.location.pk])).content.decode()


def test_the_events_reconciliation_shows_what_offline_sales_sold_beyond_the_ledger(client, login, counter, bazaar):
    """Issue 20: stock that goes below zero at the event location is flagged on the event's page."""
    from galeri.events.models import Event, Participation
    from galeri.events.selectors import reconciliation

    session, device, _bag, cake = bazaar
    event = Event.objects.create(
        name="Bazar Uji",
        slug="bazar-uji",
        organiser=counter.till.unit,
        place_name="Lapangan Merdeka",
        starts_on=dt.date(2026, 8, 17),
        ends_on=dt.date(2026, 8, 18),
    )
    Participation.objects.create(event=event, unit=counter.till.unit, location=counter.location)
    login(client, counter.cashier)
    post(client, [payload(device, session, 1, [(cake.pk, 3, 15_000)])])
    row = next(r for r in reconciliation([counter.location.pk])[counter.location.pk] if r.product_id == cake.pk)
    assert (row.sold, row.short, row.quantity, row.needs_check) == (3, 1, -1, True)
    login(client, counter.admin)
    page = client.get(f"/petugas/pameran/{event.pk}/").content.decode()
    assert "perlu dicek" in page and "LPA-KL1-000001" in page
