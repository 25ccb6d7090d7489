"""Issue 16's money rules at the counter: a cashier sells only on the till session they opened;
closing another cashier's session needs the unit's administrator and a reason; a refund needs a
second person with the right (the administrator's username and counter PIN), and it leaves the
till as a recorded payout with the approver on the refund and in the session's history."""

import datetime

import pytest
from django.urls import reverse

from galeri.core import timeline
from galeri.payments.models import Payment
from galeri.pos import pins, services
from galeri.pos.models import CounterPayment, Refund, Sale, SessionStatus
from galeri.pos.services import PosError
from galeri.units.models import Role
from tests.pos.helpers import sell, take

pytestmark = pytest.mark.django_db

PIN = "482913"


@pytest.fixture
def second_cashier(counter, make_staff):
    return make_staff(Role.CASHIER, counter.unit, "kasir.dua")


@pytest.fixture
def approver(counter):
    pins.set_pin(counter.admin, PIN, confirm=PIN)
    return counter.admin


# --- A cashier sells only on the till session they opened -------------------------------------------------


def test_a_cashier_cannot_sell_on_another_cashiers_open_session(counter, open_till, stocked, second_cashier):
    session = open_till(opening_float=100_000)  # opened by counter.cashier
    bag = stocked(counter.location, 2, price=40_000)
    with pytest.raises(PosError, match="dibuka oleh") as refused:
        sell(session, second_cashier, [(bag, 1)])
    assert refused.value.code == "not_your_session"
    assert not Sale.objects.exists()
    assert services.session_figures(session)["expected_cash"] == 100_000


def test_money_for_something_else_goes_only_into_the_users_own_session(counter, open_till, second_cashier):
    session = open_till()
    with pytest.raises(PosError, match="dibuka oleh"):
        take(session, second_cashier, 15_000, payable_id=1, label="Cukur")
    assert not CounterPayment.objects.exists() and not Payment.objects.exists()


def test_the_sell_screen_of_another_cashiers_session_says_whose_it_is(client, login, counter, open_till, second_cashier):
    session = open_till()
    login(client, second_cashier)
    response = client.get(reverse("pos:sell", kwargs={"pk": session.pk}), follow=True)
    assert "dibuka oleh" in response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("pos:home")


# --- Closing another cashier's session ----------------------------------------------------------------------


def test_a_cashier_closes_her_own_session_but_not_anothers(counter, open_till, second_cashier):
    session = open_till(opening_float=50_000)
    with pytest.raises(PosError, match="administrator"):
        services.close_session(session, counted_cash=50_000, user=second_cashier)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN and session.closed_at is None
    closed = services.close_session(session, counted_cash=50_000, user=counter.cashier)
    assert closed.status == SessionStatus.CLOSED and closed.closed_by == counter.cashier


def test_the_administrator_closes_another_cashiers_session_only_with_a_reason(counter, open_till):
    session = open_till(opening_float=50_000)
    with pytest.raises(PosError, match="alasan") as refused:
        services.close_session(session, counted_cash=50_000, user=counter.admin)
    assert refused.value.code == "reason_required"
    session.refresh_from_db()
    assert session.closed_at is None
    closed = services.close_session(session, counted_cash=50_000, note="kasir pulang sakit", user=counter.admin)
    assert closed.closed_by == counter.admin and closed.note == "kasir pulang sakit"
    shut = timeline.events_of(closed)[-1]
    assert shut.action == "tutup_paksa" and shut.note == "kasir pulang sakit" and shut.user == counter.admin


