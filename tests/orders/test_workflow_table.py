"""The order's workflow table (``galeri/orders/workflow.py``) is the one rule of who may take which
step from which state: every row is checked against ``units.scoping.can`` with the permission the
row itself names, every state outside a row's sources refuses it without a trace, and the console's
order page offers exactly the actions the table allows."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.orders import services
from galeri.orders.models import OrderStatus
from galeri.orders.workflow import ORDER
from galeri.units.scoping import can
from tests.orders.helpers import delivery, pickup, place

pytestmark = pytest.mark.django_db

S = OrderStatus


class Orders:
    """Orders of Lapas Ambon brought to any state through the app's own steps."""

    def __init__(self, product, unit, admin, officer=None):
        self.product, self.unit, self.admin, self.officer = product, unit, admin, officer

    def _pickup(self):  # cash at pickup: may be processed before the money comes
        return place([(self.product, 1)], [pickup(self.unit, "cash")]).orders[0]

    def _delivery(self):  # no delivery zone for Baguala: the fee is set by staff (baru)
        return place([(self.product, 1)], [delivery(self.unit, "transfer", kecamatan="baguala")]).orders[0]

    def _pay(self, order):  # by transfer: cash would need a till session (tests/orders/test_till_cash.py)
        return services.record_payment(order, self.admin, received_amount=order.total, method="transfer")

    def reach(self, state, *, paid=False):
        a = self.admin
        if state == S.NEW:
            return self._delivery()
        if state == S.AWAITING_PAYMENT:
            return self._pickup()
        if state == S.PAID:
            return self._pay(self._pickup())
        if state == S.PROCESSING:
            order = services.advance(self._pickup(), a, "proses")
            return self._pay(order) if paid else order
        if state == S.READY:
            order = services.advance(services.advance(self._pickup(), a, "proses"), a, "siap")
            return self._pay(order) if paid else order
        if state == S.SHIPPED:
            order = services.confirm_order(self._delivery(), a, delivery_fee=20_000)
            return services.advance(services.advance(self._pay(order), a, "proses"), a, "kirim")
        if state == S.COMPLETED:
            return services.advance(self.reach(S.READY, paid=True), a, "selesai")
        if state == S.CANCELLED:
            return services.cancel(self._pickup(), reason="Tidak jadi", user=a)
        if state == S.EXPIRED:
            order = self._pickup()
            assert services.expire_order(order.pk, now=order.expires_at + datetime.timedelta(seconds=1))
            order.refresh_from_db()
            return order
        if state == S.RETURNED:
            order = self.reach(S.COMPLETED)
            return services.return_items(order, a, {order.lines.get().pk: 1}, note="Rusak")
        raise AssertionError(state)


# Where each row can be taken (state, paid) and the input it needs. A row added to the table
# without a line here fails ``test_every_row_is_covered``.
READY = {
    "konfirmasi": (S.NEW, False),
    "bayar": (S.AWAITING_PAYMENT, False),
    "dibayar_qris": (S.AWAITING_PAYMENT, False),
    "dibayar_qris_sebagian": (S.AWAITING_PAYMENT, False),
    "hidupkan": (S.EXPIRED, False),
    "hidupkan_sebagian": (S.EXPIRED, False),
    "catat_bayar": (S.PROCESSING, False),
    "proses": (S.PAID, True),
    "siap": (S.PROCESSING, False),
    "kirim": (S.PROCESSING, True),
    "selesai": (S.READY, True),
    "terkirim": (S.SHIPPED, True),
    "bayar_sebagian": (S.AWAITING_PAYMENT, False),
    "batal": (S.AWAITING_PAYMENT, False),
    "minta_batal": (S.PAID, True),
    "setujui_batal": (S.PAID, True),  # after an officer asked (``ready_for``)
    "tolak_batal": (S.PAID, True),
    "batal_pembeli": (S.AWAITING_PAYMENT, False),
    "kedaluwarsa": (S.AWAITING_PAYMENT, False),
    "retur": (S.COMPLETED, True),
}


def params(action, order):
    return {
        "konfirmasi": {"delivery_fee": 20_000},
        "bayar": {"received_amount": order.total, "method": "transfer"},
        "catat_bayar": {"received_amount": order.total, "method": "transfer"},
        "bayar_sebagian": {"received_amount": 50_000, "method": "transfer"},
        "dibayar_qris_sebagian": {"received": 50_000, "provider_reference": "SIM-1", "provider": "simulasi"},
        "hidupkan": {"received": order.total, "provider_reference": "SIM-2", "provider": "simulasi"},
        "hidupkan_sebagian": {"received": 50_000, "provider_reference": "SIM-3", "provider": "simulasi"},
        "minta_batal": {"reason": "Barang rusak"},
        "batal": {"reason": "Stok rusak"},
        "batal_pembeli": {"reason": "Salah pilih"},
        "retur": {"quantities": {order.lines.get().pk: 1}} if order.status == S.COMPLETED else {"quantities": {}},
    }.get(action, {})


@pytest.fixture
def orders(shop, stocked, staff):
    product = stocked(shop.lapas.galeri, 200, name="Tas Rotan", price=150_000, sku="LPA-ROT-01")
    return Orders(product, shop.lapas.unit, staff.lapas_admin, staff.lapas_officer)


def ready_for(orders, action):
    state, paid = READY[action]
    if action == "kirim":
        order = services.confirm_order(orders._delivery(), orders.admin, delivery_fee=20_000)
        return services.advance(orders._pay(order), orders.admin, "proses")
    if action in ("setujui_batal", "tolak_batal"):
        return services.cancel(orders.reach(state, paid=paid), reason="Barang rusak", user=orders.officer)
    return orders.reach(state, paid=paid)