def test_the_close_page_offers_the_admin_the_reasoned_close(client, login, counter, open_till):
    session = open_till(opening_float=0)
    login(client, counter.admin)
    url = reverse("pos:close", kwargs={"pk": session.pk})
    page = client.get(url).content.decode()
    assert 'data-action="tutup_paksa"' in page
    response = client.post(url, {"counted_cash": "0", "note": ""})
    assert response.status_code == 400 and "alasan" in response.content.decode()
    response = client.post(url, {"counted_cash": "0", "note": "lupa ditutup"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.closed_by == counter.admin


# --- Refunds need a second person ---------------------------------------------------------------------------


@pytest.fixture
def sold(counter, open_till, stocked):
    session = open_till(opening_float=100_000)
    bag = stocked(counter.location, 3, price=40_000)
    sale = sell(session, counter.cashier, [(bag, 2)])
    return session, sale


def refund(sale, session, user, **approval):
    return services.refund_sale(
        sale, quantities={sale.lines.get().pk: 1}, method="cash", reason="rusak", user=user, session=session, **approval
    )


def test_a_refund_without_an_approver_is_refused(counter, sold, approver):
    session, sale = sold
    with pytest.raises(PosError, match="disetujui") as refused:
        refund(sale, session, counter.cashier)
    assert refused.value.code == "approval_required"
    assert not Refund.objects.exists()


def test_a_cashiers_refund_approved_with_the_admins_pin_is_a_payout_of_her_till(counter, sold, approver):
    session, sale = sold
    made = refund(sale, session, counter.cashier, approver=approver.username, pin=PIN)
    assert made.approved_by == approver and made.amount == 40_000
    figures = services.session_figures(session)
    assert figures["expected_cash"] == 100_000 + 80_000 - 40_000
    paid_out = timeline.events_of(session)[-1]
    assert paid_out.action == "retur" and approver.username in paid_out.label and "40.000" in paid_out.label


def test_nobody_approves_his_own_refund(counter, open_till, stocked, approver):
    session = open_till(user=counter.admin, opening_float=0)
    bag = stocked(counter.location, 1, price=40_000)
    sale = sell(session, counter.admin, [(bag, 1)])
    with pytest.raises(PosError, match="orang lain"):
        refund(sale, session, counter.admin, approver=approver.username, pin=PIN)
    assert not Refund.objects.exists()


def test_a_cashier_cannot_approve_and_a_wrong_pin_is_refused(counter, sold, approver, second_cashier):
    session, sale = sold
    pins.set_pin(second_cashier, "1234", confirm="1234")
    with pytest.raises(PosError, match="salah"):
        refund(sale, session, counter.cashier, approver=second_cashier.username, pin="1234")  # no right to approve
    with pytest.raises(PosError, match="salah"):
        refund(sale, session, counter.cashier, approver=approver.username, pin="000000")
    assert not Refund.objects.exists()


def test_five_wrong_pins_lock_the_approval_for_fifteen_minutes(counter, sold, approver, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC))  # 23:30 WIT
    session, sale = sold
    for _ in range(5):
        with pytest.raises(PosError, match="salah"):
            refund(sale, session, counter.cashier, approver=approver.username, pin="111111")
    with pytest.raises(PosError, match="terkunci"):
        refund(sale, session, counter.cashier, approver=approver.username, pin=PIN)  # even the right one
    time_machine.shift(datetime.timedelta(minutes=15, seconds=1))
    assert refund(sale, session, counter.cashier, approver=approver.username, pin=PIN).approved_by == approver


def test_a_refund_is_paid_out_of_the_users_own_session_only(counter, sold, approver, second_cashier):
    session, sale = sold
    with pytest.raises(PosError, match="dibuka oleh"):
        refund(sale, session, second_cashier, approver=approver.username, pin=PIN)
    assert not Refund.objects.exists()


def test_the_pin_is_hashed_well_formed_and_never_shown(client, login, counter):
    login(client, counter.admin)
    url = reverse("pos:pin")
    assert client.get(url).status_code == 200
    response = client.post(url, {"pin": "12a4", "confirm": "12a4"})
    assert response.status_code == 400 and "4–6 angka" in response.content.decode()
    response = client.post(url, {"pin": "2468", "confirm": "2469"})
    assert response.status_code == 400
    response = client.post(url, {"pin": "246810", "confirm": "246810"}, follow=True)
    assert response.status_code == 200 and "246810" not in response.content.decode()
    stored = counter.admin.counter_pin
    assert "246810" not in stored.pin_hash and pins.check(counter.admin, "246810")


def test_a_cashier_has_no_pin_page(client, login, counter):
    login(client, counter.cashier)
    assert client.get(reverse("pos:pin")).status_code == 403


def test_the_refund_form_takes_the_approvers_username_and_pin(client, login, counter, sold, approver):
    session, sale = sold
    login(client, counter.cashier)
    url = reverse("pos:refund", kwargs={"pk": sale.pk})
    post = {f"qty_{sale.lines.get().pk}": "1", "method": "cash", "reason": "rusak", "approver": approver.username}
    response = client.post(url, {**post, "pin": "999999"})
    assert response.status_code == 400 and "salah" in response.content.decode()
    assert "999999" not in response.content.decode()
    response = client.post(url, {**post, "pin": PIN})
    assert response.status_code == 302
    assert Refund.objects.get().approved_by == approver and Refund.objects.get().session == session