def everyone(staff):
    return [
        staff.regional,
        staff.lapas_admin,
        staff.lapas_officer,
        staff.lapas_cashier,
        staff.lpp_admin,
        staff.lpp_officer,
        staff.nobody,
    ]


def test_every_row_is_covered():
    assert set(READY) == {row.action for row in ORDER.transitions}


@pytest.mark.parametrize("action", [row.action for row in ORDER.transitions])
def test_who_may_take_a_step_is_the_permission_its_row_names(action, orders, staff):
    row = ORDER.get(action)
    order = None
    for user in everyone(staff):
        if order is None:
            order = ready_for(orders, action)
        assert ORDER.passes(row, order)
        may = Actor.STAFF in row.actors and (row.permission is None or can(user, row.permission, order.unit))
        before = (order.status, timeline.of(order).count())
        if may:
            done = transition(ORDER, order, action, user=user, note="Uji", **params(action, order))
            event = timeline.latest(done)
            assert (event.action, event.actor, event.user, event.from_state) == (action, Actor.STAFF, user, before[0])
            assert event.to_state == done.status
            order = None
        else:
            with pytest.raises(PermissionDenied):
                transition(ORDER, order, action, user=user, note="Uji", **params(action, order))
            order.refresh_from_db()
            assert (order.status, timeline.of(order).count()) == before
    for actor in (a for a in row.actors if a != Actor.STAFF):  # the buyer's link, the expiry job
        order = order or ready_for(orders, action)
        done = transition(ORDER, order, action, actor=actor, **params(action, order))
        assert timeline.latest(done).actor == actor and timeline.latest(done).user is None


def test_a_step_from_a_state_outside_its_sources_is_refused_and_changes_nothing(orders, staff):
    by_state = {state: orders.reach(state) for state in OrderStatus}
    for row in ORDER.transitions:
        for state, order in by_state.items():
            if row.starts_from(state):
                continue
            actor = Actor.STAFF if Actor.STAFF in row.actors else row.actors[0]
            user = staff.lapas_admin if actor == Actor.STAFF else None
            events = timeline.of(order).count()
            with pytest.raises(services.OrderError) as refused:
                transition(ORDER, order, row.action, user=user, actor=actor, note="Uji", **params(row.action, order))
            assert refused.value.codes == ["wrong_status"], (row.action, state)
            order.refresh_from_db()
            assert (order.status, timeline.of(order).count()) == (state, events), (row.action, state)


def test_the_guards_refuse_with_their_own_words(orders, staff):
    admin = staff.lapas_admin
    qris = place([(orders.product, 1)], [pickup(orders.unit, "qris")]).orders[0]
    with pytest.raises(services.OrderError):  # QRIS and transfer: paid before processing
        transition(ORDER, qris, "proses", user=admin)
    ready = orders.reach(S.READY)
    with pytest.raises(services.OrderError) as refused:
        transition(ORDER, ready, "selesai", user=admin)
    assert refused.value.codes == ["unpaid"]
    with pytest.raises(services.OrderError):  # a pickup order is not shipped
        transition(ORDER, orders.reach(S.PROCESSING), "kirim", user=admin)
    paid = orders.reach(S.PAID)
    with pytest.raises(services.OrderError) as refused:
        transition(ORDER, paid, "batal_pembeli", actor=Actor.BUYER, reason="x")
    assert refused.value.codes == ["buyer_too_late"] and "WhatsApp" in refused.value.messages[0]
    assert [a for a, _l in ORDER.actions(ready, admin)] == ["catat_bayar", "batal"]


def _shown(client, order):
    html = client.get(f"/petugas/pesanan/{order.pk}/").content.decode()
    return re.findall(r'data-action="([a-z_]+)"', html), html


@pytest.mark.parametrize(
    "state, paid, expected",
    [
        (S.NEW, False, ["konfirmasi", "batal"]),
        (S.AWAITING_PAYMENT, False, ["bayar", "proses", "batal"]),
        (S.PROCESSING, False, ["catat_bayar", "siap", "batal"]),
        (S.READY, True, ["selesai", "minta_batal"]),  # money in: staff ask, the administrator decides
        (S.COMPLETED, True, ["retur"]),
        (S.CANCELLED, False, []),
    ],
)
def test_the_order_page_offers_exactly_what_the_table_allows(state, paid, expected, orders, staff, signed_in):
    order = orders.reach(state, paid=paid)
    for user in (staff.lapas_officer, staff.lapas_cashier):
        allowed = [a for a, _l in ORDER.actions(order, user)]
        assert allowed == expected
        shown, _html = _shown(signed_in(user), order)
        assert sorted(shown) == sorted(allowed)
    assert signed_in(staff.lpp_admin).get(f"/petugas/pesanan/{order.pk}/").status_code == 404


def test_an_unpaid_ready_order_asks_for_the_payment_before_it_can_be_finished(orders, staff, signed_in):
    shown, html = _shown(signed_in(staff.lapas_officer), orders.reach(S.READY))
    assert "selesai" not in shown and "Catat pembayaran dulu, lalu pesanan bisa diselesaikan." in html


def test_the_buyer_may_cancel_exactly_while_the_table_lets_them(orders, client):
    from galeri.orders import links

    waiting, paid = orders.reach(S.AWAITING_PAYMENT), orders.reach(S.PAID)
    for order, offered in ((waiting, True), (paid, False)):
        html = client.get(links.tracking_url(order)).content.decode()
        assert ("Ya, batalkan pesanan ini" in html) is offered
